// The pieces of Forecast's model selection (forecast/engine.h): which
// candidates `auto` tries and on which values, each candidate's backtest
// and interval calibration, the combination built from its members'
// backtests, the chosen model's final fit and forecast, and the fallback
// for series too short to backtest; and the work estimate once the period
// is known. Internal to hs_forecast. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/engine.h"
#include "forecast/internal/backtest.h"
#include "forecast/internal/backtest_calibration.h"
#include "forecast/model.h"

namespace horizonscale::forecast {

// Whether `kind` uses a seasonal period (and so, unrequested, has one
// detected).
bool UsesSeason(ModelKind kind);

// Whether fits of `model` (nullopt: `auto`) see only the recent past
// (RecentFitLength).
bool FitsRecentPast(std::optional<ModelKind> model);

// The candidates `auto` backtests for a seasonal `period` (< 2: none) and
// `period_count` periods (MSTL's several), in a fixed order. The
// combination is not among them: it is built from its members' backtests.
std::vector<ModelKind> AutoCandidates(int period, size_t period_count);

// EstimateWork once the longest possible seasonal period is known (< 2:
// none) with `period_count` periods given.
WorkEstimate EstimateWorkWithPeriod(std::optional<ModelKind> model, int horizon, int64_t period,
                                    size_t period_count, int64_t length);

// A candidate and its backtest, when it could be run.
struct SelectionCandidate {
  ModelKind kind;
  std::optional<BacktestResult> backtest;
  BacktestCalibration calibration;  // of the backtest
  std::string skipped;              // why there is no backtest
};

// Backtests `kind` on `values` with `plan` (its intervals not yet
// calibrated: see Calibrate). Errors other than CANCELLED become the
// candidate's `skipped` note when `keep_going` (automatic selection);
// otherwise they are returned.
absl::StatusOr<SelectionCandidate> BacktestCandidate(ModelKind kind, std::span<const double> values,
                                                     const ModelOptions& options,
                                                     const BacktestPlan& plan, double level,
                                                     bool keep_going);

// The combination's candidate, from the backtests of its members among
// `candidates` (at least two needed; not yet calibrated); nullopt without
// them.
std::optional<SelectionCandidate> CombinationCandidate(
    const std::vector<SelectionCandidate>& candidates, std::span<const double> values,
    const ModelOptions& options, const BacktestPlan& plan);

// Calibrates the intervals of a backtested candidate (CalibrateBacktest on
// `values`, the series it was backtested on) and sets its backtest's
// interval_coverage to the held-out coverage; no-op without a backtest.
void Calibrate(SelectionCandidate& candidate, std::span<const double> values, double level);

// The report of `model`, fitted for `candidate`.
ModelReport ReportOf(const FittedModel& model, const SelectionCandidate& candidate);

// The chosen candidate's model and interval settings, as a later call may
// reuse them (ForecastRequest::reuse): its calibration's width multipliers,
// or for a model without analytic intervals the backtest errors' interval
// offsets for the request's horizon and level. `candidate` has a backtest.
ModelChoice ChoiceOf(std::shared_ptr<const FittedModel> model, const SelectionCandidate& candidate,
                     const ForecastRequest& request);

// The model's forecast with the choice's interval: analytic, widened by
// choice.width_scales, or the point forecast plus choice.empirical_intervals.
std::vector<ForecastValue> PredictWithInterval(const FittedModel& model, const ModelChoice& choice,
                                               int horizon, double level);

// What the calibration did, for selection_reason ("" when nothing).
std::string CalibrationNote(const SelectionCandidate& candidate);

// The chosen candidate's model at the end of `values`: the backtest's model
// refitted on all of them (FittedModel::Refit: ARIMA keeps its orders, ETS
// chooses its member again), or on a long series the backtest's model
// extended to the end (see kKeepTrainedModelFrom in model_selection.cc).
absl::StatusOr<std::shared_ptr<const FittedModel>> FinalModel(const SelectionCandidate& chosen,
                                                              std::span<const double> values,
                                                              const ModelOptions& options);

// `auto` on a series too short to backtest any of `candidates`: the first
// of ETS, Theta, seasonal naive and naive that fits all of `values`, with
// its own (uncalibrated) interval and no accuracy, written into `result`.
// INSUFFICIENT_HISTORY, saying what each needs, when none fits; CANCELLED
// when a fit was.
absl::StatusOr<ForecastResult> FitUnbacktested(std::span<const double> values,
                                               const ModelOptions& options,
                                               const std::vector<SelectionCandidate>& candidates,
                                               const ForecastRequest& request,
                                               ForecastResult result);

}  // namespace horizonscale::forecast

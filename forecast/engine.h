// The forecasting engine: one call that picks the seasonal period, fits the
// requested model (or, for `auto`, backtests the candidates and keeps the
// one with the lowest out-of-sample error), forecasts with a prediction
// interval and reports the model's backtest accuracy. What GetForecasts and
// the planner use.
//
// Backtest plan (PlanBacktest, forecast/internal/backtest.h): origins whose
// forecasts reach H = min(horizon, n / 4) steps ahead, spread over the last
// max(2·H, n / 5) values (at most 60 origins), every candidate on the same
// origins so that their errors compare.
//
// `auto` candidates: seasonal naive, ETS, Theta and ARIMA (kAutoModelKinds;
// ETS and ARIMA only for a period up to kMaxEtsPeriodForAuto), MSTL for
// several periods or a longer one, and the mean of the ETS, Theta and ARIMA
// members when at least two backtested. They are fitted on the last
// RecentFitLength values (so are these families when requested). A series too short to backtest any
// candidate gets the first of ETS, Theta and (seasonal) naive that fits, unscored.
//
// Intervals: the model's analytic interval, calibrated on its backtest
// (CalibrateBacktest, forecast/internal/backtest_calibration.h: width
// multipliers per step ahead, split conformal) when the backtest has enough
// origins; for models without analytic ones, the empirical quantiles of the
// backtest errors at each step ahead (EmpiricalInterval). The reported
// interval coverage is measured on points the calibration did not use.
//
// A caller that forecasts the same series often can hand an earlier
// automatic selection back (ForecastRequest::reuse): its model is refitted
// without the tournament.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/accuracy.h"
#include "forecast/cancellation.h"
#include "forecast/model.h"

namespace horizonscale::forecast {

struct ModelChoice;

struct ForecastRequest {
  // Regular, oldest first; non-finite values are INVALID_ARGUMENT.
  std::span<const double> values;
  // The model; nullopt selects automatically.
  std::optional<ModelKind> model;
  // Steps to forecast, in [1, kMaxHorizon].
  int horizon = 1;
  // Nominal interval coverage in (0, 1).
  double level = 0.8;
  // Seasonal period in steps; nullopt: detected (DetectSeasonalPeriod, up
  // to `max_detected_period`) for automatic selection and seasonal models,
  // none for the others; 0 or 1: none.
  std::optional<int> seasonal_period;
  int max_detected_period = 400;
  // Options for the fit (its seasonal_period is ignored: see above).
  ModelOptions options;
  // With false, a requested model that has analytic intervals is not
  // backtested (its report's accuracy stays empty), and automatic selection
  // calibrates the intervals of the chosen model only (the other
  // candidates' reports have no interval_scales, and their interval_coverage
  // is that of their uncalibrated intervals): for callers that need only the
  // forecast, such as the planner.
  bool score_analytic_models = true;
  // Automatic selection ranks candidates by this metric (lower is better).
  enum class Metric { kMase, kSmape, kRmse, kMape } selection_metric = Metric::kMase;
  // Polled between stages, between backtest origins and inside the
  // smoothing models' parameter search (options.cancelled is ignored); once
  // it says yes Forecast returns CANCELLED within a few milliseconds of work
  // (tens of ms on the largest series GetForecasts accepts). Empty: never.
  CancelCheck cancelled;
  // When > 0: once the seasonal period is known (given or detected), and
  // before any model is fitted, a call whose EstimateWork (with that period)
  // exceeds this many units returns RESOURCE_EXHAUSTED stating the estimate
  // and the limit. 0: no limit.
  int64_t max_work_units = 0;
  // Automatic selection only (model nullopt): an earlier call's choice on
  // this series (ForecastResult::choice), the same series with values added
  // or dropped at its start and end. The choice's model is refitted to
  // `values` (FittedModel::Refit: ARIMA orders kept, ETS member chosen
  // again) and its interval calibration applied, without the tournament:
  // a caller that forecasts the same series often (the planner) runs the
  // tournament when the data has moved on, not on every call. Ignored (the
  // full selection runs) when the choice was made for another horizon,
  // level or seasonal_period setting, or its model cannot be refitted.
  std::shared_ptr<const ModelChoice> reuse;
};

// Largest horizon accepted.
inline constexpr int kMaxHorizon = 10'000;

struct ModelReport {
  ModelKind kind = ModelKind::kEwma;
  std::string description;
  std::vector<std::pair<std::string, double>> parameters;
  // Rolling-origin backtest; interval_coverage is measured on points the
  // interval's calibration did not use.
  Accuracy accuracy;
  bool analytic_interval = false;  // false: intervals from backtest errors
  // Width multipliers applied to the analytic interval per step ahead (the
  // last one beyond); empty: not calibrated.
  std::vector<double> interval_scales;
};

// Automatic selection's outcome, as ForecastRequest::reuse takes it back:
// the chosen model as fitted on the call that chose it, the request
// settings it was scored for, and what its backtest found. Immutable.
struct ModelChoice {
  std::shared_ptr<const FittedModel> model;
  int horizon = 1;
  double level = 0.8;
  std::optional<int> requested_seasonal_period;  // ForecastRequest::seasonal_period
  int seasonal_period = 0;                       // used
  std::vector<int> seasonal_periods;             // used, when several
  // The analytic interval's width multipliers per step (empty: none), or,
  // for a model without analytic intervals, the backtest errors' interval
  // offsets (lower, upper) per step ahead.
  std::vector<double> width_scales;
  std::vector<std::pair<double, double>> empirical_intervals;
  ModelReport report;            // the chosen model's, from the tournament
  std::string selection_reason;  // the tournament's
};

struct ForecastResult {
  std::vector<ForecastValue> points;    // `horizon` steps after the last value
  ModelReport model;                    // the model used
  std::string selection_reason;         // why this model
  std::vector<ModelReport> candidates;  // automatic selection: every model tried
  int seasonal_period = 0;              // used (0: none)
  std::vector<int> seasonal_periods;    // when several (MSTL): all, shortest first
  bool seasonal_period_detected = false;
  // Automatic selection: what was chosen (or reused), for a later
  // ForecastRequest::reuse. Null for a requested model.
  std::shared_ptr<const ModelChoice> choice;
  bool choice_reused = false;  // the request's `reuse` was applied
};

// What a Forecast call costs, estimated from the request's size alone, so
// that a server can refuse an oversize request before doing any work. An
// upper bound rather than a prediction: every candidate is counted as
// fitted twice (on the training part, and again on all values should it
// win).
struct WorkEstimate {
  // Models backtested: 1 for a requested model; for automatic selection
  // every candidate that could apply.
  int models = 0;
  // Values each fit sees: the series, or its last RecentFitLength for `auto`
  // and the families that fit on the recent past.
  int64_t fit_length = 0;
  // Twice the sum of FitUnitsPerValue over the models.
  int64_t fit_units_per_value = 0;
  // Steps each backtest origin scores, and (origin, step) pairs per model.
  int backtest_horizon = 0;
  int64_t backtest_points = 0;
  // The seasonal decomposition model's trend refit at each origin (its
  // trend window per origin), when it is among the models.
  int64_t trend_refit_units = 0;
  // fit_length × fit_units_per_value + models × (backtest_points +
  // fit_length) + trend_refit_units, saturating at INT64_MAX. A unit is at
  // most about 15 ns of one core (bench/forecast/limits_bench.cc; models
  // that converge quickly cost less than their estimate).
  int64_t units = 0;
};

// One fit's cost per value in WorkEstimate units (one unit: one value
// filtered once): the smoothing models' parameter searches make hundreds of
// passes, ETS and ARIMA search several members or orders, the baselines
// make one. Calibrated on bench/forecast/limits_bench.cc.
int64_t FitUnitsPerValue(ModelKind kind);

// The values `auto`, ETS, Theta, ARIMA, MSTL and the combination fit on:
// the last max(kRecentFitValues, 4 × the longest period) of a series of
// `length` values (all of them when shorter). Older values add little to a
// forecast of the next days, and these fits (likelihood searches over
// several members or orders) cost more per value than the older models'.
inline constexpr int64_t kRecentFitValues = 10'080;  // a week of minutes
int64_t RecentFitLength(int64_t length, int64_t longest_period);

// The estimate for Forecast(request) on a series of `length` values, before
// the seasonal period is known: with none given, the longest detectable
// (max_detected_period, at most length / 2) is assumed (request.values is
// not read; any length is fine: the product saturates).
WorkEstimate EstimateWork(const ForecastRequest& request, int64_t length);

// Forecasts `request.values`. Errors: INVALID_ARGUMENT for bad input (naming
// the field: "horizon", "level", "seasonal_period", a value's index);
// FAILED_PRECONDITION with reason INSUFFICIENT_HISTORY when the series is too
// short for the model (or, for auto, for any model), saying how much is needed;
// CANCELLED (CancelledStatus) when request.cancelled said so;
// RESOURCE_EXHAUSTED over request.max_work_units.
absl::StatusOr<ForecastResult> Forecast(const ForecastRequest& request);

}  // namespace horizonscale::forecast

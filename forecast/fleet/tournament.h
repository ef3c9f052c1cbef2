// The champion/challenger tournament of one daily utilization series: every
// competing model is fitted on all but the last `backtest_days` days and
// scored on them (and, with a long backtest, on the last
// `long_backtest_days` too); the best by the selection metric over the
// selection window is the champion, which is refitted on the whole history
// to write the golden forecast; the risk is read off the golden forecast's
// upper bound. Pure; thread-safe.
//
// Models fitted per series go through FitModel (forecast/model.h). A model
// trained across the whole fleet (the boosted model) cannot be fitted here:
// its forecasts are made beforehand and come in as ExternalForecasts, and
// compete on equal terms.
//
// Every interval (backtest and future, external models' included) is first
// scaled by options.calibration (forecast/fleet/interval_calibration.h). Forecasts
// (points and bounds) are then clamped to [0, 100]: utilization cannot leave
// that range, so a forecast outside it is wrong by at least the excess.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "forecast/accuracy.h"
#include "forecast/fleet/fleet_refinery.h"
#include "forecast/fleet/interval_calibration.h"
#include "forecast/model.h"
#include "forecast/prophet/prophet.h"

namespace horizonscale::forecast {

// When a forecast counts as a capacity breach (forecast/fleet/internal/breach_risk.h
// finds it).
struct RiskOptions {
  // Utilization whose crossing is a breach, in percent, in (0, 100].
  double breach_threshold_percent = 95.0;
  // Days ahead (from the first forecast day) searched for a breach, >= 1.
  int risk_window_days = 90;
  // Days before the breach by which action should be taken, >= 0.
  int action_lead_days = 30;
};

// A forecast breach. Days count from 1970-01-01.
struct BreachRisk {
  int64_t first_breach_day = 0;    // first day whose upper bound exceeds the threshold
  int64_t planned_action_day = 0;  // first_breach_day − action_lead_days
  double peak_upper_percent = 0;   // highest upper bound within the risk window
};

// The accuracy measure champions are chosen by (lower is better).
enum class SelectionMetric { kMape, kSmape, kMase };

// "mape", "smape" or "mase".
const char* SelectionMetricName(SelectionMetric metric);

// The value of `metric` in `accuracy`.
double MetricValue(const Accuracy& accuracy, SelectionMetric metric);

// Which backtest champions are chosen on.
enum class SelectionWindow {
  kBacktest,      // the backtest_days window (the leaderboard's 30 days)
  kLongBacktest,  // the long_backtest_days window (the risk window's horizon)
};

// "backtest" or "long_backtest".
const char* SelectionWindowName(SelectionWindow window);

struct TournamentOptions {
  // Models fitted per series, in tie-break order. Holt-Winters is fitted
  // with additive seasonality, ETS(A,A[d],A).
  std::vector<ModelKind> models = {ModelKind::kProphet, ModelKind::kHoltWinters, ModelKind::kHolt,
                                   ModelKind::kEwma, ModelKind::kSeasonalNaive};
  // Held-out days of the backtest, >= 1.
  int backtest_days = 30;
  // Held-out days of the long backtest, in [0, horizon_days]: every model is
  // also fitted on all but these days and scored 1 to long_backtest_days
  // days ahead, the horizons the golden forecast is used at (e.g. the risk
  // window or the whole horizon). 0 (the default): none.
  int long_backtest_days = 0;
  // The window champions are chosen on. kLongBacktest falls back to the
  // backtest for a series too short for any model's long backtest.
  SelectionWindow selection_window = SelectionWindow::kBacktest;
  // Selecting on the long backtest, the mean of the best `combine_top`
  // models there (points and interval bounds; ModelKind::kCombination) also
  // contests, ranked like the others; when champion or runner-up its
  // forecast of the future is the mean of its members'. 0 or 1: no
  // combination; at most 3.
  int combine_top = 2;
  // Days of the golden forecast, >= 1 (and >= the risk window).
  int horizon_days = 180;
  SelectionMetric selection_metric = SelectionMetric::kMape;
  // Nominal coverage of every interval, in (0, 1).
  double interval_level = 0.8;
  // Season of the smoothing models, the seasonal-naive baseline and the MASE
  // scale, in days (weekly).
  int seasonal_period = 7;
  ProphetOptions prophet;
  RiskOptions risk;
  // Width multipliers of the per-series models' intervals (backtest and
  // future); empty: each model's own intervals.
  IntervalCalibration calibration;
};

// INVALID_ARGUMENT naming the field when an option is out of range (a model
// listed twice, kXgboost in `models`, a horizon shorter than the risk
// window, ...).
absl::Status ValidateTournamentOptions(const TournamentOptions& options);

// Forecasts of a series by a model trained outside the tournament.
struct ExternalForecasts {
  ModelKind kind = ModelKind::kXgboost;
  // Of the backtest window (backtest_days values) and of the days after the
  // history (horizon_days values), with intervals at the tournament's level.
  std::vector<ForecastValue> backtest;
  std::vector<ForecastValue> future;
  // Of the long backtest window (long_backtest_days values); empty when the
  // model has none for this series (it is then unscored there).
  std::vector<ForecastValue> long_backtest;
  std::string description;
  // Not OK when the model has no forecasts for this series (e.g.
  // INSUFFICIENT_HISTORY): it is then listed unranked with this status, as a
  // per-series model that could not be fitted.
  absl::Status status;
};

// One model's part in a series' tournament.
struct ModelResult {
  ModelKind kind = ModelKind::kEwma;
  // Not OK when the model could not be fitted (e.g. INSUFFICIENT_HISTORY);
  // it is then unranked and has no forecasts.
  absl::Status status;
  // Rank by the selection metric over the selection window, from 1
  // (champion); 0 when unranked.
  int rank = 0;
  // Accuracy on the backtest window.
  Accuracy accuracy;
  // Forecasts of the backtest window, one per held-out day.
  std::vector<ForecastValue> backtest;
  // Accuracy on the long backtest window and its forecasts; nullopt and
  // empty when there is none (long_backtest_days 0, a series too short, or
  // a model that could not be fitted on the shorter history).
  std::optional<Accuracy> long_accuracy;
  std::vector<ForecastValue> long_backtest;
  // Forecasts of the horizon_days after the history: for the champion (its
  // golden forecast), the runner-up and, when one of them is a combination,
  // its members only; empty for the others.
  std::vector<ForecastValue> future;
  // The model as fitted on the training part, e.g. "Holt-Winters, additive
  // seasonality (period 7)".
  std::string description;
};

struct SeriesTournament {
  // Ranked models first (champion first), then unranked ones in the order
  // they were listed.
  std::vector<ModelResult> models;
  // The champion's breach within the risk window, if any.
  std::optional<BreachRisk> risk;
  // First day of the backtest window, of the long one and of the future
  // forecasts.
  int64_t backtest_first_day = 0;
  int64_t long_backtest_first_day = 0;
  int64_t future_first_day = 0;

  const ModelResult& champion() const { return models.front(); }
  // The second-ranked model, or null when only one model was ranked.
  const ModelResult* runner_up() const;
};

// Runs the tournament of `series` with `options` (valid) and the forecasts
// of `external` models (each with an OK status must have backtest_days
// backtest and horizon_days future values: INVALID_ARGUMENT otherwise). Errors:
// FAILED_PRECONDITION with reason INSUFFICIENT_HISTORY when the series is not
// longer than backtest_days + 1 days or when no model could be fitted (the
// message lists each model's failure).
absl::StatusOr<SeriesTournament> RunSeriesTournament(const DailySeries& series,
                                                     const TournamentOptions& options,
                                                     std::span<const ExternalForecasts> external);

}  // namespace horizonscale::forecast

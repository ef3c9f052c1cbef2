// The forecasting engine: one call that picks the seasonal period, fits the
// requested model (or, for `auto`, every model and keeps the one with the
// best backtest error), forecasts with a prediction interval and reports the
// model's backtest accuracy. What GetForecasts and the planner use.
//
// Backtest plan (see forecast/internal/backtest.h): the last `test_length` values are
// held out, with test_length = max(2·H, n / 5) capped so that the training
// part keeps the model's minimum length, and H = min(horizon, 2·period or 24
// without one) steps scored per origin.
//
// Intervals: the model's analytic interval when it has one; otherwise the
// empirical quantiles of its backtest errors at each step ahead
// (EmpiricalInterval), so every model's interval is calibrated on held-out
// data.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
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
  // backtested (its report's accuracy stays empty): for callers that need
  // only the forecast, such as the planner.
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
};

// Largest horizon accepted.
inline constexpr int kMaxHorizon = 10'000;

struct ModelReport {
  ModelKind kind = ModelKind::kEwma;
  std::string description;
  std::vector<std::pair<std::string, double>> parameters;
  Accuracy accuracy;               // rolling-origin backtest
  bool analytic_interval = false;  // false: intervals from backtest errors
};

struct ForecastResult {
  std::vector<ForecastValue> points;    // `horizon` steps after the last value
  ModelReport model;                    // the model used
  std::string selection_reason;         // why this model
  std::vector<ModelReport> candidates;  // automatic selection: every model tried
  int seasonal_period = 0;              // used (0: none)
  std::vector<int> seasonal_periods;    // when several (MSTL): all, shortest first
  bool seasonal_period_detected = false;
};

// What a Forecast call costs, estimated from the request's size alone, so
// that a server can refuse an oversize request before doing any work.
struct WorkEstimate {
  // Models backtested and fitted: 1 for a requested model; for automatic
  // selection every candidate that could apply (all six when a seasonal
  // period may be found).
  int models = 0;
  // The most steps each backtest origin scores: min(horizon, two seasons of
  // the longest period possible, or 24 steps without one).
  int backtest_horizon = 0;
  // Per value, when the seasonal decomposition model is among the models:
  // its trend refit at each backtest origin (the trend window / 5).
  int64_t trend_refit_units = 0;
  // length × (models × (kFitUnitsPerValue + backtest_horizon) +
  // trend_refit_units), saturating at INT64_MAX. A unit is a few ns of one
  // core (6-11 ns measured on this project's loaded 2-core machine:
  // bench/forecast/limits_bench.cc).
  int64_t units = 0;
};

// The fits' cost per value and model in WorkEstimate units, against one unit
// per backtest step per value (a fifth of the values are backtest origins,
// each scoring backtest_horizon steps): the smoothing models' parameter
// searches make up to 300 passes per variant, the others one. Calibrated so
// that units track the measured time of `auto` (bench/forecast/limits_bench.cc).
inline constexpr int64_t kFitUnitsPerValue = 50;

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

// The forecasting engine: one call that picks the seasonal period, fits the
// requested model (or, for `auto`, every model and keeps the one with the
// best backtest error), forecasts with a prediction interval and reports the
// model's backtest accuracy. What GetForecasts and the planner use.
//
// Backtest plan (see forecast/backtest.h): the last `test_length` values are
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

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/accuracy.h"
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
  bool seasonal_period_detected = false;
};

// Forecasts `request.values`. Errors: INVALID_ARGUMENT for bad input (naming
// the field: "horizon", "level", "seasonal_period", a value's index);
// FAILED_PRECONDITION with reason INSUFFICIENT_HISTORY when the series is too
// short for the model (or, for auto, for any model), saying how much is needed.
absl::StatusOr<ForecastResult> Forecast(const ForecastRequest& request);

}  // namespace horizonscale::forecast

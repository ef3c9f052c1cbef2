// Rolling-origin backtest: how well a model forecasts data it has not seen.
// Internal to hs_forecast (the engine backtests every candidate model).
// Pure; thread-safe.
//
// The model is fitted once on all but the last `test_length` values. Then,
// for every origin o in the held-out window, it is extended with the actual
// values up to o (FittedModel::Extend: parameters unchanged, state updated,
// as a deployed model would be between refits) and forecasts up to
// `horizon` steps, each scored against the actual value (a forecast running
// past the end of the series is cut). Fitting once keeps a backtest as cheap
// as one fit plus a filter pass, which `auto` needs to try every model.
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/accuracy.h"
#include "forecast/empirical_interval.h"
#include "forecast/model.h"

namespace horizonscale::forecast {

struct BacktestOptions {
  int horizon = 1;      // steps scored per origin, >= 1
  int test_length = 1;  // held-out values at the end of the series, >= 1
  double level = 0.8;   // nominal coverage of the prediction intervals
};

struct BacktestResult {
  // Over every scored (origin, step) pair. interval_coverage: for a model
  // with analytic intervals, of those intervals over all pairs; otherwise of
  // empirical intervals (EmpiricalInterval) built from the errors of the
  // first half of the origins, scored on the second half, so that coverage is
  // always measured on points the interval did not see.
  Accuracy accuracy;
  // errors[k − 1]: actual − forecast at k steps ahead, one per origin that
  // reached k steps, oldest origin first.
  std::vector<std::vector<double>> errors;
  // Whether the model's own intervals were scored (see accuracy).
  bool analytic_interval = false;
  // The model fitted on the training part.
  std::string description;
  std::vector<std::pair<std::string, double>> parameters;
};

// Held-out origins between two polls of ModelOptions::cancelled (each
// origin is one Extend and one Predict of at most `horizon` steps).
inline constexpr int kBacktestCancelPollOrigins = 64;

// Backtests `kind` on `values` (regular, finite, oldest first). Errors are
// FitModel's (e.g. INSUFFICIENT_HISTORY when the training part is shorter
// than MinimumLength; CANCELLED when model_options.cancelled stopped the
// fit), CANCELLED when model_options.cancelled says so between origins, and
// INVALID_ARGUMENT for a horizon or test length < 1 or a test length leaving
// no training data.
absl::StatusOr<BacktestResult> Backtest(ModelKind kind, std::span<const double> values,
                                        const ModelOptions& model_options,
                                        const BacktestOptions& options);

}  // namespace horizonscale::forecast

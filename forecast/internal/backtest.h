// Rolling-origin backtest: how well a model forecasts data it has not seen.
// Internal to hs_forecast (the engine backtests every candidate model).
// Pure; thread-safe.
//
// The model is fitted once on all but the last `test_length` values. Then,
// at every `origin_stride`-th origin in the held-out window, it is extended
// with the actual values up to that origin (FittedModel::Extend: parameters
// unchanged, state updated, as a deployed model would be between refits)
// and forecasts up to `horizon` steps, each scored against the actual value
// (a forecast running past the end of the series is cut). Fitting once
// keeps a backtest as cheap as one fit plus a filter pass, which `auto`
// needs to try every model.
#pragma once

#include <cstdint>
#include <memory>
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
  // Steps between forecast origins, >= 1: `origin_stride` for a model with
  // analytic intervals (calibrating their widths needs a few dozen
  // origins), `empirical_origin_stride` for one without (its intervals are
  // error quantiles per step, which need many).
  int origin_stride = 1;
  int empirical_origin_stride = 1;
};

// How `auto` backtests a series of `n` values for a `horizon`-step forecast:
// origins whose forecasts reach as far as the forecast asked for (up to a
// quarter of the series), spread over the held-out window.
struct BacktestPlan {
  // Steps scored per origin: min(horizon, n / 4), at least 1.
  int horizon = 1;
  // Held-out values: max(2 * horizon, n / 5), leaving at least 2 to train on
  // (0 when n < 3: nothing can be held out).
  int test_length = 0;
  // Steps between origins: for models with analytic intervals, enough
  // origins to calibrate them (up to kMaxBacktestOrigins); for the others
  // every origin. Either way no more than kMaxBacktestPoints (origin, step)
  // pairs, yet at least kMinBacktestOrigins origins when the window has
  // that many values.
  int origin_stride = 1;
  int empirical_origin_stride = 1;
};
inline constexpr int kMaxBacktestOrigins = 60;
inline constexpr int kMinBacktestOrigins = 8;
inline constexpr int64_t kMaxBacktestPoints = 100'000;

// The plan for `n` values and a forecast of `horizon` steps (>= 1).
BacktestPlan PlanBacktest(int n, int horizon);

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
  // origins[i]: the index in the series of origin i's first forecast step;
  // forecasts[i]: its forecasts (at most `horizon` steps, cut at the end of
  // the series), with the model's own interval when it has one.
  std::vector<int> origins;
  std::vector<std::vector<ForecastValue>> forecasts;
  // The model fitted on the training part, extended with every held-out
  // value: its parameters from the training part, its state at the end of
  // the series.
  std::shared_ptr<const FittedModel> extended_to_end;
  // Whether the model's own intervals were scored (see accuracy).
  bool analytic_interval = false;
  // The model fitted on the training part.
  std::string description;
  std::vector<std::pair<std::string, double>> parameters;
};

// Held-out origins between two polls of ModelOptions::cancelled (each
// origin is one Extend and one Predict of at most `horizon` steps); with a
// horizon of kBacktestCancelPollOrigins steps or more, every origin polls
// (a long forecast with its interval costs as much as many short ones).
inline constexpr int kBacktestCancelPollOrigins = 64;

// Backtests `kind` on `values` (regular, finite, oldest first). Errors are
// FitModel's (e.g. INSUFFICIENT_HISTORY when the training part is shorter
// than MinimumLength; CANCELLED when model_options.cancelled stopped the
// fit), CANCELLED when model_options.cancelled says so between origins, and
// INVALID_ARGUMENT for a horizon, test length or origin stride < 1 or a test
// length leaving no training data.
absl::StatusOr<BacktestResult> Backtest(ModelKind kind, std::span<const double> values,
                                        const ModelOptions& model_options,
                                        const BacktestOptions& options);

}  // namespace horizonscale::forecast

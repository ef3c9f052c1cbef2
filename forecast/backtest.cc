#include "forecast/internal/backtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>

#include <absl/strings/str_cat.h>

#include "forecast/cancellation.h"

namespace horizonscale::forecast {
namespace {

// The q-quantile (q in [0, 1]) of `values` (not empty; reordered) by linear
// interpolation between order statistics (Hyndman & Fan type 7, R's
// default). Selects the two order statistics in linear time rather than
// sorting: the result is exactly the sorted computation's.
double SelectQuantile(std::vector<double>& values, double q) {
  const double position = q * static_cast<double>(values.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(below);
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(below);
  std::nth_element(values.begin(), nth, values.end());
  const double low = *nth;
  // Everything after the nth element is >= it: the next order statistic is
  // their minimum.
  const double high = above == below ? low : *std::min_element(nth + 1, values.end());
  return low + fraction * (high - low);
}

// The (1 − level)/2 and (1 + level)/2 quantiles of `errors` (not empty),
// selected in `scratch`.
std::pair<double, double> ErrorQuantiles(std::span<const double> errors, double level,
                                         std::vector<double>& scratch) {
  scratch.assign(errors.begin(), errors.end());
  const double low = SelectQuantile(scratch, (1 - level) / 2);
  return {low, SelectQuantile(scratch, (1 + level) / 2)};
}

// Coverage of empirical intervals fitted on the errors of the first half of
// the origins, scored on the errors of the second half: the share of those
// errors (actual − forecast) within the interval's [lower, upper] offsets
// (EmpiricalInterval of the first half's errors, without copying them).
// errors[k − 1][i] is origin i's error k steps ahead (every origin up to the
// last that reaches k steps has one, so the index is the origin's, and the
// steps with first-half errors are a prefix).
double CrossFittedCoverage(const std::vector<std::vector<double>>& errors, int origins,
                           double level) {
  const auto first_half = static_cast<size_t>(origins / 2);
  size_t calibrated_steps = 0;
  while (calibrated_steps < errors.size() &&
         std::min(first_half, errors[calibrated_steps].size()) > 0) {
    ++calibrated_steps;
  }
  if (calibrated_steps == 0) return 0;
  std::vector<double> scratch;
  std::pair<double, double> quantiles;  // of the last calibrated step up to k
  int64_t inside = 0, scored = 0;
  for (size_t k = 0; k < errors.size(); ++k) {
    if (k < calibrated_steps) {
      const std::span<const double> calibration(errors[k]);
      quantiles = ErrorQuantiles(calibration.first(std::min(first_half, calibration.size())), level,
                                 scratch);
    }
    const double growth = std::sqrt(static_cast<double>(k + 1) /
                                    static_cast<double>(std::min(k + 1, calibrated_steps)));
    const double low = growth * quantiles.first, high = growth * quantiles.second;
    for (size_t i = first_half; i < errors[k].size(); ++i) {
      ++scored;
      if (low <= errors[k][i] && errors[k][i] <= high) ++inside;
    }
  }
  return scored == 0 ? 0 : static_cast<double>(inside) / static_cast<double>(scored);
}

}  // namespace

BacktestPlan PlanBacktest(int n, int horizon) {
  BacktestPlan plan;
  plan.horizon = std::max(1, std::min(horizon, n / 4));
  plan.test_length = std::max(0, std::min(std::max(2 * plan.horizon, n / 5), n - 2));
  if (plan.test_length == 0) return plan;
  const int64_t by_points =
      std::max<int64_t>(kMaxBacktestPoints / plan.horizon, kMinBacktestOrigins);
  // ceil(test_length / origins): at most `origins` origins.
  auto stride = [&](int64_t origins) {
    origins = std::min<int64_t>(origins, plan.test_length);
    return static_cast<int>((plan.test_length + origins - 1) / origins);
  };
  plan.origin_stride = stride(std::min<int64_t>(kMaxBacktestOrigins, by_points));
  plan.empirical_origin_stride = stride(by_points);
  return plan;
}

absl::StatusOr<BacktestResult> Backtest(ModelKind kind, std::span<const double> values,
                                        const ModelOptions& model_options,
                                        const BacktestOptions& options) {
  const int n = static_cast<int>(values.size());
  if (options.horizon < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("backtest horizon must be >= 1, got ", options.horizon));
  }
  if (options.origin_stride < 1 || options.empirical_origin_stride < 1) {
    return absl::InvalidArgumentError(absl::StrCat("backtest origin strides must be >= 1, got ",
                                                   options.origin_stride, " and ",
                                                   options.empirical_origin_stride));
  }
  if (options.test_length < 1 || options.test_length >= n) {
    return absl::InvalidArgumentError(absl::StrCat("backtest test length must be in [1, ", n - 1,
                                                   "], got ", options.test_length));
  }
  const int train = n - options.test_length;
  absl::StatusOr<std::unique_ptr<FittedModel>> fitted =
      FitModel(kind, values.first(train), model_options);
  if (!fitted.ok()) return fitted.status();
  std::unique_ptr<FittedModel> model = std::move(*fitted);

  BacktestResult result;
  result.analytic_interval = model->analytic_interval();
  result.description = model->description();
  result.parameters = model->parameters();
  AccuracyAccumulator accuracy;
  const int stride =
      result.analytic_interval ? options.origin_stride : options.empirical_origin_stride;
  int seen = train;  // values the model has observed
  for (int origin = train; origin < n; origin += stride) {
    const bool poll = options.horizon >= kBacktestCancelPollOrigins ||
                      result.origins.size() % kBacktestCancelPollOrigins == 0;
    if (poll && IsCancelled(model_options.cancelled)) {
      return CancelledStatus(absl::StrCat("backtest of ", ModelName(kind)));
    }
    if (origin > seen) model = model->Extend(values.subspan(seen, origin - seen));
    seen = origin;
    const int steps = std::min(options.horizon, n - origin);
    std::vector<ForecastValue> forecast = model->Predict(steps, options.level);
    for (int k = 1; k <= steps; ++k) accuracy.Add({values[origin + k - 1], forecast[k - 1]});
    result.origins.push_back(origin);
    result.forecasts.push_back(std::move(forecast));
  }
  if (n > seen) model = model->Extend(values.subspan(seen, n - seen));
  result.extended_to_end = std::move(model);
  // Steps per origin never grow along the window, so the origins reaching
  // step k are a prefix, in origin order.
  result.errors.resize(options.horizon);
  for (size_t i = 0; i < result.origins.size(); ++i) {
    for (size_t k = 0; k < result.forecasts[i].size(); ++k) {
      result.errors[k].push_back(values[result.origins[i] + k] - result.forecasts[i][k].value);
    }
  }

  result.accuracy = accuracy.Result(MaseScale(values.first(train), model_options.seasonal_period));
  if (!result.analytic_interval) {
    result.accuracy.interval_coverage =
        CrossFittedCoverage(result.errors, static_cast<int>(result.origins.size()), options.level);
  }
  return result;
}

namespace {

// The step whose errors EmpiricalInterval uses for `steps` ahead: the last
// step up to `steps` with errors (1-based), or 0 when there is none.
int AvailableStep(const std::vector<std::vector<double>>& errors, int steps) {
  int available = std::min<int>(steps, static_cast<int>(errors.size()));
  while (available > 0 && errors[available - 1].empty()) --available;
  return available;
}

// The interval offsets `steps` ahead from the error quantiles of step
// `available` (>= 1).
std::pair<double, double> Grown(std::pair<double, double> quantiles, int steps, int available) {
  const double growth = std::sqrt(static_cast<double>(steps) / available);
  return {growth * quantiles.first, growth * quantiles.second};
}

}  // namespace

std::pair<double, double> EmpiricalInterval(const std::vector<std::vector<double>>& errors,
                                            int steps, double level) {
  const int available = AvailableStep(errors, steps);
  if (available == 0) return {0, 0};
  std::vector<double> scratch;
  return Grown(ErrorQuantiles(errors[available - 1], level, scratch), steps, available);
}

std::vector<std::pair<double, double>> EmpiricalIntervals(
    const std::vector<std::vector<double>>& errors, int horizon, double level) {
  std::vector<std::pair<double, double>> intervals(static_cast<size_t>(std::max(horizon, 0)));
  std::vector<double> scratch;
  std::pair<double, double> quantiles;
  int quantiles_step = 0;  // the step whose errors `quantiles` are of
  for (int steps = 1; steps <= horizon; ++steps) {
    const int available = AvailableStep(errors, steps);
    if (available == 0) continue;  // {0, 0}
    if (available != quantiles_step) {
      quantiles = ErrorQuantiles(errors[available - 1], level, scratch);
      quantiles_step = available;
    }
    intervals[steps - 1] = Grown(quantiles, steps, available);
  }
  return intervals;
}

}  // namespace horizonscale::forecast

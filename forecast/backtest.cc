#include "forecast/backtest.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include <absl/strings/str_cat.h>

#include "forecast/cancellation.h"

namespace horizonscale::forecast {
namespace {

// The q-quantile (q in [0, 1]) of `sorted` by linear interpolation between
// order statistics (Hyndman & Fan type 7, R's default).
double SortedQuantile(const std::vector<double>& sorted, double q) {
  const double position = q * static_cast<double>(sorted.size() - 1);
  const size_t below = static_cast<size_t>(std::floor(position));
  const size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

// Coverage of empirical intervals fitted on the errors of the first half of
// the origins, scored on the errors of the second half: the share of those
// errors (actual − forecast) within the interval's [lower, upper] offsets.
// errors[k − 1][i] is origin i's error k steps ahead (every origin up to the
// last that reaches k steps has one, so the index is the origin's).
double CrossFittedCoverage(const std::vector<std::vector<double>>& errors, int test_length,
                           double level) {
  const auto first_half = static_cast<size_t>(test_length / 2);
  std::vector<std::vector<double>> calibration(errors.size());
  for (size_t k = 0; k < errors.size(); ++k) {
    const size_t calibrated = std::min(first_half, errors[k].size());
    calibration[k].assign(errors[k].begin(), errors[k].begin() + calibrated);
  }
  while (!calibration.empty() && calibration.back().empty()) calibration.pop_back();
  if (calibration.empty()) return 0;
  const std::vector<std::pair<double, double>> intervals =
      EmpiricalIntervals(calibration, static_cast<int>(errors.size()), level);
  int64_t inside = 0, scored = 0;
  for (size_t k = 0; k < errors.size(); ++k) {
    const auto [low, high] = intervals[k];
    for (size_t i = first_half; i < errors[k].size(); ++i) {
      ++scored;
      if (low <= errors[k][i] && errors[k][i] <= high) ++inside;
    }
  }
  return scored == 0 ? 0 : static_cast<double>(inside) / static_cast<double>(scored);
}

}  // namespace

absl::StatusOr<BacktestResult> Backtest(ModelKind kind, std::span<const double> values,
                                        const ModelOptions& model_options,
                                        const BacktestOptions& options) {
  const int n = static_cast<int>(values.size());
  if (options.horizon < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("backtest horizon must be >= 1, got ", options.horizon));
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
  result.errors.resize(options.horizon);
  // Origin i scores min(horizon, test_length − i) steps: step k has
  // test_length − k + 1 errors.
  AccuracyAccumulator accuracy;
  for (int k = 1; k <= options.horizon; ++k) {
    result.errors[k - 1].reserve(static_cast<size_t>(std::max(options.test_length - k + 1, 0)));
  }
  for (int i = 0; i < options.test_length; ++i) {
    if (i % kBacktestCancelPollOrigins == 0 && IsCancelled(model_options.cancelled)) {
      return CancelledStatus(absl::StrCat("backtest of ", ModelName(kind)));
    }
    const int origin = train + i;
    if (i > 0) model = model->Extend(values.subspan(origin - 1, 1));
    const int steps = std::min(options.horizon, n - origin);
    const std::vector<ForecastValue> forecast = model->Predict(steps, options.level);
    for (int k = 1; k <= steps; ++k) {
      const double actual = values[origin + k - 1];
      result.errors[k - 1].push_back(actual - forecast[k - 1].value);
      accuracy.Add({actual, forecast[k - 1]});
    }
  }

  result.accuracy = accuracy.Result(MaseScale(values.first(train), model_options.seasonal_period));
  if (!result.analytic_interval) {
    result.accuracy.interval_coverage =
        CrossFittedCoverage(result.errors, options.test_length, options.level);
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

// The interval offsets `steps` ahead from the sorted errors of step
// `available` (>= 1).
std::pair<double, double> IntervalFromSorted(const std::vector<double>& sorted, int steps,
                                             int available, double level) {
  const double growth = std::sqrt(static_cast<double>(steps) / available);
  return {growth * SortedQuantile(sorted, (1 - level) / 2),
          growth * SortedQuantile(sorted, (1 + level) / 2)};
}

}  // namespace

std::pair<double, double> EmpiricalInterval(const std::vector<std::vector<double>>& errors,
                                            int steps, double level) {
  const int available = AvailableStep(errors, steps);
  if (available == 0) return {0, 0};
  std::vector<double> sorted = errors[available - 1];
  std::sort(sorted.begin(), sorted.end());
  return IntervalFromSorted(sorted, steps, available, level);
}

std::vector<std::pair<double, double>> EmpiricalIntervals(
    const std::vector<std::vector<double>>& errors, int horizon, double level) {
  std::vector<std::pair<double, double>> intervals(static_cast<size_t>(std::max(horizon, 0)));
  std::vector<double> sorted;
  int sorted_step = 0;  // the step whose errors `sorted` holds
  for (int steps = 1; steps <= horizon; ++steps) {
    const int available = AvailableStep(errors, steps);
    if (available == 0) continue;  // {0, 0}
    if (available != sorted_step) {
      sorted = errors[available - 1];
      std::sort(sorted.begin(), sorted.end());
      sorted_step = available;
    }
    intervals[steps - 1] = IntervalFromSorted(sorted, steps, available, level);
  }
  return intervals;
}

}  // namespace horizonscale::forecast

#include "forecast/backtest.h"

#include <algorithm>
#include <cmath>

#include <absl/strings/str_cat.h>

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

// One scored forecast with the origin it came from.
struct OriginPoint {
  int origin = 0;  // index of the origin in the held-out window
  int steps = 0;   // steps ahead
  ScoredPoint point;
};

// Coverage of empirical intervals fitted on the first half of the origins,
// scored on the points of the second half.
double CrossFittedCoverage(const std::vector<OriginPoint>& points, int test_length, int horizon,
                           double level) {
  const int first_half = test_length / 2;
  std::vector<std::vector<double>> calibration(horizon);
  for (const OriginPoint& p : points) {
    if (p.origin < first_half) {
      calibration[p.steps - 1].push_back(p.point.actual - p.point.forecast.value);
    }
  }
  while (!calibration.empty() && calibration.back().empty()) calibration.pop_back();
  int inside = 0, scored = 0;
  for (const OriginPoint& p : points) {
    if (p.origin < first_half || calibration.empty()) continue;
    const auto [low, high] = EmpiricalInterval(calibration, p.steps, level);
    const double value = p.point.forecast.value;
    ++scored;
    if (value + low <= p.point.actual && p.point.actual <= value + high) ++inside;
  }
  return scored == 0 ? 0 : static_cast<double>(inside) / scored;
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
  std::vector<OriginPoint> scored;
  for (int i = 0; i < options.test_length; ++i) {
    const int origin = train + i;
    if (i > 0) model = model->Extend(values.subspan(origin - 1, 1));
    const int steps = std::min(options.horizon, n - origin);
    const std::vector<ForecastValue> forecast = model->Predict(steps, options.level);
    for (int k = 1; k <= steps; ++k) {
      const double actual = values[origin + k - 1];
      result.errors[k - 1].push_back(actual - forecast[k - 1].value);
      scored.push_back({i, k, {actual, forecast[k - 1]}});
    }
  }

  std::vector<ScoredPoint> points;
  points.reserve(scored.size());
  for (const OriginPoint& p : scored) points.push_back(p.point);
  result.accuracy = Score(points, MaseScale(values.first(train), model_options.seasonal_period));
  if (!result.analytic_interval) {
    result.accuracy.interval_coverage =
        CrossFittedCoverage(scored, options.test_length, options.horizon, options.level);
  }
  return result;
}

std::pair<double, double> EmpiricalInterval(const std::vector<std::vector<double>>& errors,
                                            int steps, double level) {
  int available = std::min<int>(steps, static_cast<int>(errors.size()));
  while (available > 0 && errors[available - 1].empty()) --available;
  if (available == 0) return {0, 0};
  std::vector<double> sorted = errors[available - 1];
  std::sort(sorted.begin(), sorted.end());
  const double growth = std::sqrt(static_cast<double>(steps) / available);
  return {growth * SortedQuantile(sorted, (1 - level) / 2),
          growth * SortedQuantile(sorted, (1 + level) / 2)};
}

}  // namespace horizonscale::forecast

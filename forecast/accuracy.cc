// Accuracy measures. Zero actuals: MAPE skips them (a percentage of zero is
// undefined) and counts them in zero_actuals; sMAPE and MASE, which stay
// defined there, include them. "Zero" means exactly 0.0.
#include "forecast/accuracy.h"

#include <cmath>
#include <limits>

namespace horizonscale::forecast {
namespace {

// Running sums of the error measures over scored points.
struct ErrorSums {
  double absolute_percentage = 0;  // over non-zero actuals only
  double symmetric_percentage = 0;
  double absolute = 0;
  double squared = 0;
  int64_t covered = 0;
  int64_t zero_actuals = 0;

  void Add(const ScoredPoint& point);
};

void ErrorSums::Add(const ScoredPoint& point) {
  const double actual = point.actual;
  const double forecast = point.forecast.value;
  const double error = std::abs(actual - forecast);
  if (actual == 0) {
    ++zero_actuals;
  } else {
    absolute_percentage += 100 * error / std::abs(actual);
  }
  const double magnitude = std::abs(actual) + std::abs(forecast);
  if (magnitude > 0) symmetric_percentage += 200 * error / magnitude;  // a = f = 0 adds 0
  absolute += error;
  squared += error * error;
  if (point.forecast.lower <= actual && actual <= point.forecast.upper) ++covered;
}

// MAE / scale, with 0 / 0 = 0 and x / 0 = +inf for x > 0. A scale that is
// not positive counts as 0.
double ScaledError(double mean_absolute_error, double scale) {
  if (scale > 0) return mean_absolute_error / scale;
  return mean_absolute_error == 0 ? 0 : std::numeric_limits<double>::infinity();
}

}  // namespace

double MaseScale(std::span<const double> training, int seasonal_period) {
  const size_t n = training.size();
  if (n < 2) return 0;
  size_t lag = 1;
  if (seasonal_period >= 2 && n >= static_cast<size_t>(seasonal_period) + 1) {
    lag = static_cast<size_t>(seasonal_period);
  }
  double sum = 0;
  for (size_t t = lag; t < n; ++t) sum += std::abs(training[t] - training[t - lag]);
  return sum / static_cast<double>(n - lag);
}

Accuracy Score(std::span<const ScoredPoint> points, double mase_scale) {
  Accuracy accuracy;
  if (points.empty()) return accuracy;
  ErrorSums sums;
  for (const ScoredPoint& point : points) sums.Add(point);

  const auto count = static_cast<double>(points.size());
  const int64_t nonzero = static_cast<int64_t>(points.size()) - sums.zero_actuals;
  accuracy.points_scored = static_cast<int64_t>(points.size());
  accuracy.zero_actuals = sums.zero_actuals;
  accuracy.mape_percent = nonzero > 0 ? sums.absolute_percentage / static_cast<double>(nonzero) : 0;
  accuracy.smape_percent = sums.symmetric_percentage / count;
  accuracy.mase = ScaledError(sums.absolute / count, mase_scale);
  accuracy.rmse = std::sqrt(sums.squared / count);
  accuracy.interval_coverage = static_cast<double>(sums.covered) / count;
  return accuracy;
}

}  // namespace horizonscale::forecast

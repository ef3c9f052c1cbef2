// Accuracy measures. Zero actuals: MAPE skips them (a percentage of zero is
// undefined) and counts them in zero_actuals; sMAPE and MASE, which stay
// defined there, include them. "Zero" means exactly 0.0.
#include "forecast/accuracy.h"

#include <cmath>
#include <limits>

namespace horizonscale::forecast {
namespace {

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
  AccuracyAccumulator sums;
  for (const ScoredPoint& point : points) sums.Add(point);
  return sums.Result(mase_scale);
}

void AccuracyAccumulator::Add(const ScoredPoint& point) {
  const double actual = point.actual;
  const double forecast = point.forecast.value;
  const double error = std::abs(actual - forecast);
  if (actual == 0) {
    ++zero_actuals_;
  } else {
    absolute_percentage_ += 100 * error / std::abs(actual);
  }
  const double magnitude = std::abs(actual) + std::abs(forecast);
  if (magnitude > 0) symmetric_percentage_ += 200 * error / magnitude;  // a = f = 0 adds 0
  absolute_ += error;
  squared_ += error * error;
  if (point.forecast.lower <= actual && actual <= point.forecast.upper) ++covered_;
  ++count_;
}

Accuracy AccuracyAccumulator::Result(double mase_scale) const {
  Accuracy accuracy;
  if (count_ == 0) return accuracy;
  const auto count = static_cast<double>(count_);
  const int64_t nonzero = count_ - zero_actuals_;
  accuracy.points_scored = count_;
  accuracy.zero_actuals = zero_actuals_;
  accuracy.mape_percent = nonzero > 0 ? absolute_percentage_ / static_cast<double>(nonzero) : 0;
  accuracy.smape_percent = symmetric_percentage_ / count;
  accuracy.mase = ScaledError(absolute_ / count, mase_scale);
  accuracy.rmse = std::sqrt(squared_ / count);
  accuracy.interval_coverage = static_cast<double>(covered_) / count;
  return accuracy;
}

}  // namespace horizonscale::forecast

#include <cmath>

#include <absl/strings/str_cat.h>

#include "forecast/forecast.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {

absl::StatusOr<LinearFit> FitLinear(std::span<const double> values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("value at index ", i, " is not finite (", values[i], ")"));
    }
  }
  if (values.size() < 3) {
    return InsufficientHistoryError(
        absl::StrCat("a linear trend needs at least 3 points of history, got ", values.size()));
  }
  LinearFit fit;
  fit.points = static_cast<int>(values.size());
  const double n = fit.points;
  fit.mean_t = (n - 1) / 2;
  double mean_y = 0;
  for (double y : values) mean_y += y;
  mean_y /= n;
  double sxy = 0;
  for (size_t t = 0; t < values.size(); ++t) {
    const double dt = static_cast<double>(t) - fit.mean_t;
    fit.sum_sq_t += dt * dt;
    sxy += dt * (values[t] - mean_y);
  }
  fit.slope = sxy / fit.sum_sq_t;
  fit.intercept = mean_y - fit.slope * fit.mean_t;
  double sse = 0;
  for (size_t t = 0; t < values.size(); ++t) {
    const double error = values[t] - (fit.intercept + fit.slope * static_cast<double>(t));
    sse += error * error;
  }
  fit.residual_stddev = std::sqrt(sse / (n - 2));
  return fit;
}

std::vector<ForecastValue> PredictLinear(const LinearFit& fit, int horizon, double coverage) {
  const double z = NormalQuantile((1 + coverage) / 2);
  std::vector<ForecastValue> out;
  out.reserve(horizon > 0 ? horizon : 0);
  for (int k = 0; k < horizon; ++k) {
    const double t = fit.points + k;
    const double value = fit.intercept + fit.slope * t;
    const double dt = t - fit.mean_t;
    const double half_width =
        z * fit.residual_stddev * std::sqrt(1 + 1.0 / fit.points + dt * dt / fit.sum_sq_t);
    out.push_back({value, value - half_width, value + half_width});
  }
  return out;
}

}  // namespace horizonscale::forecast

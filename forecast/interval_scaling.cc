#include "forecast/interval_scaling.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace horizonscale::forecast {

double StandardizedError(const ForecastValue& forecast, double actual) {
  const double deviation = actual - forecast.value;
  if (deviation == 0) return 0;
  const double half_width =
      deviation > 0 ? forecast.upper - forecast.value : forecast.value - forecast.lower;
  if (!(half_width > 0)) return std::numeric_limits<double>::infinity();
  return std::abs(deviation) / half_width;
}

std::vector<double> WidthScales(const std::vector<std::vector<double>>& errors, double level) {
  const int steps = static_cast<int>(errors.size());
  std::vector<double> scales(steps, 1.0);
  std::vector<double> pooled;
  for (int h = 0; h < steps; ++h) {
    const int half_window = std::max(2, h / 8);
    pooled.clear();
    for (int k = std::max(0, h - half_window); k <= std::min(steps - 1, h + half_window); ++k) {
      pooled.insert(pooled.end(), errors[k].begin(), errors[k].end());
    }
    if (pooled.empty()) {
      if (h > 0) scales[h] = scales[h - 1];
      continue;
    }
    const auto covered = static_cast<size_t>(std::ceil(level * static_cast<double>(pooled.size())));
    const size_t rank = std::clamp<size_t>(covered, 1, pooled.size()) - 1;
    std::nth_element(pooled.begin(), pooled.begin() + static_cast<std::ptrdiff_t>(rank),
                     pooled.end());
    scales[h] = pooled[rank];
  }
  return scales;
}

void ScaleIntervals(std::span<const double> scales, std::vector<ForecastValue>& forecasts) {
  if (scales.empty()) return;
  for (size_t h = 0; h < forecasts.size(); ++h) {
    const double scale = scales[std::min(h, scales.size() - 1)];
    ForecastValue& f = forecasts[h];
    f.lower = f.value - scale * (f.value - f.lower);
    f.upper = f.value + scale * (f.upper - f.value);
  }
}

}  // namespace horizonscale::forecast

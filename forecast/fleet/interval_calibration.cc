#include "forecast/fleet/interval_calibration.h"

#include <algorithm>

namespace horizonscale::forecast {

void IntervalCalibration::Apply(ModelKind kind, std::vector<ForecastValue>& forecasts) const {
  const auto found = width_scales.find(kind);
  if (found == width_scales.end() || found->second.empty()) return;
  const std::vector<double>& scales = found->second;
  for (size_t h = 0; h < forecasts.size(); ++h) {
    const double scale = scales[std::min(h, scales.size() - 1)];
    ForecastValue& f = forecasts[h];
    f.lower = f.value - scale * (f.value - f.lower);
    f.upper = f.value + scale * (f.upper - f.value);
  }
}

}  // namespace horizonscale::forecast

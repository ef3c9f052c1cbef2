#include "forecast/fleet/interval_calibration.h"

#include "forecast/interval_scaling.h"

namespace horizonscale::forecast {

void IntervalCalibration::Apply(ModelKind kind, std::vector<ForecastValue>& forecasts) const {
  const auto found = width_scales.find(kind);
  if (found != width_scales.end()) ScaleIntervals(found->second, forecasts);
}

}  // namespace horizonscale::forecast

// Width multipliers that bring each model's prediction intervals to their
// nominal coverage, learnt on the fleet itself (forecast/
// tournament_calibration.h) and applied by the tournament to every interval
// the model writes.
//
// A model's own intervals are right only when its assumptions hold: the
// smoothing models assume a stochastic level and trend whose variance grows
// with the horizon, so on trend-stationary series (a deterministic trend
// plus short-memory noise, what most utilization looks like) their long
// intervals are too wide; a series with a level shift or bursts inflates a
// residual-based σ for every day after. Scaling the half-widths by the
// quantile of the standardized errors measured on held-out data (split
// conformal calibration, per model and horizon step) fixes the coverage
// whatever the cause, and leaves the points alone.
#pragma once

#include <map>
#include <vector>

#include "forecast/forecast.h"
#include "forecast/model.h"

namespace horizonscale::forecast {

struct IntervalCalibration {
  // Per model, the multiplier of the half-widths of steps 1, 2, ... ahead
  // (index 0: one step); a step beyond the table uses its last entry. A
  // model absent from the map is not calibrated.
  std::map<ModelKind, std::vector<double>> width_scales;
  // Series the multipliers were measured on (0: no calibration).
  int sample_series = 0;

  // Scales the interval of forecasts[h] (h + 1 steps ahead) around its point
  // by `kind`'s multiplier; a no-op for a model without one.
  void Apply(ModelKind kind, std::vector<ForecastValue>& forecasts) const;
};

}  // namespace horizonscale::forecast

// Is the current arrival rate anomalous against recent history?
#pragma once

#include <span>

#include "planner/plan.h"

namespace horizonscale::planner {

// Flags an anomaly when the z-score of `current_rate` against `history`
// (needs >= 5 values with non-zero spread) exceeds `z_threshold`, or when
// current_rate > spike_multiplier × `expected_rate` (the forecast for now made
// without the current sample; needs expected_rate > 0). Reports both figures
// (0 when not computable) and a description naming what crossed.
AnomalyReport DetectAnomaly(std::span<const double> history, double current_rate,
                            double expected_rate, double z_threshold, double spike_multiplier);

}  // namespace horizonscale::planner

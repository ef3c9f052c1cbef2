// How the tournament fits one of its per-series models, shared by the
// tournament itself and by the calibration of its intervals.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/fleet/tournament.h"
#include "forecast/forecast.h"
#include "forecast/model.h"

namespace horizonscale::forecast::internal {

// Fits `kind` to `values` (a daily series starting on `first_day`) with the
// tournament's model options and forecasts `horizon` days with intervals at
// options.interval_level, neither calibrated nor clamped; fills
// `description` when given. INTERNAL when the model forecasts a non-finite
// value; FitModel's errors otherwise.
absl::StatusOr<std::vector<ForecastValue>> FitAndPredictRaw(ModelKind kind,
                                                            std::span<const double> values,
                                                            int64_t first_day, int horizon,
                                                            const TournamentOptions& options,
                                                            std::string* description);

}  // namespace horizonscale::forecast::internal

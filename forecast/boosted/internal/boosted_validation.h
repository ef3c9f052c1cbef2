// Input checks shared by BoostedFleetModel's Train, Forecast and Load
// (forecast/boosted/boosted_fleet_model.h). Pure; thread-safe.
#pragma once

#include <span>

#include <absl/status/status.h>

#include "forecast/boosted/boosted_fleet_model.h"

namespace horizonscale::forecast::internal {

// OK when every field of `options` is in its documented range; otherwise
// INVALID_ARGUMENT naming the field, its range and the value given.
absl::Status ValidateBoostedOptions(const BoostedOptions& options);

// OK when `series` is non-empty, every group is >= 0 and every value is
// finite; otherwise INVALID_ARGUMENT naming the series (and value index).
absl::Status ValidateBoostedSeries(std::span<const BoostedSeries> series);

}  // namespace horizonscale::forecast::internal

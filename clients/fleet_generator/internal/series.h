// Turning a series' parameters into its daily values. Internal to
// hs_fleet_generator.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "clients/fleet_generator/fleet_generator.h"
#include "clients/fleet_generator/internal/dna.h"

namespace horizonscale::fleetgen::internal {

// Chance that a gap (missing days) starts on a day of a dirty host, and its
// longest length; gaps are shared by the host's resources.
inline constexpr double kGapStartProbability = 0.004;
inline constexpr int kLongestGapDays = 7;
// Chance that a present day's row of a dirty series is delivered twice.
inline constexpr double kDuplicateProbability = 0.002;
// Measurement overshoots lie in (100, 100 + kLargestOvershootPercent].
inline constexpr double kLargestOvershootPercent = 2.0;

// The values of `resource` of a host (noise, bursts, clipping to [0, 100],
// rounding to 0.001, overshoots), without dirt. `first_day` is in days since
// 1970-01-01.
std::vector<double> RenderValues(const SeriesDna& dna, Resource resource,
                                 std::span<const Burst> bursts, const FleetOptions& options,
                                 int64_t first_day, uint64_t seed);

// The offsets of the days a dirty host is missing (shared by its resources),
// ascending.
std::vector<int> DrawGapDays(int days, uint64_t seed);

// Marks `gap_days` missing (NaN) in `values` and returns the offsets of the
// present days delivered twice, ascending.
std::vector<int> ApplyDirt(std::vector<double>& values, std::span<const int> gap_days,
                           Resource resource, uint64_t seed);

// The first day (days since 1970-01-01) in [first_day, first_day + days − 1 +
// horizon_days] on which SeriesMean reaches kBreachThresholdPercent.
std::optional<int64_t> TrueBreachDay(const SeriesDna& dna, int64_t first_day, int days,
                                     int horizon_days);

}  // namespace horizonscale::fleetgen::internal

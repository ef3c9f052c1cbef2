// Drawing a host's behaviour: the host-level events its resources share and
// the parameters (SeriesDna) of each resource. Internal to hs_fleet_generator.
#pragma once

#include <cstdint>
#include <vector>

#include "clients/fleet_generator/fleet_generator.h"

namespace horizonscale::fleetgen::internal {

// A burst of kBursty: `height` percentage points on day `start` (an offset),
// decaying by kBurstDecay per following day, for `length` days.
struct Burst {
  int start = 0;
  int length = 1;
  double height = 0;
};
inline constexpr double kBurstDecay = 0.6;

// What the resources of one host share.
struct HostDraws {
  int step_day = -1;                // kStepShift: offset of the jump
  bool step_up = true;              // kStepShift: direction of the jump
  int yearly_peak_day_of_year = 1;  // kSeasonal
  std::vector<Burst> bursts;        // kBursty, ordered, not overlapping
};

// The host-level draws of `spec` (valid for `options`) from `seed`.
HostDraws DrawHost(const HostSpec& spec, const FleetOptions& options, uint64_t seed);

// The parameters of `resource` of `spec` from `seed`: drawn from the
// scenario's ranges, with spec.parameters overriding the draws of the
// primary resource.
SeriesDna DrawSeriesDna(const HostSpec& spec, Resource resource, const HostDraws& host,
                        const FleetOptions& options, uint64_t seed);

}  // namespace horizonscale::fleetgen::internal

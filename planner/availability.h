// Spare workers for an availability target: workers fail independently, and
// the pool must still have the workers its load needs.
#pragma once

#include <optional>

namespace horizonscale::planner {

// The least k >= 0 such that, of `required` + k workers each up
// independently with probability `worker_availability`, at least `required`
// are up with probability >= `target`: P(Binomial(required + k, 1 −
// worker_availability) <= k) >= target. 0 when `required` <= 0 or
// worker_availability is 1. nullopt when more than `max_spares` would be
// needed. Inputs: worker_availability in (0, 1], target in (0, 1),
// max_spares >= 0. The binomial tail is summed in log space (no underflow
// for large pools); O(k log k).
std::optional<int> SpareWorkers(int required, double worker_availability, double target,
                                int max_spares);

}  // namespace horizonscale::planner

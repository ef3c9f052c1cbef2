// Input validation shared by Evaluate and FindMinimumWorkers. Internal to
// hs_queueing.
#pragma once

#include <absl/status/status.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing::internal {

// OK, or INVALID_ARGUMENT naming the first bad field of `pool` and its value:
// model, arrival_rate, mean_service_time, service_time_stddev, the offered
// load arrival_rate * mean_service_time (must be finite), system_capacity
// (kMMcK: in [1, kMaxSystemCapacity], and >= workers when `check_workers`),
// workers (when `check_workers`: in [1, kMaxWorkers]; 1 for kMM1).
absl::Status ValidatePool(const PoolSpec& pool, bool check_workers);

// OK, or INVALID_ARGUMENT naming the first bad field of `target`.
absl::Status ValidateTarget(const CapacityTarget& target);

}  // namespace horizonscale::queueing::internal

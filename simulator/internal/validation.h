// Input checks shared by ValidateScenario, EstimateEvents and Simulate.
// Internal to hs_simulator. Every error is INVALID_ARGUMENT with a message
// that starts with the offending field's path ("traffic.spikes[2].start: ...").
#pragma once

#include <absl/status/status.h>

#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

// Most timeline windows a run may have (the timeline is kept in memory).
inline constexpr int64_t kMaxWindows = 1'000'000;
// Most spikes a traffic pattern may have.
inline constexpr size_t kMaxSpikes = 10'000;

// The scenario alone: traffic, duration, granularity, start.
absl::Status ValidateScenarioOnly(const Scenario& scenario);

// The configuration alone: service, SLO, delay, costs.
absl::Status ValidateConfig(const SimulationConfig& config);

// The plan: worker counts >= 0 and finite step times.
absl::Status ValidatePlan(const PoolPlan& plan);

}  // namespace horizonscale::simulator::internal

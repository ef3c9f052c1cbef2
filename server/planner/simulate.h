// Simulate: validation, mapping to the simulator library, replications and
// the answer. (GeneratePlan's validate_by_simulation is in
// server/planner/plan_validation.h.)
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "horizonscale/v1/plan.pb.h"
#include "horizonscale/v1/planner_service.pb.h"
#include "horizonscale/v1/simulation.pb.h"
#include "server/planner/simulation_speed.h"

namespace horizonscale::server {

// Most scenarios and replications one request may ask for.
inline constexpr int kMaxScenarios = 16;
inline constexpr int kMaxReplications = 100;
// Most spikes one scenario's traffic may have.
inline constexpr int kMaxSpikes = 1000;
// Most steps an inline plan may have (GeneratePlan makes at most 1440).
inline constexpr int kMaxPlanSteps = 10'000;

// Reads a stored plan by id (a UUID); nullopt when there is none. Failures
// are database failures.
using StoredPlanLoader =
    std::function<absl::StatusOr<std::optional<horizonscale::v1::CapacityPlan>>(
        const std::string& plan_id)>;

// Answers `request` into `response`. Errors: INVALID_ARGUMENT naming every
// bad field (reason INVALID_REQUEST, CONFIG_INVALID for the plan's numbers);
// RESOURCE_EXHAUSTED (reason SIMULATION_TOO_LARGE) when the estimated events
// of all scenarios and replications exceed `max_events`; NOT_FOUND for an
// unknown plan_id; CANCELLED when `cancelled` turns true (client cancel or
// deadline) during the run; the loader's failures as UNAVAILABLE. Each
// result's estimated_run_time comes from `speed`, which every completed run
// refines.
grpc::Status Simulate(const horizonscale::v1::SimulateRequest& request,
                      const StoredPlanLoader& load_plan, int64_t max_events,
                      const std::function<bool()>& cancelled, SimulationSpeed& speed,
                      horizonscale::v1::SimulateResponse* response);

}  // namespace horizonscale::server

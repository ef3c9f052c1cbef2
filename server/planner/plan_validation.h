// validate_by_simulation: GeneratePlan's plan replayed through the simulator
// against the plan's own arrival forecast. Works on the planner's domain
// result (planner/plan.h), not on the response it is mapped to.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <absl/status/statusor.h>

#include "planner/plan.h"

namespace horizonscale::server {

// The share of one-minute windows meeting `request.slo` when `result.plan`
// is simulated over the forecast window against traffic following
// `result.forecast` (the point forecast, piecewise constant per planning
// interval), starting from the plan's current workers and applying each
// step's worker count at its schedule time. Service times have the mean of
// `request.current`; they are exponential, or lognormal with the sample's
// coefficient of variation when `request.config.general_service_time` is set
// (planner::ServiceTimeStddev). Scale-ups arrive after
// `request.config.provisioning_lead_time`. Seeded by `plan_id` (FNV-1a), so
// the same plan gives the same figure.
// Errors: FAILED_PRECONDITION when the result has no forecast;
// RESOURCE_EXHAUSTED when the run would exceed `max_events`; CANCELLED when
// `cancelled` turns true; the simulator's own validation errors.
absl::StatusOr<double> SimulatedSloAchievement(const planner::PlanResult& result,
                                               const planner::PlanRequest& request,
                                               const std::string& plan_id, int64_t max_events,
                                               const std::function<bool()>& cancelled);

}  // namespace horizonscale::server

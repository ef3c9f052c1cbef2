// Mapping the planner's result to GeneratePlanResponse.
#pragma once

#include <string>

#include "horizonscale/v1/planner_service.pb.h"
#include "planner/plan.h"

namespace horizonscale::server {

// Identity of a stored plan.
struct PlanIdentity {
  std::string plan_id;
  std::string queue;
  std::string request_id;
};

// The API's name of a scaling action.
horizonscale::v1::ScalingAction ToProtoAction(planner::ScalingAction action);

// The response for `result`, planned under `config`.
horizonscale::v1::GeneratePlanResponse ToGeneratePlanResponse(const planner::PlanResult& result,
                                                              const PlanIdentity& identity,
                                                              const planner::PlannerConfig& config);

}  // namespace horizonscale::server

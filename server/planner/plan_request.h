// GeneratePlanRequest: validation and mapping to the planner's request.
#pragma once

#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "horizonscale/v1/planner_service.pb.h"
#include "planner/plan.h"

namespace horizonscale::server {

// Most inline history entries a request may carry.
inline constexpr int kMaxInlineHistory = 10'000;

// Validates `request` and fills `out` (history and last action excluded: they
// come from the database). Returns OK, or INVALID_ARGUMENT naming every bad
// field with reason INVALID_METRICS (queue, metrics, history),
// CONFIG_INVALID (config, SLO), MODEL_NOT_SUPPORTED (a model this server
// cannot plan with) or INVALID_REQUEST (request_id); the reason is the first
// violation's. An unset observe_time means `server_now`.
grpc::Status ToPlanRequest(const horizonscale::v1::GeneratePlanRequest& request,
                           absl::Time server_now, planner::PlanRequest* out);

// Maps an SLO (already validated) to the planner's.
planner::Slo ToSlo(const horizonscale::v1::Slo& slo);

// Maps one QueueMetrics (already validated) to a sample; `default_time` when
// observe_time is unset.
planner::QueueSample ToQueueSample(const horizonscale::v1::QueueMetrics& metrics,
                                   absl::Time default_time);

}  // namespace horizonscale::server

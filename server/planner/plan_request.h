// GeneratePlanRequest: validation and mapping to the planner's request.
#pragma once

#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "horizonscale/v1/planner_service.pb.h"
#include "planner/plan.h"
#include "server/common/field_checks.h"

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

// The same with the effective `slo` and `config` in place of the request's
// own (the queue's stored settings overlaid with the request's fields).
grpc::Status ToPlanRequest(const horizonscale::v1::GeneratePlanRequest& request,
                           const horizonscale::v1::Slo& slo,
                           const horizonscale::v1::PlannerConfig& config, absl::Time server_now,
                           planner::PlanRequest* out);

// Checks every set field of `config` (paths "config.<field>", reasons
// CONFIG_INVALID or MODEL_NOT_SUPPORTED) and writes the valid ones over
// `out`'s defaults.
void ReadPlannerConfig(const horizonscale::v1::PlannerConfig& config, FieldChecks& checks,
                       planner::PlannerConfig& out);

// Maps an SLO (already validated) to the planner's.
planner::Slo ToSlo(const horizonscale::v1::Slo& slo);

// Maps one QueueMetrics (already validated) to a sample; `default_time` when
// observe_time is unset.
planner::QueueSample ToQueueSample(const horizonscale::v1::QueueMetrics& metrics,
                                   absl::Time default_time);

// The API's form of a sample (its time as observe_time): ToQueueSample's
// inverse.
horizonscale::v1::QueueMetrics ToQueueMetrics(const planner::QueueSample& sample);

}  // namespace horizonscale::server

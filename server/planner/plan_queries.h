// CapacityPlannerService's read side: GetPlan and ListPlans, answered from
// the stored responses of GeneratePlan (db/plan_repository.h), and the
// stored-plan lookup Simulate's plan_id uses.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <absl/status/statusor.h>
#include <grpcpp/support/status.h>

#include "db/connection_pool.h"
#include "horizonscale/v1/plan.pb.h"
#include "horizonscale/v1/planner_service.pb.h"

namespace horizonscale::server {

// Both validate with FieldChecks: every bad field is reported at once, each
// as a BadRequest field violation.
//
// GetPlan. INVALID_ARGUMENT (reason INVALID_REQUEST, field plan_id) unless
// plan_id is a UUID; NOT_FOUND when no plan has that id; UNAVAILABLE while
// `pool` is null or the database is unreachable; DATA_LOSS when the stored
// plan does not decode.
grpc::Status GetPlan(const std::shared_ptr<db::ConnectionPool>& pool,
                     const horizonscale::v1::GetPlanRequest& request,
                     horizonscale::v1::GetPlanResponse& response);

// ListPlans: a queue's plans, newest first, one page at a time (page size
// per server/common/page_size.h's policy). INVALID_ARGUMENT naming every bad field
// (queue, page_size, page_token); UNAVAILABLE and DATA_LOSS as GetPlan.
grpc::Status ListPlans(const std::shared_ptr<db::ConnectionPool>& pool,
                       const horizonscale::v1::ListPlansRequest& request,
                       horizonscale::v1::ListPlansResponse& response);

// The plan stored under `plan_id` (a UUID), nullopt when there is none.
// Errors: UNAVAILABLE while `pool` is null or no connection could be had;
// DATA_LOSS when the stored plan does not decode; the database's failures.
absl::StatusOr<std::optional<horizonscale::v1::CapacityPlan>> LoadStoredPlan(
    const std::shared_ptr<db::ConnectionPool>& pool, const std::string& plan_id);

// Decodes a stored GeneratePlanResponse into `response`; DATA_LOSS (reason
// INTERNAL) when `bytes` do not parse.
grpc::Status ParseStoredResponse(const std::string& bytes,
                                 horizonscale::v1::GeneratePlanResponse* response);

}  // namespace horizonscale::server

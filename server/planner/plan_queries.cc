#include "server/planner/plan_queries.h"

#include <algorithm>
#include <limits>
#include <vector>

#include <absl/strings/str_cat.h>

#include "db/plan_repository.h"
#include "server/common/database_lease.h"
#include "server/common/errors.h"
#include "server/common/field_checks.h"
#include "server/common/page_size.h"
#include "server/common/page_token.h"
#include "server/common/text_checks.h"
#include "server/common/uuid.h"
#include "server/planner/queue_checks.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr int kDefaultPageSize = 50;

}  // namespace

grpc::Status ParseStoredResponse(const std::string& bytes, v1::GeneratePlanResponse* response) {
  if (!response->ParseFromString(bytes)) {
    return MakeError(grpc::StatusCode::DATA_LOSS, reason::kInternal,
                     "a stored plan could not be decoded");
  }
  return grpc::Status::OK;
}

absl::StatusOr<std::optional<v1::CapacityPlan>> LoadStoredPlan(
    const std::shared_ptr<db::ConnectionPool>& pool, const std::string& plan_id) {
  if (pool == nullptr) {
    return DatabaseNotReachableYetError();
  }
  absl::StatusOr<db::ConnectionPool::Lease> lease = pool->Acquire(kLeaseTimeout);
  if (!lease.ok()) return lease.status();
  absl::StatusOr<std::optional<db::StoredPlan>> stored = db::GetPlan(**lease, plan_id);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return std::nullopt;
  v1::GeneratePlanResponse generated;
  if (!generated.ParseFromString((*stored)->response)) {
    return absl::DataLossError("a stored plan could not be decoded");
  }
  return generated.plan();
}

grpc::Status GetPlan(const std::shared_ptr<db::ConnectionPool>& pool,
                     const v1::GetPlanRequest& request, v1::GetPlanResponse& response) {
  FieldChecks checks;
  if (!IsUuid(request.plan_id())) {
    checks.Fail("plan_id", absl::StrCat("must be a UUID, got ", Quoted(request.plan_id())),
                reason::kInvalidRequest);
  }
  if (!checks.ok()) return checks.ToStatus();
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  absl::StatusOr<std::optional<db::StoredPlan>> stored = db::GetPlan(**lease, request.plan_id());
  if (!stored.ok()) return DatabaseFailure(stored.status());
  if (!stored->has_value()) {
    return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                     absl::StrCat("no plan with plan_id ", request.plan_id()),
                     {{"plan_id", "no such plan"}});
  }
  v1::GeneratePlanResponse generated;
  if (grpc::Status parsed = ParseStoredResponse((*stored)->response, &generated); !parsed.ok()) {
    return parsed;
  }
  *response.mutable_plan() = std::move(*generated.mutable_plan());
  return grpc::Status::OK;
}

grpc::Status ListPlans(const std::shared_ptr<db::ConnectionPool>& pool,
                       const v1::ListPlansRequest& request, v1::ListPlansResponse& response) {
  FieldChecks checks;
  CheckQueueName("queue", request.queue(), reason::kInvalidMetrics, checks);
  const int page_size = PageSize(checks, request.page_size(), kDefaultPageSize);
  std::optional<db::PlanCursor> after;
  if (!request.page_token().empty()) {
    after = DecodePlanPageToken(request.queue(), request.page_token());
    if (!after.has_value()) {
      checks.Fail("page_token", "must be a next_page_token of the same queue",
                  reason::kInvalidRequest);
    }
  }
  if (!checks.ok()) return checks.ToStatus();
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  absl::StatusOr<std::vector<db::StoredPlan>> plans =
      db::ListPlans(**lease, request.queue(), page_size + 1, after);
  if (!plans.ok()) return DatabaseFailure(plans.status());
  const bool more = static_cast<int>(plans->size()) > page_size;
  if (more) plans->pop_back();
  for (const db::StoredPlan& stored : *plans) {
    v1::GeneratePlanResponse generated;
    if (grpc::Status parsed = ParseStoredResponse(stored.response, &generated); !parsed.ok()) {
      return parsed;
    }
    *response.add_plans() = std::move(*generated.mutable_plan());
  }
  if (more) {
    response.set_next_page_token(
        EncodePlanPageToken(request.queue(), {plans->back().generated_at, plans->back().plan_id}));
  }
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

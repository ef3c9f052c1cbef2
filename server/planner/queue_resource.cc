#include "server/planner/queue_resource.h"

#include <optional>
#include <vector>

#include <absl/strings/str_cat.h>

#include "db/queue_repository.h"
#include "server/common/database_lease.h"
#include "server/common/errors.h"
#include "server/common/field_checks.h"
#include "server/common/page_size.h"
#include "server/common/page_token.h"
#include "server/common/proto_time.h"
#include "server/planner/plan_request.h"
#include "server/planner/plan_response.h"
#include "server/planner/queue_checks.h"
#include "server/planner/queue_settings.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr int kDefaultPageSize = 50;

// The API's queue of a stored one; INTERNAL when its stored settings do
// not parse.
grpc::Status ToProto(const db::QueueRecord& record, v1::Queue& queue) {
  absl::StatusOr<QueueSettings> settings = ParseQueueSettings(record.settings);
  if (!settings.ok()) return DatabaseFailure(settings.status());
  queue.set_name(record.name);
  *queue.mutable_slo() = settings->slo;
  *queue.mutable_config() = settings->config;
  if (record.last_metrics.has_value())
    *queue.mutable_last_metrics() = ToQueueMetrics(*record.last_metrics);
  queue.set_history_samples(record.history_samples);
  queue.set_last_plan_id(record.last_plan_id);
  if (record.last_plan_at.has_value()) {
    *queue.mutable_last_plan_time() = ToProtoTimestamp(*record.last_plan_at);
  }
  if (record.last_action.has_value()) {
    v1::ScalingRecord& action = *queue.mutable_last_action();
    action.set_action(ToProtoAction(record.last_action->action));
    *action.mutable_time() = ToProtoTimestamp(record.last_action->time);
    action.set_workers(record.last_action->workers);
    const absl::Duration cooldown = settings->config.has_cooldown_period()
                                        ? ToAbslDuration(settings->config.cooldown_period())
                                        : planner::PlannerConfig{}.cooldown_period;
    *queue.mutable_cooldown_end_time() = ToProtoTimestamp(record.last_action->time + cooldown);
  }
  *queue.mutable_create_time() = ToProtoTimestamp(record.created_at);
  if (record.settings_updated_at.has_value()) {
    *queue.mutable_update_time() = ToProtoTimestamp(*record.settings_updated_at);
  }
  if (record.reset_at.has_value()) *queue.mutable_reset_time() = ToProtoTimestamp(*record.reset_at);
  return grpc::Status::OK;
}

grpc::Status QueueNotFound(const std::string& field, const std::string& name) {
  return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                   absl::StrCat("no queue named ", name), {{field, "no such queue"}});
}

}  // namespace

grpc::Status QueuesNeedPersistence() {
  return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kPersistenceDisabled,
                   "queues are stored in PostgreSQL, and this server runs with "
                   "--persist_plans=false");
}

grpc::Status GetQueue(const std::shared_ptr<db::ConnectionPool>& pool,
                      const v1::GetQueueRequest& request, v1::GetQueueResponse& response) {
  FieldChecks checks;
  CheckQueueName("name", request.name(), reason::kInvalidRequest, checks);
  if (!checks.ok()) return checks.ToStatus();
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  absl::StatusOr<std::optional<db::QueueRecord>> stored = db::GetQueue(**lease, request.name());
  if (!stored.ok()) return DatabaseFailure(stored.status());
  if (!stored->has_value()) return QueueNotFound("name", request.name());
  return ToProto(**stored, *response.mutable_queue());
}

grpc::Status ListQueues(const std::shared_ptr<db::ConnectionPool>& pool,
                        const v1::ListQueuesRequest& request, v1::ListQueuesResponse& response) {
  FieldChecks checks;
  const int page_size = PageSize(checks, request.page_size(), kDefaultPageSize);
  std::optional<std::string> after;
  if (!request.page_token().empty()) {
    after = DecodeQueuePageToken(request.page_token());
    if (!after.has_value()) {
      checks.Fail("page_token", "must be a next_page_token of ListQueues", reason::kInvalidRequest);
    }
  }
  if (!checks.ok()) return checks.ToStatus();
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  absl::StatusOr<std::vector<db::QueueRecord>> queues =
      db::ListQueues(**lease, page_size + 1, after);
  if (!queues.ok()) return DatabaseFailure(queues.status());
  const bool more = static_cast<int>(queues->size()) > page_size;
  if (more) queues->pop_back();
  for (const db::QueueRecord& record : *queues) {
    if (grpc::Status mapped = ToProto(record, *response.add_queues()); !mapped.ok()) return mapped;
  }
  if (more) response.set_next_page_token(EncodeQueuePageToken(queues->back().name));
  return grpc::Status::OK;
}

grpc::Status UpdateQueue(const std::shared_ptr<db::ConnectionPool>& pool,
                         const v1::UpdateQueueRequest& request, const QueueChanged& changed,
                         v1::UpdateQueueResponse& response) {
  FieldChecks checks;
  CheckQueueName("queue.name", request.queue().name(), reason::kInvalidRequest, checks);
  // The mask alone first (its paths bounded), on empty settings.
  QueueSettings probe;
  ApplyUpdateMask(request.queue(), request.update_mask(), probe, checks);
  if (!checks.ok()) return checks.ToStatus();
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  // Merged and checked under the queue's row lock.
  grpc::Status invalid = grpc::Status::OK;
  absl::StatusOr<db::QueueRecord> updated = db::UpdateQueueSettings(
      **lease, request.queue().name(),
      [&](const db::QueueSettings& stored) -> absl::StatusOr<db::QueueSettings> {
        absl::StatusOr<QueueSettings> settings = ParseQueueSettings(stored);
        if (!settings.ok()) return settings.status();
        FieldChecks merged("queue.");
        ApplyUpdateMask(request.queue(), request.update_mask(), *settings, merged);
        CheckQueueSettings(*settings, merged);
        if (!merged.ok()) {
          invalid = merged.ToStatus();
          return absl::InvalidArgumentError("invalid settings");
        }
        return ToStoredSettings(*settings);
      });
  if (!invalid.ok()) return invalid;
  if (!updated.ok()) return DatabaseFailure(updated.status());
  changed(request.queue().name());
  return ToProto(*updated, *response.mutable_queue());
}

grpc::Status ResetQueue(const std::shared_ptr<db::ConnectionPool>& pool,
                        const v1::ResetQueueRequest& request, const QueueChanged& changed,
                        v1::ResetQueueResponse& response) {
  FieldChecks checks;
  CheckQueueName("name", request.name(), reason::kInvalidRequest, checks);
  if (!checks.ok()) return checks.ToStatus();
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  absl::StatusOr<std::optional<db::QueueRecord>> reset = db::ResetQueue(**lease, request.name());
  if (!reset.ok()) return DatabaseFailure(reset.status());
  if (!reset->has_value()) return QueueNotFound("name", request.name());
  changed(request.name());
  return ToProto(**reset, *response.mutable_queue());
}

}  // namespace horizonscale::server

// The queue resource's methods: GetQueue, ListQueues, UpdateQueue and
// ResetQueue (AIP-style), between the API and db/queue_repository.h.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/support/status.h>

#include "db/connection_pool.h"
#include "horizonscale/v1/planner_service.pb.h"

namespace horizonscale::server {

// Called with a queue's name once this server changed the queue, before
// the call answers (to drop what this replica holds about it; other
// replicas learn of it by the database's announcement).
using QueueChanged = std::function<void(const std::string& queue)>;

// Each method: INVALID_ARGUMENT naming the bad field; NOT_FOUND (reason
// NOT_FOUND) for an unknown queue (UpdateQueue creates it instead);
// UNAVAILABLE when the database is not reachable (`pool` null or failing).

grpc::Status GetQueue(const std::shared_ptr<db::ConnectionPool>& pool,
                      const horizonscale::v1::GetQueueRequest& request,
                      horizonscale::v1::GetQueueResponse& response);

grpc::Status ListQueues(const std::shared_ptr<db::ConnectionPool>& pool,
                        const horizonscale::v1::ListQueuesRequest& request,
                        horizonscale::v1::ListQueuesResponse& response);

// The merged settings are checked as GeneratePlan checks a request's
// (reason CONFIG_INVALID, fields "queue.slo.<field>", "queue.config.<field>").
grpc::Status UpdateQueue(const std::shared_ptr<db::ConnectionPool>& pool,
                         const horizonscale::v1::UpdateQueueRequest& request,
                         const QueueChanged& changed,
                         horizonscale::v1::UpdateQueueResponse& response);

grpc::Status ResetQueue(const std::shared_ptr<db::ConnectionPool>& pool,
                        const horizonscale::v1::ResetQueueRequest& request,
                        const QueueChanged& changed,
                        horizonscale::v1::ResetQueueResponse& response);

// The answer of every queue method on a server running with
// --persist_plans=false: FAILED_PRECONDITION, reason PERSISTENCE_DISABLED.
grpc::Status QueuesNeedPersistence();

}  // namespace horizonscale::server

#include "server/database_lease.h"

#include <string>

#include "server/errors.h"

namespace horizonscale::server {

grpc::Status DatabaseFailure(const absl::Status& status) {
  return MakeError(status.code() == absl::StatusCode::kUnavailable ||
                           status.code() == absl::StatusCode::kResourceExhausted
                       ? grpc::StatusCode::UNAVAILABLE
                       : grpc::StatusCode::INTERNAL,
                   reason::kDatabaseUnavailable, std::string(status.message()));
}

grpc::Status LeaseConnection(const std::shared_ptr<db::ConnectionPool>& pool,
                             std::optional<db::ConnectionPool::Lease>& lease) {
  if (pool == nullptr) {
    return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                     "the database is not reachable yet; see the server's health status");
  }
  absl::StatusOr<db::ConnectionPool::Lease> acquired = pool->Acquire(kLeaseTimeout);
  if (!acquired.ok()) return DatabaseFailure(acquired.status());
  lease.emplace(*std::move(acquired));
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

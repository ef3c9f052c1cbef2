#include "server/common/database_lease.h"

#include <string>

#include <absl/strings/str_cat.h>

#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/common/uuid.h"

namespace horizonscale::server {

grpc::Status DatabaseFailure(const absl::Status& status) {
  const bool unavailable = status.code() == absl::StatusCode::kUnavailable ||
                           status.code() == absl::StatusCode::kResourceExhausted;
  const std::string error_id = NewUuid();
  Log(spdlog::level::err, "database_error",
      {{"error_id", error_id},
       {"code", absl::StatusCodeToString(status.code())},
       {"error", std::string(status.message())}});
  if (unavailable) {
    return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                     absl::StrCat("the database is unavailable; retry later (error id ", error_id,
                                  " in the server's log)"));
  }
  return MakeError(
      grpc::StatusCode::INTERNAL, reason::kInternal,
      absl::StrCat("a database operation failed (error id ", error_id, " in the server's log)"));
}

grpc::Status LeaseConnection(const std::shared_ptr<db::ConnectionPool>& pool,
                             std::optional<db::ConnectionPool::Lease>& lease) {
  if (pool == nullptr) {
    return DatabaseNotReachableYet();
  }
  absl::StatusOr<db::ConnectionPool::Lease> acquired = pool->Acquire(kLeaseTimeout);
  if (!acquired.ok()) return DatabaseFailure(acquired.status());
  lease.emplace(*std::move(acquired));
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

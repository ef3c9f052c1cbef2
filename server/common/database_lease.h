// Leasing a database connection inside an RPC, and database failures as the
// API reports them: UNAVAILABLE with reason DATABASE_UNAVAILABLE, or INTERNAL
// with reason INTERNAL, and a generic message carrying only a correlation id
// (the real error, which may quote other requests' data, goes to the log).
#pragma once

#include <memory>
#include <optional>

#include <absl/status/status.h>
#include <grpcpp/support/status.h>

#include "db/connection_pool.h"

namespace horizonscale::server {

// How long an RPC waits for a pooled connection.
inline constexpr auto kLeaseTimeout = std::chrono::milliseconds(2000);

// The gRPC status of a failed database operation `status`: UNAVAILABLE
// (reason DATABASE_UNAVAILABLE) when the database is unreachable or the pool
// exhausted (status UNAVAILABLE or RESOURCE_EXHAUSTED), INTERNAL (reason
// INTERNAL) otherwise. Logs `status` at error level as event database_error
// with a fresh error_id (a UUID); the returned message says only that id.
grpc::Status DatabaseFailure(const absl::Status& status);

// Leases a connection of `pool` into `lease`. UNAVAILABLE when `pool` is null
// (the database is not reachable yet) or no connection could be had.
grpc::Status LeaseConnection(const std::shared_ptr<db::ConnectionPool>& pool,
                             std::optional<db::ConnectionPool::Lease>& lease);

}  // namespace horizonscale::server

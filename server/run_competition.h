// FleetService.RunCompetition: validates the request, creates the run (or
// attaches to one: by run_id, or by a request_id seen before) and streams its
// progress from the database until it ends. The run is scored by the fleet
// workers (server/fleet_run_worker.h) and belongs to the database: a client
// that goes away stops only its own stream.
#pragma once

#include <functional>
#include <memory>

#include <absl/time/time.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include "db/connection_pool.h"
#include "horizonscale/v1/fleet_service.pb.h"

namespace horizonscale::server {

struct RunCompetitionContext {
  // The database pool, or null while it is not usable.
  std::shared_ptr<db::ConnectionPool> pool;
  // Tells this server's workers a run was created.
  std::function<void()> wake_workers;
  // How often the stream reads the run's progress.
  absl::Duration poll_interval = absl::Milliseconds(500);
};

// Runs the RPC. Errors: INVALID_ARGUMENT (field violations) for a bad config,
// run id or request id; NOT_FOUND for an unknown run_id; UNAVAILABLE when the
// database is; CANCELLED when the client went away (the run goes on).
grpc::Status RunCompetition(grpc::ServerContext& context,
                            const horizonscale::v1::RunCompetitionRequest& request,
                            grpc::ServerWriter<horizonscale::v1::RunCompetitionResponse>& writer,
                            const RunCompetitionContext& run_context);

}  // namespace horizonscale::server

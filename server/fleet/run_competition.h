// FleetService.RunCompetition: validates the request, creates the run (or
// attaches to one: by run_id, or by a request_id seen before) and streams its
// progress from the database until it ends. The run is scored by the fleet
// workers (server/fleet/fleet_run_worker.h) and belongs to the database: a client
// that goes away stops only its own stream.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <absl/time/time.h>
#include <grpcpp/grpcpp.h>

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

// One RunCompetition stream, driven step by step (by the stream reactor in
// server/fleet/fleet_service.cc, which runs each step on the work pool and waits
// between them holding no thread). The first step validates the request and
// creates the run (or attaches to one); each step reads the run's progress
// once. Errors: INVALID_ARGUMENT (field violations) for a bad config, run id
// or request id; NOT_FOUND for an unknown run_id; UNAVAILABLE when the
// database is; CANCELLED when the client went away (the run goes on).
//
// Thread safety: none; steps must not overlap.
class CompetitionStream {
 public:
  CompetitionStream(horizonscale::v1::RunCompetitionRequest request,
                    RunCompetitionContext run_context);

  struct Step {
    // To send now.
    std::optional<horizonscale::v1::RunCompetitionResponse> message;
    // When set, the stream ends with this status (after `message`).
    std::optional<grpc::Status> end;
  };

  // Takes the next step (blocks on the database); `cancelled` says whether
  // the client went away. Without `end`, take the next step after
  // poll_interval().
  Step Next(bool cancelled);

  // What to answer when a message could not be sent (the client went away).
  grpc::Status ClientGone() const;

  absl::Duration poll_interval() const { return run_context_.poll_interval; }

 private:
  const horizonscale::v1::RunCompetitionRequest request_;
  const RunCompetitionContext run_context_;
  std::string run_id_;  // empty until the first step found or created it
  // The scoring rate is measured over this stream's observations.
  std::optional<std::pair<absl::Time, int64_t>> first_seen_;
  int64_t last_sent_done_ = -1;
  absl::Time last_sent_ = absl::InfinitePast();
};

}  // namespace horizonscale::server

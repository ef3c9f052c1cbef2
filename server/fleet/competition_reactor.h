// The callback-API reactor of FleetService.RunCompetition: parses the
// request (server/transport/raw_message.h), then takes the CompetitionStream's steps
// (server/fleet/run_competition.h) on the CallRuntime's WorkPool, writes what they
// produce, and waits poll_interval between them on the CallRuntime's timers,
// so a stream holds no thread while the run is being scored. Refused with
// RESOURCE_EXHAUSTED (TOO_MANY_STREAMS) by the stream limits.
#pragma once

#include <grpcpp/grpcpp.h>

#include "server/fleet/run_competition.h"
#include "server/transport/call_runtime.h"

namespace horizonscale::server {

// Serves one RunCompetition call whose request is `request` (raw bytes).
// Deletes itself when the call is done.
grpc::ServerWriteReactor<grpc::ByteBuffer>* StartCompetitionStream(
    const CallRuntime& runtime, grpc::CallbackServerContext* context,
    const grpc::ByteBuffer& request, RunCompetitionContext run_context);

}  // namespace horizonscale::server

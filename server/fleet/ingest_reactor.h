// The callback-API reactor of FleetService.IngestTelemetry. It holds no
// thread while it waits for the client: each message is parsed
// (server/transport/raw_message.h) and added to an IngestSession on gRPC's callback
// thread as it arrives (bounded work: at most the per-message limits), and
// the commit, which waits on the database, runs on the CallRuntime's
// WorkPool once the client has half-closed.
//
// Besides the session's own errors, the stream ends with nothing written:
// RESOURCE_EXHAUSTED (TOO_MANY_STREAMS) when the stream limits refuse it;
// INVALID_ARGUMENT (INVALID_REQUEST) when a message does not parse;
// DEADLINE_EXCEEDED (STREAM_IDLE) when the client sends nothing for the
// CallRuntime's stream_idle_timeout; UNAVAILABLE at once while the database
// is not usable; CANCELLED when the client cancels.
#pragma once

#include <functional>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "db/connection_pool.h"
#include "server/fleet/ingest_telemetry.h"
#include "server/transport/call_runtime.h"

namespace horizonscale::server {

// Serves one IngestTelemetry call, answering into `response` (the raw
// handler's response bytes). Deletes itself when the call is done.
grpc::ServerReadReactor<grpc::ByteBuffer>* StartIngestStream(
    const CallRuntime& runtime, grpc::CallbackServerContext* context, grpc::ByteBuffer* response,
    std::function<std::shared_ptr<db::ConnectionPool>()> pool);

}  // namespace horizonscale::server

// How a stream is let in: through the runtime's gate (identity, role,
// limits; server/security/call_gate.h), then the stream limits
// (stream_limits.h). Every streaming reactor admits itself here when it
// starts and ends its ticket when it finishes.
#pragma once

#include <string_view>

#include <grpcpp/server_context.h>

#include "server/transport/call_runtime.h"

namespace horizonscale::server {

// What an admitted stream holds until it finishes.
struct StreamTicket {
  StreamSlot slot;  // its place among the open streams
  CallPass pass;    // its pass through the gate (a compute slot for compute calls)

  // The stream ends with `status`: the audit line, and both places freed.
  void End(const grpc::Status& status) {
    pass.End(status);
    pass = CallPass();
    slot = StreamSlot();
  }
};

// Admits a stream of `method` ("/package.Service/Method") made through
// `context` into `ticket`: OK, or the gate's refusal or the stream limits'
// RESOURCE_EXHAUSTED (TOO_MANY_STREAMS) to finish the stream with.
grpc::Status AdmitStream(const CallRuntime& runtime, std::string_view method,
                         grpc::ServerContextBase& context, StreamTicket& ticket);

}  // namespace horizonscale::server

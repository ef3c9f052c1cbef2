// What the transport adapters of every service share: the pool that runs
// blocking work, the timers of streams, the admission of streams and their
// idle timeout, the gate every call passes. Owned by main() and outliving the grpc::Server.
#pragma once

#include <absl/time/time.h>

#include "server/security/call_gate.h"
#include "server/transport/stream_limits.h"
#include "server/transport/timer_queue.h"
#include "server/transport/work_pool.h"

namespace horizonscale::server {

struct CallRuntime {
  WorkPool* pool = nullptr;
  TimerQueue* timers = nullptr;
  StreamLimits* streams = nullptr;
  // Authentication, roles, per-identity limits and audit of every call
  // (server/security/call_gate.h); null: every call admitted, none audited.
  CallGate* gate = nullptr;
  // A client stream that sends nothing for this long is ended
  // (DEADLINE_EXCEEDED, reason STREAM_IDLE; nothing it sent is written).
  absl::Duration stream_idle_timeout = absl::Seconds(30);
};

}  // namespace horizonscale::server

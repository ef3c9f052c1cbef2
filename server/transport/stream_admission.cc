#include "server/transport/stream_admission.h"

namespace horizonscale::server {

grpc::Status AdmitStream(const CallRuntime& runtime, std::string_view method,
                         grpc::ServerContextBase& context, StreamTicket& ticket) {
  if (runtime.gate != nullptr) {
    ticket.pass = runtime.gate->Admit(context, method);
    if (!ticket.pass.admitted()) return ticket.pass.refusal();
  }
  return runtime.streams->Admit(method, context.peer(), ticket.slot);
}

}  // namespace horizonscale::server

#include "server/transport/unary_call.h"

#include <absl/strings/str_cat.h>

#include "server/common/errors.h"
#include "server/transport/raw_message.h"

namespace horizonscale::server {

grpc::Status BusyStatus(const WorkPool& pool) {
  return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kServerBusy,
                   absl::StrCat("the server is busy: its ", pool.threads(),
                                " worker threads (--worker_threads) are all serving calls and ",
                                pool.max_queued(), " more wait; retry with backoff"));
}

namespace internal {

UnaryCall::UnaryCall(grpc::CallbackServerContext* context, grpc::ByteBuffer* response_bytes)
    : context_(context), reactor_(context->DefaultReactor()), response_bytes_(response_bytes) {}

void UnaryCall::Finish(grpc::Status status) {
  if (status.ok()) status = SerializeMessage(response(), *response_bytes_);
  pass_.End(status);
  grpc::ServerUnaryReactor* reactor = reactor_;
  delete this;  // the request and response are not needed past this point
  reactor->Finish(std::move(status));
}

grpc::ServerUnaryReactor* Start(const CallRuntime& runtime, std::string_view method, RunOn where,
                                UnaryCall* call, const grpc::ByteBuffer& request_bytes,
                                std::function<void()> run) {
  grpc::ServerUnaryReactor* reactor = call->reactor();
  if (runtime.gate != nullptr) {
    call->pass() = runtime.gate->Admit(*call->context(), method);
    if (!call->pass().admitted()) {
      grpc::Status refusal = call->pass().refusal();
      call->Finish(std::move(refusal));
      return reactor;
    }
  }
  if (grpc::Status parsed = ParseMessage(request_bytes, call->request()); !parsed.ok()) {
    call->Finish(std::move(parsed));
    return reactor;
  }
  if (where == RunOn::kCallbackThread) {
    run();
    return reactor;
  }
  const bool queued = runtime.pool->TrySubmit([call, run = std::move(run)] {
    if (call->context()->IsCancelled()) {
      call->Finish(grpc::Status(grpc::StatusCode::CANCELLED,
                                "the call was cancelled or its deadline passed while it waited "
                                "for a worker thread"));
      return;
    }
    run();
  });
  if (!queued) {
    call->Finish(BusyStatus(*runtime.pool));
  }
  return reactor;
}

}  // namespace internal
}  // namespace horizonscale::server

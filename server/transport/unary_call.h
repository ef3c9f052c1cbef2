// The one adapter between gRPC's callback API and a unary RPC's typed
// handler. Every unary method of the server is registered on raw bytes
// (the generated WithRawCallbackMethod_* classes) and returns ServeUnary:
// it passes the call through the runtime's gate (server/security/call_gate.h:
// a caller without the method's role, or over its limits, is refused before
// anything is parsed), parses the request (server/transport/raw_message.h: a body that does not
// parse is INVALID_ARGUMENT naming the type, the handler never runs), runs the handler, and sends
// the serialized response or the handler's status.
//
// Where the handler runs:
// - RunOn::kWorkPool (every handler that computes for long or waits on the
//   database): on the CallRuntime's WorkPool, so gRPC's callback threads
//   never block and streams, which hold no thread at all, cannot take the
//   threads unary calls need. When every pool thread is busy and the queue
//   is full the call answers RESOURCE_EXHAUSTED (reason SERVER_BUSY) at once;
//   a call cancelled (or past its deadline) while queued answers CANCELLED
//   without running.
// - RunOn::kCallbackThread: inline on gRPC's thread, for handlers that take
//   microseconds to a few milliseconds and never block (Health/Check, and
//   GeneratePlan's hot path, which hands its commit to the plan writer).
#pragma once

#include <functional>
#include <memory>
#include <utility>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "server/transport/call_runtime.h"

namespace horizonscale::server {

enum class RunOn { kCallbackThread, kWorkPool };

// Ends a unary call with `status`; the response is sent when it is OK.
// Call exactly once, from any thread.
using UnaryDone = std::function<void(grpc::Status status)>;

// A handler that answers later through `done` (it may return before);
// `request` and `response` stay valid until it has called `done`.
template <class Request, class Response>
using AsyncUnaryHandler =
    std::function<void(grpc::CallbackServerContext* context, const Request& request,
                       Response& response, UnaryDone done)>;

// A handler that answers with its return value.
template <class Request, class Response>
using UnaryHandler = std::function<grpc::Status(grpc::CallbackServerContext* context,
                                                const Request& request, Response& response)>;

// RESOURCE_EXHAUSTED (reason SERVER_BUSY): `pool` refused a task.
grpc::Status BusyStatus(const WorkPool& pool);

namespace internal {

// A unary call in flight: its reactor and its response bytes, completed
// exactly once by Finish (which deletes it).
class UnaryCall {
 public:
  UnaryCall(grpc::CallbackServerContext* context, grpc::ByteBuffer* response_bytes);
  UnaryCall(const UnaryCall&) = delete;
  UnaryCall& operator=(const UnaryCall&) = delete;
  virtual ~UnaryCall() = default;

  grpc::CallbackServerContext* context() const { return context_; }
  grpc::ServerUnaryReactor* reactor() const { return reactor_; }
  virtual google::protobuf::Message& request() = 0;
  virtual google::protobuf::Message& response() = 0;

  // Sends `status` (with the serialized response when OK), ends the call's
  // pass (audit, compute slot) and deletes this.
  void Finish(grpc::Status status);

  CallPass& pass() { return pass_; }

 private:
  CallPass pass_;
  grpc::CallbackServerContext* const context_;
  grpc::ServerUnaryReactor* const reactor_;
  grpc::ByteBuffer* const response_bytes_;
};

template <class Request, class Response>
class TypedUnaryCall final : public UnaryCall {
 public:
  using UnaryCall::UnaryCall;
  google::protobuf::Message& request() override { return request_; }
  google::protobuf::Message& response() override { return response_; }
  Request request_;
  Response response_;
};

// Passes the call of `method` through the gate, parses `request_bytes` into
// call->request(), then runs `run` where `where` says (or finishes the call
// with the refusal, parse, busy or cancelled status). Returns the call's
// reactor.
grpc::ServerUnaryReactor* Start(const CallRuntime& runtime, std::string_view method, RunOn where,
                                UnaryCall* call, const grpc::ByteBuffer& request_bytes,
                                std::function<void()> run);

}  // namespace internal

// Serves one unary call of `method` ("/package.Service/Method", as the
// gate's policy table names it) with `handler` (see the file comment).
// Returns the reactor to hand back to gRPC.
template <class Request, class Response>
grpc::ServerUnaryReactor* ServeUnary(const CallRuntime& runtime, std::string_view method,
                                     RunOn where, grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request_bytes,
                                     grpc::ByteBuffer* response_bytes,
                                     AsyncUnaryHandler<Request, Response> handler) {
  auto* call = new internal::TypedUnaryCall<Request, Response>(context, response_bytes);
  return internal::Start(
      runtime, method, where, call, *request_bytes, [call, handler = std::move(handler)] {
        handler(call->context(), call->request_, call->response_,
                [call](grpc::Status status) { call->Finish(std::move(status)); });
      });
}

// The same for a handler that answers with its return value.
template <class Request, class Response>
grpc::ServerUnaryReactor* ServeUnary(const CallRuntime& runtime, std::string_view method,
                                     RunOn where, grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request_bytes,
                                     grpc::ByteBuffer* response_bytes,
                                     UnaryHandler<Request, Response> handler) {
  auto* call = new internal::TypedUnaryCall<Request, Response>(context, response_bytes);
  return internal::Start(runtime, method, where, call, *request_bytes,
                         [call, handler = std::move(handler)] {
                           call->Finish(handler(call->context(), call->request_, call->response_));
                         });
}

}  // namespace horizonscale::server

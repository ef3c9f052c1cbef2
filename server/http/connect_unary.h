// Unary RPCs as JSON over HTTP, in the Connect protocol's unary form:
//
//   POST /<package>.<Service>/<Method>
//   Content-Type: application/json
//   <the request in protobuf's canonical JSON mapping>
//
// answered 200 with the response in the same mapping, or with the HTTP
// status of the gRPC code and a JSON error body
//   {"code": "invalid_argument", "message": "...",
//    "details": [{"type": "google.rpc.ErrorInfo", "value": "<base64>", "debug": {...}}]}
// (Connect's error format; "debug" is the detail in JSON, for people).
//
// No RPC is implemented twice: the bridge sends the request as a gRPC call
// to the server itself over an in-process channel, so every call runs the
// same validation, handlers, logs and metrics as one from a gRPC client.
// Optional headers: Connect-Timeout-Ms (the call's deadline, else 30 s),
// Authorization and X-Request-Id (passed on as the call's metadata). With a
// bridge key, the HTTP client's address and verified certificate names go
// along under it, for the call gate (server/security/call_gate.h). An unknown method is 404
// (code unimplemented); so is a streaming method, which is not callable
// this way (the message says so); a Content-Type other than
// application/json is 415.
//
// Thread safety: Call may be called concurrently; it blocks its thread until
// the call ends.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/channel.h>
#include <grpcpp/generic/generic_stub.h>

namespace horizonscale::server {

// What Call answers: an HTTP status, a content type and a body.
struct HttpAnswer {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// An HTTP request to the bridge, as far as it cares.
struct ConnectRequest {
  std::string_view path;          // "/package.Service/Method"
  std::string_view content_type;  // the Content-Type header
  std::string_view body;
  std::string_view timeout_ms;     // the Connect-Timeout-Ms header ("" when absent)
  std::string_view authorization;  // the Authorization header ("" when absent)
  std::string peer;                // the HTTP client's address, for the RPC log
  std::string_view request_id{};   // the X-Request-Id header ("" when absent)
  // The names of the HTTP client's verified certificate (mTLS), for the
  // call gate.
  std::vector<std::string> certificate_names{};
};

class ConnectUnaryBridge {
 public:
  // Calls through `channel` (the server's in-process channel) the unary
  // methods of `services` (full names; their descriptors come from the
  // generated pool). `bridge_key` (CallGate::bridge_key()) vouches to the
  // call gate for the HTTP client's address and certificate it forwards.
  ConnectUnaryBridge(std::shared_ptr<grpc::Channel> channel, std::vector<std::string> services,
                     std::string bridge_key = "");

  // True when `path` names a method of a served service (unary or not).
  bool Serves(std::string_view path) const;

  // Answers `request` (a POST): see the file comment.
  HttpAnswer Call(const ConnectRequest& request);

 private:
  const std::shared_ptr<grpc::Channel> channel_;
  const std::vector<std::string> services_;
  const std::string bridge_key_;
  grpc::GenericStub stub_;
};

// The Connect protocol's name of `code` ("invalid_argument", ...).
std::string_view ConnectCodeName(grpc::StatusCode code);

// The HTTP status Connect answers `code` with (400 for invalid_argument, ...).
int HttpStatusOf(grpc::StatusCode code);

// A Connect error body for `status` (its google.rpc.Status details, if any,
// in `details`).
std::string ConnectErrorBody(const grpc::Status& status);

}  // namespace horizonscale::server

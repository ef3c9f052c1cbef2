// The door every call passes (gRPC, the KEDA scaler, JSON over HTTP): who
// is calling (access_control.h), whether their role may call the method
// (method_policy.h), whether their rate and compute limits allow it
// (call_limiter.h), and one audit line per privileged call. Unary calls
// pass it in server/transport/unary_call.cc, streams where they are
// admitted; handlers never run for a refused call.
//
// Without an access file the gate is open: every call is admitted as
// "anonymous" (the loopback development setup), with no audit line (the RPC
// log has every call).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "server/security/access_control.h"
#include "server/security/call_limiter.h"

namespace horizonscale::server {

// The metadata the HTTP port's JSON bridge adds to the calls it makes over
// the in-process channel; trusted only beside the process's bridge key.
inline constexpr char kBridgeKeyMetadata[] = "x-horizonscale-bridge-key";
inline constexpr char kHttpCertificateMetadata[] = "x-horizonscale-http-certificate";
inline constexpr char kHttpPeerMetadata[] = "x-horizonscale-http-peer";
// A request id the client chose (printable ASCII, at most 128 bytes), for
// the audit line; the gate makes one up otherwise.
inline constexpr char kRequestIdMetadata[] = "x-request-id";

class CallGate;

// One admitted (or refused) call. Movable; End() audits and releases the
// call's compute slot (the destructor releases it when End was not called).
class CallPass {
 public:
  CallPass() = default;
  CallPass(CallPass&& other) noexcept;
  CallPass& operator=(CallPass&& other) noexcept;
  CallPass(const CallPass&) = delete;
  CallPass& operator=(const CallPass&) = delete;
  ~CallPass();

  // OK when the call may run; otherwise the status to end it with.
  const grpc::Status& refusal() const { return refusal_; }
  bool admitted() const { return refusal_.ok(); }
  const Identity& identity() const { return identity_; }

  // Ends the call with `outcome`: one audit line when the method needs the
  // planner or admin role or the call was refused, and the compute slot
  // freed. Call at most once.
  void End(const grpc::Status& outcome);

 private:
  friend class CallGate;
  void Release();

  CallGate* gate_ = nullptr;
  grpc::Status refusal_;
  Identity identity_;
  std::string method_;
  std::string request_id_;
  std::string peer_;
  bool privileged_ = false;
  bool holds_compute_slot_ = false;
  bool ended_ = false;
};

class CallGate {
 public:
  // `access` null: open. `access` must outlive the gate.
  explicit CallGate(AccessControl* access);
  CallGate(const CallGate&) = delete;
  CallGate& operator=(const CallGate&) = delete;

  // Passes a call of `method` ("/package.Service/Method") made through
  // `context`: OK with the caller's identity, or the refusal:
  // UNAUTHENTICATED (access_control.h's reasons), PERMISSION_DENIED (reason
  // ROLE_MISSING; ErrorInfo metadata identity, role, required_role, method),
  // RESOURCE_EXHAUSTED with a RetryInfo (reason RATE_LIMITED, or
  // CONCURRENCY_LIMITED for compute calls). Health is always admitted.
  CallPass Admit(grpc::ServerContextBase& context, std::string_view method);

  // Whether calls are checked (an access file is configured).
  bool enforcing() const { return access_ != nullptr; }

  // The secret the JSON bridge sends as kBridgeKeyMetadata (random, made at
  // construction, never logged).
  const std::string& bridge_key() const { return bridge_key_; }

 private:
  friend class CallPass;

  AccessControl* const access_;
  const std::string bridge_key_;
  CallLimiter limiter_;
};

// The names of the verified client certificate of `context`'s connection:
// its subject alternative names, then its common name.
std::vector<std::string> CertificateNames(const grpc::ServerContextBase& context);

}  // namespace horizonscale::server

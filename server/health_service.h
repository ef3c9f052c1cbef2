// The standard gRPC health service (grpc.health.v1.Health) with a status per
// service name; "" is the server as a whole.
//
// Check answers NOT_FOUND for unknown names; Watch streams the status of a
// name (SERVICE_UNKNOWN while unknown) and a new message on every change.
// Shutdown() turns every name NOT_SERVING for good and ends open Watch calls
// after they have sent NOT_SERVING, so draining is visible to watchers and
// does not wait on them.
//
// Health must answer whatever other clients do (a Kubernetes probe that
// times out restarts a healthy pod), so both methods are on gRPC's callback
// API and need no thread of the server's: Check is answered inline on gRPC's
// callback thread (a map lookup), a Watch call is a reactor that holds no
// thread between changes. Both are registered on raw bytes (a request that
// does not parse is INVALID_ARGUMENT naming its type); Watch calls count
// against the CallRuntime's stream limits.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"
#include "server/transport/call_runtime.h"

namespace horizonscale::server {

using HealthServiceBase = grpc::health::v1::Health::WithRawCallbackMethod_Check<
    grpc::health::v1::Health::WithRawCallbackMethod_Watch<grpc::health::v1::Health::Service>>;

class HealthService final : public HealthServiceBase {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  // `runtime` must outlive the service.
  explicit HealthService(const CallRuntime& runtime) : runtime_(runtime) {}
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;

  // Sets the status of `service` (registering the name). Ignored after
  // Shutdown().
  void SetStatus(const std::string& service, ServingStatus status);

  // Every known name becomes NOT_SERVING and stays so; open Watch calls send
  // it and end with UNAVAILABLE.
  void Shutdown();

  // Every known name with its status.
  std::map<std::string, ServingStatus> Statuses() const;

  // The typed Check: the status of request.service(), or NOT_FOUND.
  grpc::Status HandleCheck(const grpc::health::v1::HealthCheckRequest& request,
                           grpc::health::v1::HealthCheckResponse& response);

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Watch(grpc::CallbackServerContext* context,
                                                    const grpc::ByteBuffer* request) override;

 private:
  class Watcher;

  ServingStatus StatusOf(const std::string& service) const;  // requires mutex_
  // Adds `watcher` and tells it the current status of its name.
  void Register(Watcher* watcher);
  // Removes `watcher`; no call reaches it afterwards.
  void Unregister(Watcher* watcher);

  const CallRuntime& runtime_;
  mutable std::mutex mutex_;                       // taken before any Watcher's own mutex
  std::map<std::string, ServingStatus> statuses_;  // guarded by mutex_
  std::set<Watcher*> watchers_;                    // guarded by mutex_
  bool shut_down_ = false;                         // guarded by mutex_
};

}  // namespace horizonscale::server

// The standard gRPC health service (grpc.health.v1.Health) with a status per
// service name; "" is the server as a whole.
//
// Check answers NOT_FOUND for unknown names; Watch streams the status of a
// name (SERVICE_UNKNOWN while unknown) and a new message on every change.
// Shutdown() turns every name NOT_SERVING for good and ends open Watch calls
// after they have sent NOT_SERVING, so draining is visible to watchers and
// does not wait on them.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "grpc/health/v1/health.grpc.pb.h"

namespace horizonscale::server {

class HealthService final : public grpc::health::v1::Health::Service {
 public:
  using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

  HealthService() = default;
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;

  // Sets the status of `service` (registering the name). Ignored after
  // Shutdown().
  void SetStatus(const std::string& service, ServingStatus status);

  // Every known name becomes NOT_SERVING and stays so; open Watch calls send
  // it and end with UNAVAILABLE.
  void Shutdown();

  grpc::Status Check(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::health::v1::HealthCheckResponse* response) override;

  grpc::Status Watch(grpc::ServerContext* context,
                     const grpc::health::v1::HealthCheckRequest* request,
                     grpc::ServerWriter<grpc::health::v1::HealthCheckResponse>* writer) override;

 private:
  ServingStatus StatusOf(const std::string& service) const;  // requires mutex_

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, ServingStatus> statuses_;  // guarded by mutex_
  uint64_t generation_ = 0;                        // bumped on change, guarded by mutex_
  bool shut_down_ = false;                         // guarded by mutex_
};

}  // namespace horizonscale::server

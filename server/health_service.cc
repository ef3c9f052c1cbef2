#include "server/health_service.h"

#include <chrono>

#include <absl/strings/str_cat.h>

#include "server/errors.h"
#include "server/text_checks.h"

namespace horizonscale::server {

using grpc::health::v1::HealthCheckResponse;

void HealthService::SetStatus(const std::string& service, ServingStatus status) {
  std::lock_guard lock(mutex_);
  if (shut_down_) return;
  auto [it, inserted] = statuses_.try_emplace(service, status);
  if (!inserted && it->second == status) return;
  it->second = status;
  ++generation_;
  changed_.notify_all();
}

void HealthService::Shutdown() {
  std::lock_guard lock(mutex_);
  if (shut_down_) return;
  for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  shut_down_ = true;
  ++generation_;
  changed_.notify_all();
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& service) const {
  auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

grpc::Status HealthService::Check(grpc::ServerContext* /*context*/,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  HealthCheckResponse* response) {
  std::lock_guard lock(mutex_);
  const ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                     absl::StrCat("unknown service ", Quoted(request->service())),
                     {{"service", "no such service is registered"}});
  }
  response->set_status(status);
  return grpc::Status::OK;
}

grpc::Status HealthService::Watch(grpc::ServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::ServerWriter<HealthCheckResponse>* writer) {
  // Wake up now and then to notice a client that went away.
  constexpr auto kCancelPoll = std::chrono::milliseconds(500);
  std::unique_lock lock(mutex_);
  bool first = true;
  ServingStatus last_sent = HealthCheckResponse::UNKNOWN;
  while (true) {
    const ServingStatus status = StatusOf(request->service());
    const bool shut_down = shut_down_;
    if (first || status != last_sent) {
      first = false;
      last_sent = status;
      lock.unlock();
      HealthCheckResponse response;
      response.set_status(status);
      if (!writer->Write(response)) return grpc::Status::CANCELLED;
      lock.lock();
    }
    if (shut_down) {
      return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kShuttingDown,
                       "the server is shutting down");
    }
    const uint64_t seen = generation_;
    changed_.wait_for(lock, kCancelPoll, [&] { return generation_ != seen; });
    if (context->IsCancelled()) return grpc::Status::CANCELLED;
  }
}

}  // namespace horizonscale::server

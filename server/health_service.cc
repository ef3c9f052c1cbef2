#include "server/health_service.h"

#include <optional>

#include <absl/strings/str_cat.h>

#include "server/common/errors.h"
#include "server/common/text_checks.h"
#include "server/transport/raw_message.h"
#include "server/transport/stream_admission.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

namespace {
constexpr std::string_view kWatchMethod = "/grpc.health.v1.Health/Watch";
}  // namespace

// One Watch call. The service pushes every status of the watched name
// (under its mutex, then this one's); the watcher writes the latest status
// whenever no write is in flight and it differs from the last one sent.
class HealthService::Watcher final : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  Watcher(HealthService& service, grpc::CallbackServerContext* context,
          const grpc::ByteBuffer& request_bytes)
      : service_(service) {
    grpc::Status admitted = AdmitStream(service_.runtime_, kWatchMethod, *context, ticket_);
    if (admitted.ok()) admitted = ParseMessage(request_bytes, request_);
    if (!admitted.ok()) {
      std::lock_guard lock(mutex_);
      FinishLocked(std::move(admitted));
      return;
    }
    service_.Register(this);
  }

  const std::string& name() const { return request_.service(); }

  // From the service, under its mutex: the name's status now, and whether
  // the server is shutting down.
  void Push(ServingStatus status, bool shutting_down) {
    std::lock_guard lock(mutex_);
    latest_ = status;
    shutting_down_ = shutting_down;
    ProgressLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mutex_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status::CANCELLED);
      return;
    }
    ProgressLocked();
  }

  void OnCancel() override {
    std::lock_guard lock(mutex_);
    // A write in flight fails and finishes the call in OnWriteDone.
    if (!writing_) FinishLocked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    if (registered_) service_.Unregister(this);
    delete this;
  }

  bool registered_ = false;  // set by the service under its mutex

 private:
  // Requires mutex_: writes the latest status if it is new, or ends the
  // call once the shutdown status is sent.
  void ProgressLocked() {
    if (finished_ || writing_) return;
    if (latest_ != sent_) {
      sent_ = latest_;
      HealthCheckResponse response;
      response.set_status(latest_);
      if (grpc::Status encoded = SerializeMessage(response, out_); !encoded.ok()) {
        FinishLocked(std::move(encoded));
        return;
      }
      writing_ = true;
      StartWrite(&out_);
      return;
    }
    if (shutting_down_) {
      FinishLocked(MakeError(grpc::StatusCode::UNAVAILABLE, reason::kShuttingDown,
                             "the server is shutting down"));
    }
  }

  // Requires mutex_.
  void FinishLocked(grpc::Status status) {
    if (finished_) return;
    finished_ = true;
    ticket_.End(status);
    Finish(std::move(status));
  }

  HealthService& service_;
  HealthCheckRequest request_;
  StreamTicket ticket_;
  std::mutex mutex_;
  ServingStatus latest_ = HealthCheckResponse::UNKNOWN;  // guarded by mutex_
  std::optional<ServingStatus> sent_;                    // guarded by mutex_
  bool shutting_down_ = false;                           // guarded by mutex_
  bool writing_ = false;                                 // guarded by mutex_
  bool finished_ = false;                                // guarded by mutex_
  grpc::ByteBuffer out_;
};

void HealthService::SetStatus(const std::string& service, ServingStatus status) {
  std::lock_guard lock(mutex_);
  if (shut_down_) return;
  auto [it, inserted] = statuses_.try_emplace(service, status);
  if (!inserted && it->second == status) return;
  it->second = status;
  for (Watcher* watcher : watchers_) {
    if (watcher->name() == service) watcher->Push(status, false);
  }
}

void HealthService::Shutdown() {
  std::lock_guard lock(mutex_);
  if (shut_down_) return;
  for (auto& [name, status] : statuses_) status = HealthCheckResponse::NOT_SERVING;
  shut_down_ = true;
  for (Watcher* watcher : watchers_) watcher->Push(StatusOf(watcher->name()), true);
}

HealthService::ServingStatus HealthService::StatusOf(const std::string& service) const {
  auto it = statuses_.find(service);
  return it == statuses_.end() ? HealthCheckResponse::SERVICE_UNKNOWN : it->second;
}

void HealthService::Register(Watcher* watcher) {
  std::lock_guard lock(mutex_);
  watchers_.insert(watcher);
  watcher->registered_ = true;
  watcher->Push(StatusOf(watcher->name()), shut_down_);
}

void HealthService::Unregister(Watcher* watcher) {
  std::lock_guard lock(mutex_);
  watchers_.erase(watcher);
}

std::map<std::string, HealthService::ServingStatus> HealthService::Statuses() const {
  std::lock_guard lock(mutex_);
  return statuses_;
}

grpc::Status HealthService::HandleCheck(const HealthCheckRequest& request,
                                        HealthCheckResponse& response) {
  std::lock_guard lock(mutex_);
  const ServingStatus status = StatusOf(request.service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                     absl::StrCat("unknown service ", Quoted(request.service())),
                     {{"service", "no such service is registered"}});
  }
  response.set_status(status);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const grpc::ByteBuffer* request,
                                               grpc::ByteBuffer* response) {
  return ServeUnary<HealthCheckRequest, HealthCheckResponse>(
      runtime_, "/grpc.health.v1.Health/Check", RunOn::kCallbackThread, context, request, response,
      UnaryHandler<HealthCheckRequest, HealthCheckResponse>(
          [this](grpc::CallbackServerContext*, const HealthCheckRequest& request,
                 HealthCheckResponse& response) { return HandleCheck(request, response); }));
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* HealthService::Watch(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return new Watcher(*this, context, *request);
}

}  // namespace horizonscale::server

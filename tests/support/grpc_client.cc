#include "tests/support/grpc_client.h"

#include <thread>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace horizonscale::testing {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

std::shared_ptr<grpc::Channel> ConnectTo(int port) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 200);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

std::unique_ptr<grpc::ClientContext> ContextWithDeadline(std::chrono::milliseconds timeout) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  return context;
}

HealthCheckResponse::ServingStatus WaitForHealth(grpc::health::v1::Health::Stub& health,
                                                 const std::string& service,
                                                 HealthCheckResponse::ServingStatus wanted) {
  // Sanitizer builds start slowly; this bounds waits, it is not a speed target.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  HealthCheckResponse::ServingStatus last = HealthCheckResponse::UNKNOWN;
  while (std::chrono::steady_clock::now() < deadline) {
    HealthCheckRequest request;
    request.set_service(service);
    HealthCheckResponse response;
    auto context = ContextWithDeadline(std::chrono::seconds(1));
    // Wait for the connection instead of failing fast: a sync client only
    // makes connection progress while a call is waiting.
    context->set_wait_for_ready(true);
    if (health.Check(context.get(), request, &response).ok()) {
      last = response.status();
      if (last == wanted) return last;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return last;
}

std::string ErrorInfoReason(const grpc::Status& status) {
  google::rpc::Status detail;
  if (!detail.ParseFromString(status.error_details())) return "(no google.rpc.Status detail)";
  for (const auto& any : detail.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.domain() + "/" + info.reason();
  }
  return "(no ErrorInfo)";
}

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status detail;
  if (!detail.ParseFromString(status.error_details())) return fields;
  for (const auto& any : detail.details()) {
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& violation : bad_request.field_violations()) {
        fields.push_back(violation.field());
      }
    }
  }
  return fields;
}

}  // namespace horizonscale::testing

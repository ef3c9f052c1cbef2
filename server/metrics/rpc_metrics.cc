#include "server/metrics/rpc_metrics.h"

#include <chrono>
#include <utility>

#include <google/protobuf/descriptor.h>

namespace horizonscale::server {
namespace {

using grpc::experimental::InterceptionHookPoints;
using RpcType = grpc::internal::RpcMethod::RpcType;

std::string_view TypeName(RpcType type) {
  switch (type) {
    case RpcType::NORMAL_RPC:
      return "unary";
    case RpcType::CLIENT_STREAMING:
      return "client_stream";
    case RpcType::SERVER_STREAMING:
      return "server_stream";
    case RpcType::BIDI_STREAMING:
      return "bidi_stream";
  }
  return "unary";
}

RpcType TypeOf(grpc::experimental::ServerRpcInfo::Type type) {
  using Type = grpc::experimental::ServerRpcInfo::Type;
  switch (type) {
    case Type::CLIENT_STREAMING:
      return RpcType::CLIENT_STREAMING;
    case Type::SERVER_STREAMING:
      return RpcType::SERVER_STREAMING;
    case Type::BIDI_STREAMING:
      return RpcType::BIDI_STREAMING;
    case Type::UNARY:
      break;
  }
  return RpcType::NORMAL_RPC;
}

// Splits "/package.Service/Method"; "unknown" for anything else.
std::pair<std::string, std::string> ServiceAndMethod(std::string_view full_method) {
  if (full_method.size() > 1 && full_method[0] == '/') {
    const size_t slash = full_method.find('/', 1);
    if (slash != std::string_view::npos && slash + 1 < full_method.size()) {
      return {std::string(full_method.substr(1, slash - 1)),
              std::string(full_method.substr(slash + 1))};
    }
  }
  return {"unknown", "unknown"};
}

// go-grpc-prometheus's default buckets (prometheus.DefBuckets).
const prometheus::Histogram::BucketBoundaries& HandlingBuckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return buckets;
}

class RpcMetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RpcMetricsInterceptor(RpcMetrics::Method& method)
      : method_(method), start_(std::chrono::steady_clock::now()) {
    method_.Started();
  }

  ~RpcMetricsInterceptor() override {
    // A call the client cancelled never reaches PRE_SEND_STATUS.
    if (!handled_) Handle(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Handle(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Handle(grpc::StatusCode code) {
    handled_ = true;
    method_.Handled(
        code, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }

  RpcMetrics::Method& method_;
  const std::chrono::steady_clock::time_point start_;
  bool handled_ = false;
};

}  // namespace

std::string_view GoCodeName(grpc::StatusCode code) {
  static constexpr std::array<std::string_view, 17> kNames = {
      "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
      "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
      "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
      "DataLoss", "Unauthenticated"};
  const auto index = static_cast<size_t>(code);
  return index < kNames.size() ? kNames[index] : "Unknown";
}

RpcMetrics::RpcMetrics(MetricsRegistry& registry, std::vector<std::string> services)
    : services_(std::move(services)),
      started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry.registry())),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success or "
                         "failure.")
                   .Register(registry.registry())),
      handling_(prometheus::BuildHistogram()
                    .Name("grpc_server_handling_seconds")
                    .Help("Histogram of response latency (seconds) of gRPC that had been "
                          "application-level handled by the server.")
                    .Register(registry.registry())) {}

RpcMetrics::Method::Method(RpcMetrics& owner, prometheus::Labels labels)
    : owner_(owner),
      labels_(std::move(labels)),
      started_(&owner.started_.Add(labels_)),
      handling_(&owner.handling_.Add(labels_, HandlingBuckets())) {}

void RpcMetrics::Method::Handled(grpc::StatusCode code, double seconds) {
  handling_->Observe(seconds);
  const auto index = static_cast<size_t>(code) < handled_.size() ? static_cast<size_t>(code)
                                                                 : size_t{2};  // UNKNOWN
  prometheus::Counter* counter = handled_[index].load(std::memory_order_acquire);
  if (counter == nullptr) {
    prometheus::Labels labels = labels_;
    labels.emplace("grpc_code", std::string(GoCodeName(static_cast<grpc::StatusCode>(index))));
    // Family::Add returns the existing counter when another thread won.
    counter = &owner_.handled_.Add(labels);
    handled_[index].store(counter, std::memory_order_release);
  }
  counter->Increment();
}

bool RpcMetrics::Served(std::string_view full_method) const {
  auto [service, method] = ServiceAndMethod(full_method);
  bool listed = false;
  for (const std::string& name : services_) listed = listed || name == service;
  if (!listed) return false;
  const google::protobuf::ServiceDescriptor* descriptor =
      google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
  return descriptor != nullptr && descriptor->FindMethodByName(method) != nullptr;
}

RpcMetrics::Method& RpcMetrics::For(std::string_view full_method, RpcType type) {
  std::string key = std::string(full_method) + "#" + std::string(TypeName(type));
  {
    std::lock_guard lock(mutex_);
    if (auto found = methods_.find(key); found != methods_.end()) return *found->second;
  }
  // Methods not served share one entry, so that no client can add series.
  const bool served = Served(full_method);
  if (!served) key = "/unknown/unknown#" + std::string(TypeName(type));
  auto [service, name] = served ? ServiceAndMethod(full_method)
                                : std::pair<std::string, std::string>{"unknown", "unknown"};
  std::lock_guard lock(mutex_);
  std::unique_ptr<Method>& method = methods_[key];
  if (method == nullptr) {
    method.reset(new Method(*this, {{"grpc_type", std::string(TypeName(type))},
                                    {"grpc_service", std::move(service)},
                                    {"grpc_method", std::move(name)}}));
  }
  return *method;
}

grpc::experimental::Interceptor* RpcMetricsInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcMetricsInterceptor(metrics_.For(info->method(), TypeOf(info->type())));
}

}  // namespace horizonscale::server

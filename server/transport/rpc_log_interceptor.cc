#include "server/transport/rpc_log_interceptor.h"

#include <chrono>
#include <string>

#include <grpcpp/server_context.h>

#include "server/common/errors.h"
#include "server/common/log.h"

namespace horizonscale::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

spdlog::level::level_enum LevelFor(std::string_view method, grpc::StatusCode code) {
  if (method.starts_with("/grpc.health.") || method.starts_with("/grpc.reflection.")) {
    return spdlog::level::debug;
  }
  // KEDA polls the scaler for every ScaledObject every few seconds: its
  // answered calls are routine, its failures are not.
  if (method.starts_with("/externalscaler.") && code == grpc::StatusCode::OK) {
    return spdlog::level::debug;
  }
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::UNAVAILABLE:
      return spdlog::level::warn;
    default:
      return spdlog::level::info;
  }
}

class RpcLogInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RpcLogInterceptor(grpc::experimental::ServerRpcInfo* info)
      : info_(info), method_(info->method()), start_(std::chrono::steady_clock::now()) {}

  ~RpcLogInterceptor() override {
    // A call the client cancelled never reaches PRE_SEND_STATUS.
    if (!logged_) Write(grpc::StatusCode::CANCELLED);
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (peer_.empty() && info_->server_context() != nullptr) {
      peer_ = info_->server_context()->peer();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      // A JSON call over the HTTP port arrives in-process: its client is
      // the HTTP one (server/http/connect_unary.h).
      const auto* metadata = methods->GetRecvInitialMetadata();
      if (auto http = metadata->find("x-horizonscale-http-peer"); http != metadata->end()) {
        peer_ = "http:" + std::string(http->second.data(), http->second.size());
      }
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      Write(methods->GetSendStatus().error_code());
    }
    methods->Proceed();
  }

 private:
  void Write(grpc::StatusCode code) {
    logged_ = true;
    const double millis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_)
            .count();
    Log(LevelFor(method_, code), "rpc",
        {{"method", method_},
         {"code", StatusCodeName(code)},
         {"duration_ms", millis},
         {"peer", peer_}});
  }

  grpc::experimental::ServerRpcInfo* info_;  // valid until the call ends
  std::string method_;
  std::string peer_;
  std::chrono::steady_clock::time_point start_;
  bool logged_ = false;
};

}  // namespace

grpc::experimental::Interceptor* RpcLogInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  return new RpcLogInterceptor(info);
}

}  // namespace horizonscale::server

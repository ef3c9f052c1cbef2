// Per-RPC metrics under go-grpc-prometheus's names, so that the dashboards
// and alerts people already have for Go gRPC servers work unchanged:
//
//   grpc_server_started_total{grpc_type,grpc_service,grpc_method}
//   grpc_server_handled_total{grpc_type,grpc_service,grpc_method,grpc_code}
//   grpc_server_handling_seconds{grpc_type,grpc_service,grpc_method} (histogram)
//
// grpc_type is unary, client_stream, server_stream or bidi_stream; grpc_code
// is Go's name of the status code (OK, InvalidArgument, ...). The buckets are
// go-grpc-prometheus's defaults (5 ms to 10 s). The label values come from
// the methods the server serves, so their number is bounded by the API; a
// call to a method of another service, or one its service does not have,
// counts under grpc_service and grpc_method "unknown".
//
// RpcMetricsInterceptorFactory installs them on a grpc::Server (the JSON
// calls of server/http/ pass through it too: they are gRPC calls in-process).
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>

#include "server/metrics/metrics_registry.h"

namespace horizonscale::server {

class RpcMetrics {
 public:
  // Registers the families in `registry`, which must outlive this.
  // `services`: the full names of the services served (their methods are
  // found in the generated descriptor pool).
  RpcMetrics(MetricsRegistry& registry, std::vector<std::string> services);
  RpcMetrics(const RpcMetrics&) = delete;
  RpcMetrics& operator=(const RpcMetrics&) = delete;

  // The metrics of one method (created on its first call, kept for good).
  class Method {
   public:
    // A call started.
    void Started() { started_->Increment(); }
    // A call ended with `code` after `seconds`.
    void Handled(grpc::StatusCode code, double seconds);

   private:
    friend class RpcMetrics;
    Method(RpcMetrics& owner, prometheus::Labels labels);

    RpcMetrics& owner_;
    const prometheus::Labels labels_;
    prometheus::Counter* started_;
    prometheus::Histogram* handling_;
    std::array<std::atomic<prometheus::Counter*>, 17> handled_{};  // by code, made on first use
  };

  // The metrics of `full_method` ("/package.Service/Method") of `type`.
  Method& For(std::string_view full_method, grpc::internal::RpcMethod::RpcType type);

 private:
  // True when `full_method` is a method of a served service.
  bool Served(std::string_view full_method) const;

  const std::vector<std::string> services_;
  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Histogram>& handling_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Method>> methods_;  // guarded by mutex_
};

// Counts every call of a grpc::Server in `metrics` (which must outlive the
// server): started when it arrives, handled with its code and duration when
// it ends (CANCELLED when the client went away first).
class RpcMetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcMetricsInterceptorFactory(RpcMetrics& metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetrics& metrics_;
};

// Go's name of `code` (codes.Code.String()): "OK", "InvalidArgument", ...
std::string_view GoCodeName(grpc::StatusCode code);

}  // namespace horizonscale::server

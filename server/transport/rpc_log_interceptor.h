// A server interceptor that logs one line per RPC when it ends: method, gRPC
// status code, duration in milliseconds and peer (for a JSON call over the
// HTTP port, "http:" and the HTTP client's address). Health and reflection
// calls, which probes make every few seconds, are logged at debug level;
// everything else at info (errors other than client mistakes at warn).
#pragma once

#include <grpcpp/support/server_interceptor.h>

namespace horizonscale::server {

class RpcLogInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;
};

}  // namespace horizonscale::server

// A memory-only planner service on an in-process gRPC server, set up as the
// server sets it up (both interceptors, the allocator policy), for
// benchmarks of what surrounds a call: the JSON bridge, the call gate.
#pragma once

#include <memory>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "server/common/log.h"
#include "server/common/malloc_policy.h"
#include "server/metrics/metrics_registry.h"
#include "server/metrics/rpc_metrics.h"
#include "server/planner/capacity_planner_service.h"
#include "server/transport/rpc_log_interceptor.h"

namespace horizonscale::server {

// The benchmarks' memory-only plan: 100 jobs/s at 0.1 s on 10 workers,
// P95 <= 1 s.
inline v1::GeneratePlanRequest BenchPlanRequest() {
  v1::GeneratePlanRequest request;
  request.set_queue("bench");
  v1::QueueMetrics* metrics = request.mutable_current_metrics();
  metrics->set_arrival_rate_per_second(100);
  metrics->set_mean_service_time_seconds(0.1);
  metrics->set_current_workers(10);
  request.mutable_slo()->set_p95_latency_seconds(1.0);
  return request;
}

struct InProcessPlanner {
  // Calls pass `gate` (null: none); the log is written at `log_level`.
  explicit InProcessPlanner(CallGate* gate = nullptr, const char* log_level = "warn")
      : pool(4, 64),
        streams(16, 256),
        runtime{.pool = &pool, .timers = &timers, .streams = &streams, .gate = gate},
        service(
            runtime, [] { return nullptr; }, /*persist_plans=*/false, 200'000'000),
        rpc_metrics(registry, {v1::CapacityPlannerService::service_full_name()}) {
    (void)ConfigureLogging(log_level, LogFormat::kText);
    KeepFreedMemoryForReuse();  // as the server does
    grpc::ServerBuilder builder;
    builder.RegisterService(&service);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
    factories.push_back(std::make_unique<RpcLogInterceptorFactory>());
    factories.push_back(std::make_unique<RpcMetricsInterceptorFactory>(rpc_metrics));
    builder.experimental().SetInterceptorCreators(std::move(factories));
    server = builder.BuildAndStart();
    channel = server->InProcessChannel(grpc::ChannelArguments());
  }
  ~InProcessPlanner() {
    server->Shutdown();
    pool.Stop();
    timers.Stop();
  }

  WorkPool pool;
  TimerQueue timers;
  StreamLimits streams;
  CallRuntime runtime;
  CapacityPlannerServiceImpl service;
  MetricsRegistry registry;
  RpcMetrics rpc_metrics;
  std::unique_ptr<grpc::Server> server;
  std::shared_ptr<grpc::Channel> channel;
};

}  // namespace horizonscale::server

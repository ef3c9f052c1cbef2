// GET /metrics's rendering (server/metrics/metrics_registry.h) with the
// planner's per-queue series of 10,000 queues (the default cap), their
// forecast accuracy judged, and the RPC metrics of a busy server. The target
// is under 50 ms per render.
#include <benchmark/benchmark.h>

#include <string>

#include "server/common/malloc_policy.h"
#include "server/common/proto_time.h"
#include "server/metrics/metrics_registry.h"
#include "server/metrics/planner_metrics.h"
#include "server/metrics/process_metrics.h"
#include "server/metrics/rpc_metrics.h"

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;

void FillQueues(PlannerMetrics& metrics, int queues) {
  const absl::Time start = absl::FromUnixSeconds(1'800'000'000);
  for (int round = 0; round < 2; ++round) {
    const absl::Time at = start + absl::Minutes(6 * round);
    for (int q = 0; q < queues; ++q) {
      v1::GeneratePlanRequest request;
      request.set_queue("queue-" + std::to_string(q));
      request.mutable_current_metrics()->set_arrival_rate_per_second(100 + q % 17);
      *request.mutable_current_metrics()->mutable_observe_time() = ToProtoTimestamp(at);
      v1::GeneratePlanResponse response;
      response.mutable_plan()->set_target_workers(10 + q % 7);
      response.mutable_plan()->set_confidence(0.8);
      response.mutable_plan()->set_slo_achievable(true);
      for (int i = 0; i < 24; ++i) {
        v1::ForecastPoint* point = response.add_arrival_forecast();
        *point->mutable_time() = ToProtoTimestamp(at + absl::Minutes(5 * i));
        point->set_value(105);
      }
      metrics.PlanGenerated(request, &response, grpc::StatusCode::OK, 0.0002, at);
    }
  }
}

// As the server does (server/common/malloc_policy.h); `keep` 0 measures
// glibc's defaults.
void BM_RenderMetrics(benchmark::State& state) {
  const int queues = static_cast<int>(state.range(0));
  if (state.range(1) != 0) KeepFreedMemoryForReuse();
  MetricsRegistry registry;
  RpcMetrics rpc(registry,
                 {"horizonscale.v1.CapacityPlannerService", "horizonscale.v1.FleetService",
                  "externalscaler.ExternalScaler", "grpc.health.v1.Health"});
  PlannerMetrics planner(registry, 10'000);
  ProcessMetrics process(registry);
  for (const char* method : {"GeneratePlan", "EvaluateQueue", "Simulate", "GetForecasts"}) {
    RpcMetrics::Method& m =
        rpc.For(std::string("/horizonscale.v1.CapacityPlannerService/") + method,
                grpc::internal::RpcMethod::NORMAL_RPC);
    m.Started();
    m.Handled(grpc::StatusCode::OK, 0.001);
    m.Handled(grpc::StatusCode::INVALID_ARGUMENT, 0.001);
  }
  FillQueues(planner, queues);
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = registry.Render();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
// Glibc's defaults first: the server's settings cannot be undone in-process.
BENCHMARK(BM_RenderMetrics)
    ->ArgNames({"queues", "keep"})
    ->Args({10'000, 0})
    ->Args({100, 1})
    ->Args({10'000, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace horizonscale::server

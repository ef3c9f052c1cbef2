// Speed of the queueing library. Targets (see the planner's budget): the
// planner calls FindMinimumWorkers ~15 times per request within ~200 µs for
// c around 10–100; c ~ 100,000 must stay within milliseconds.
//
//   cmake --preset bench && cmake --build --preset bench -j2 --target queueing_models_bench
//   build-bench/bench/queueing/queueing_models_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)
#include <benchmark/benchmark.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

// M/M/c at ρ = 0.9 (c = 10, 100) and ρ = 0.99 (c = 100,000).
PoolSpec MMcAt(int c) {
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.mean_service_time = 1;
  pool.arrival_rate = c >= 100'000 ? 0.99 * c : 0.9 * c;
  pool.workers = c;
  return pool;
}

void BM_ErlangB(benchmark::State& state) {
  const int c = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(ErlangB(0.9 * c, c));
}
BENCHMARK(BM_ErlangB)->Arg(10)->Arg(100)->Arg(100'000);

void BM_EvaluateMMc(benchmark::State& state) {
  const PoolSpec pool = MMcAt(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(pool));
}
BENCHMARK(BM_EvaluateMMc)->Arg(10)->Arg(100)->Arg(100'000);

void BM_EvaluateMGc(benchmark::State& state) {
  PoolSpec pool = MMcAt(static_cast<int>(state.range(0)));
  pool.model = Model::kMGc;
  pool.service_time_stddev = 0.5;  // gamma service, shape 4
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(pool));
}
BENCHMARK(BM_EvaluateMGc)->Arg(10)->Arg(100)->Arg(100'000);

void BM_EvaluateMMcK(benchmark::State& state) {
  PoolSpec pool = MMcAt(static_cast<int>(state.range(0)));
  pool.model = Model::kMMcK;
  pool.system_capacity = 2 * static_cast<int64_t>(pool.workers);
  for (auto _ : state) benchmark::DoNotOptimize(Evaluate(pool));
}
BENCHMARK(BM_EvaluateMMcK)->Arg(10)->Arg(100)->Arg(100'000);

// The planner's typical question: λ = 200/s, service 0.05 s, p95 ≤ 0.2 s.
void BM_FindMinimumWorkersPlanner(benchmark::State& state) {
  PoolSpec pool;
  pool.model = static_cast<Model>(state.range(0));
  pool.arrival_rate = 200;
  pool.mean_service_time = 0.05;
  pool.service_time_stddev = 0.025;  // used by kMGc only
  CapacityTarget target;
  target.response_p95 = 0.2;
  target.max_utilization = 0.9;
  target.max_backlog = 20;
  target.max_workers = 100;
  for (auto _ : state) benchmark::DoNotOptimize(FindMinimumWorkers(pool, target));
}
BENCHMARK(BM_FindMinimumWorkersPlanner)
    ->Arg(static_cast<int>(Model::kMMc))
    ->Arg(static_cast<int>(Model::kMGc))
    ->ArgName("model");

// c ≈ 100,000: λ = 99,000/s, service 1 s, p95 ≤ 3.1 s (answer 99,010).
void BM_FindMinimumWorkers100k(benchmark::State& state) {
  PoolSpec pool;
  pool.model = static_cast<Model>(state.range(0));
  pool.arrival_rate = 99'000;
  pool.mean_service_time = 1;
  pool.service_time_stddev = 0.5;
  CapacityTarget target;
  target.response_p95 = 3.1;
  for (auto _ : state) benchmark::DoNotOptimize(FindMinimumWorkers(pool, target));
}
BENCHMARK(BM_FindMinimumWorkers100k)
    ->Arg(static_cast<int>(Model::kMMc))
    ->Arg(static_cast<int>(Model::kMGc))
    ->ArgName("model")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace horizonscale::queueing

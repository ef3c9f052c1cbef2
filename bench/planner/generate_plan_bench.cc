// GeneratePlan's domain logic in-process: 24 h of one-minute history, the
// default config (60-minute window, 5-minute intervals, M/M/c, EWMA).
//   cmake --preset bench && cmake --build --preset bench -j2 --target planner_generate_plan_bench
//   build-bench/bench/planner/planner_generate_plan_bench --benchmark_repetitions=5
//     (add --benchmark_report_aggregates_only=true for medians only)
// Reported per-call latency percentiles come from the custom counters
// (p50_us, p99_us) measured over every iteration of the run.
#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "planner/planner.h"

namespace horizonscale::planner {
namespace {

PlanRequest DailyRequest(double base_rate, double service_time, int workers) {
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  std::mt19937_64 random(42);
  std::normal_distribution<double> noise(0, 0.03);
  PlanRequest request;
  for (int minute = 24 * 60; minute >= 1; --minute) {
    QueueSample sample;
    sample.time = now - absl::Minutes(minute);
    const double phase = 2 * M_PI * minute / (24 * 60.0);
    sample.arrival_rate = base_rate * (1 + 0.5 * std::sin(phase)) * (1 + noise(random));
    sample.mean_service_time = service_time;
    sample.workers = workers;
    request.history.push_back(sample);
  }
  request.current.time = now;
  request.current.arrival_rate = base_rate;
  request.current.mean_service_time = service_time;
  request.current.workers = workers;
  request.current.utilization = 0.7;
  request.slo.p95_latency = 4 * service_time;
  request.config.max_workers = 100'000;
  return request;
}

void Run(benchmark::State& state, const PlanRequest& request) {
  std::vector<double> micros;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<PlanResult> result = GeneratePlan(request);
    benchmark::DoNotOptimize(result);
    micros.push_back(
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
            .count());
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
  }
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
}

// A pool of ~20 workers: 200 jobs/s at 50 ms.
void BM_GeneratePlan_TypicalPool(benchmark::State& state) {
  Run(state, DailyRequest(200, 0.05, 15));
}
BENCHMARK(BM_GeneratePlan_TypicalPool);

// A large pool of ~1,500 workers: 3,000 jobs/s at 0.5 s.
void BM_GeneratePlan_LargePool(benchmark::State& state) {
  Run(state, DailyRequest(3000, 0.5, 1200));
}
BENCHMARK(BM_GeneratePlan_LargePool);

// The typical pool with FORECAST_MODEL_AUTO: every model backtested per call.
void BM_GeneratePlan_TypicalPoolAutoModel(benchmark::State& state) {
  PlanRequest request = DailyRequest(200, 0.05, 15);
  request.config.forecast_model = std::nullopt;
  Run(state, request);
}
BENCHMARK(BM_GeneratePlan_TypicalPoolAutoModel);

}  // namespace
}  // namespace horizonscale::planner

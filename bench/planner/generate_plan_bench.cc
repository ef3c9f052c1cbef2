// GeneratePlan's domain logic in-process: 24 h of one-minute history, the
// default config (60-minute window, 5-minute intervals, M/M/c, EWMA), and
// with FORECAST_MODEL_AUTO (a full model selection per call, and reusing a
// selection as the server does between hourly selections).
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

// One-minute samples of a daily cycle over the 24 h before now = the base
// time + `shift_minutes`; the same minute has the same rate in every
// request (its noise is drawn in minute order from one seed).
PlanRequest DailyRequest(double base_rate, double service_time, int workers,
                         int shift_minutes = 0) {
  const absl::Time now = absl::FromUnixSeconds(1'800'000'000) + absl::Minutes(shift_minutes);
  std::mt19937_64 random(42);
  std::normal_distribution<double> noise(0, 0.03);
  PlanRequest request;
  for (int offset = -24 * 60; offset < shift_minutes; ++offset) {
    const double jitter = noise(random);
    const int minute = shift_minutes - offset;  // before now
    if (minute > 24 * 60) continue;
    QueueSample sample;
    sample.time = now - absl::Minutes(minute);
    const double phase = 2 * M_PI * (minute - shift_minutes) / (24 * 60.0);
    sample.arrival_rate = base_rate * (1 + 0.5 * std::sin(phase)) * (1 + jitter);
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

// p50 and p99 of per-call latencies, as counters.
void ReportPercentiles(benchmark::State& state, std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  state.counters["p50_us"] = micros[micros.size() / 2];
  state.counters["p99_us"] = micros[std::min(micros.size() - 1, micros.size() * 99 / 100)];
}

// GeneratePlan(request), its latency in µs appended to `micros`.
absl::StatusOr<PlanResult> TimedPlan(const PlanRequest& request, std::vector<double>& micros) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<PlanResult> result = GeneratePlan(request);
  benchmark::DoNotOptimize(result);
  micros.push_back(
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  return result;
}

void Run(benchmark::State& state, const PlanRequest& request) {
  std::vector<double> micros;
  for (auto _ : state) {
    absl::StatusOr<PlanResult> result = TimedPlan(request, micros);
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
  }
  ReportPercentiles(state, std::move(micros));
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

// The typical pool with FORECAST_MODEL_AUTO as the server plans it: a plan
// a minute for an hour, each on the 24 h before it, the first one's model
// selection reused by the other 59 (PlanRequest::forecast_choice; the server
// selects again after an hour). Latencies of the 59 reusing calls; the
// first call's is that of BM_GeneratePlan_TypicalPoolAutoModel.
void BM_GeneratePlan_TypicalPoolAutoModelReused(benchmark::State& state) {
  constexpr int kPlans = 60;
  std::vector<PlanRequest> requests;
  for (int minute = 0; minute < kPlans; ++minute) {
    requests.push_back(DailyRequest(200, 0.05, 15, minute));
    requests.back().config.forecast_model = std::nullopt;
  }
  absl::StatusOr<PlanResult> selected = GeneratePlan(requests.front());
  if (!selected.ok() || selected->forecast_choice == nullptr) {
    state.SkipWithError("the first plan made no model selection");
    return;
  }
  std::vector<double> micros;
  int next = 1;
  for (auto _ : state) {
    PlanRequest& request = requests[next];
    next = next + 1 == kPlans ? 1 : next + 1;
    request.forecast_choice = selected->forecast_choice;
    absl::StatusOr<PlanResult> result = TimedPlan(request, micros);
    if (!result.ok() || !result->forecast_choice_reused) {
      state.SkipWithError("a plan did not reuse the selection");
      break;
    }
  }
  if (!micros.empty()) ReportPercentiles(state, std::move(micros));
}
BENCHMARK(BM_GeneratePlan_TypicalPoolAutoModelReused);

}  // namespace
}  // namespace horizonscale::planner

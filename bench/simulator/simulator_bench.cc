// Simulator throughput (Release build):
//   build-dir/bench/simulator/simulator_simulator_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
// Targets: >= 10 million events/s on a long M/M/c run; the 24-hour daily
// scenario at 50 jobs/s (~4.3 million jobs) in <= 0.5 s.
#include <cstdint>

#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <benchmark/benchmark.h>

#include "simulator/simulator.h"

namespace horizonscale::simulator {
namespace {

absl::Time Start() {
  return absl::FromCivil(absl::CivilSecond(2024, 3, 4, 0, 0, 0), absl::UTCTimeZone());
}

// Runs `scenario` once per iteration; reports events/s and jobs.
void RunBenchmark(benchmark::State& state, const Scenario& scenario, const PoolPlan& plan,
                  const SimulationConfig& config) {
  int64_t events = 0, jobs = 0;
  for (auto _ : state) {
    absl::StatusOr<RunResult> result = Simulate(scenario, plan, config);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    events += result->summary.events;
    jobs += result->summary.jobs_arrived;
    benchmark::DoNotOptimize(result->summary.p95_latency);
  }
  state.counters["events_per_second"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["jobs"] =
      benchmark::Counter(static_cast<double>(jobs) / static_cast<double>(state.iterations()));
}

// M/M/c at ρ = 0.8 for a long run: λ = 0.8·c /s, μ = 1/s, c = range(0)
// workers, about 4 million arrivals (8 million events).
void BM_LongMMc(benchmark::State& state) {
  const int workers = static_cast<int>(state.range(0));
  const double rate = 0.8 * workers;
  Scenario scenario;
  scenario.traffic.base_rate = rate;
  scenario.duration = absl::Seconds(static_cast<int64_t>(4e6 / rate));
  scenario.granularity = absl::Minutes(1);
  scenario.start = Start();
  PoolPlan plan;
  plan.initial_workers = workers;
  SimulationConfig config;
  config.service = {ServiceDistribution::kExponential, 1, 1};
  config.seed = 1;
  config.slo.p95_latency = 5;
  RunBenchmark(state, scenario, plan, config);
}
BENCHMARK(BM_LongMMc)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond);

// 24 hours at 50 jobs/s on average (daily profile, amplitude 0.5) with a ×3
// bell spike 14:00-15:00 UTC, 1-minute windows, exponential 0.2-s jobs, a
// plan that scales 30 → 60 → 30 workers around the spike, both SLOs.
Scenario DailyScenario() {
  Scenario scenario;
  scenario.name = "daily-with-spike";
  scenario.traffic.kind = PatternKind::kDaily;
  scenario.traffic.base_rate = 50;
  scenario.traffic.amplitude = 0.5;
  scenario.traffic.spikes.push_back({absl::Hours(14), absl::Hours(1), 3, SpikeShape::kBell});
  scenario.duration = absl::Hours(24);
  scenario.granularity = absl::Minutes(1);
  scenario.start = Start();
  return scenario;
}

void BM_Daily24Hours(benchmark::State& state) {
  const Scenario scenario = DailyScenario();
  PoolPlan plan;
  plan.initial_workers = 30;
  plan.steps = {{scenario.start + absl::Minutes(13 * 60 + 30), 60},
                {scenario.start + absl::Hours(16), 30}};
  SimulationConfig config;
  config.service = {ServiceDistribution::kExponential, 0.2, 1};
  config.seed = 7;
  config.slo.p95_latency = 1;
  config.slo.max_backlog = 50;
  config.provisioning_delay = absl::Minutes(2);
  RunBenchmark(state, scenario, plan, config);
}
BENCHMARK(BM_Daily24Hours)->Unit(benchmark::kMillisecond);

// The same with lognormal service times (cv 1.5): the cost of the variates.
void BM_Daily24HoursLognormal(benchmark::State& state) {
  const Scenario scenario = DailyScenario();
  PoolPlan plan;
  plan.initial_workers = 30;
  plan.steps = {{scenario.start + absl::Minutes(13 * 60 + 30), 60},
                {scenario.start + absl::Hours(16), 30}};
  SimulationConfig config;
  config.service = {ServiceDistribution::kLognormal, 0.2, 1.5};
  config.seed = 7;
  RunBenchmark(state, scenario, plan, config);
}
BENCHMARK(BM_Daily24HoursLognormal)->Unit(benchmark::kMillisecond);

void BM_EstimateEvents(benchmark::State& state) {
  const Scenario scenario = DailyScenario();
  for (auto _ : state) benchmark::DoNotOptimize(EstimateEvents(scenario));
}
BENCHMARK(BM_EstimateEvents)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace horizonscale::simulator

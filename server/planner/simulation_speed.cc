#include "server/planner/simulation_speed.h"

#include <algorithm>

#include "simulator/simulator.h"

namespace horizonscale::server {

void SimulationSpeed::Calibrate() {
  // M/M/c at utilization 0.8: 1,000 jobs/s for 100 s, 10 ms mean service,
  // 13 workers: about 100,000 arrivals and as many completions.
  simulator::Scenario scenario;
  scenario.name = "calibration";
  scenario.traffic.base_rate = 1000;
  scenario.duration = absl::Seconds(100);
  scenario.granularity = absl::Seconds(10);
  scenario.start = absl::UnixEpoch();
  simulator::SimulationConfig config;
  config.service.mean = 0.01;
  simulator::PoolPlan plan;
  plan.initial_workers = 13;
  const absl::Time started = absl::Now();
  absl::StatusOr<simulator::RunResult> run = simulator::Simulate(scenario, plan, config);
  const absl::Duration elapsed = absl::Now() - started;
  if (run.ok()) Record(run->summary.events, elapsed);
}

double SimulationSpeed::EventsPerSecond() {
  std::call_once(calibrated_, [this] { Calibrate(); });
  std::lock_guard lock(mutex_);
  // A failed calibration (it cannot fail on valid constants) leaves a
  // conservative one million events per second.
  return seconds_ > 0 ? events_ / seconds_ : 1e6;
}

absl::Duration SimulationSpeed::Estimate(int64_t events) {
  return absl::Seconds(static_cast<double>(std::max<int64_t>(0, events)) / EventsPerSecond());
}

void SimulationSpeed::Record(int64_t events, absl::Duration elapsed) {
  if (events <= 0 || elapsed <= absl::ZeroDuration()) return;
  std::lock_guard lock(mutex_);
  events_ += static_cast<double>(events);
  seconds_ += absl::ToDoubleSeconds(elapsed);
}

}  // namespace horizonscale::server

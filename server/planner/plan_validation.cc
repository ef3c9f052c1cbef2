#include "server/planner/plan_validation.h"

#include <algorithm>
#include <optional>

#include <absl/strings/str_cat.h>
#include <absl/time/time.h>

#include "planner/sizing.h"
#include "simulator/simulator.h"

namespace horizonscale::server {
namespace {

// The plan as the simulator's worker schedule. A plan without steps keeps
// its target from its generation time (as its mapped response says).
simulator::PoolPlan ToPoolPlan(const planner::Plan& plan) {
  simulator::PoolPlan out;
  out.initial_workers = plan.current_workers;
  if (plan.steps.empty()) {
    out.steps.push_back({plan.generated_at, plan.target_workers});
    return out;
  }
  for (const planner::ScalingStep& step : plan.steps) {
    out.steps.push_back({step.schedule_time, step.to_workers});
  }
  return out;
}

}  // namespace

absl::StatusOr<double> SimulatedSloAchievement(const planner::PlanResult& result,
                                               const planner::PlanRequest& request,
                                               const std::string& plan_id, int64_t max_events,
                                               const std::function<bool()>& cancelled) {
  const std::vector<planner::IntervalForecast>& forecast = result.forecast;
  if (forecast.empty()) return absl::FailedPreconditionError("the plan has no forecast");
  const planner::PlannerConfig& planned = request.config;
  simulator::Scenario scenario;
  scenario.name = "own forecast";
  scenario.start = forecast[0].start;
  const absl::Duration step =
      forecast.size() >= 2 ? forecast[1].start - scenario.start : planned.forecast_window;
  scenario.duration = step * static_cast<int64_t>(forecast.size());
  scenario.granularity = std::min(absl::Minutes(1), scenario.duration);
  scenario.traffic.kind = simulator::PatternKind::kPiecewise;
  scenario.traffic.piecewise_step = step;
  for (const planner::IntervalForecast& interval : forecast) {
    scenario.traffic.piecewise_rates.push_back(interval.rate);
  }

  const planner::QueueSample& current = request.current;
  simulator::SimulationConfig config;
  config.service.mean = current.mean_service_time;
  if (planned.general_service_time) {
    const double cv =
        planner::ServiceTimeStddev(current, /*general=*/true) / current.mean_service_time;
    if (cv > 0) {
      config.service.distribution = simulator::ServiceDistribution::kLognormal;
      config.service.coefficient_of_variation = cv;
    }
  }
  config.slo.p95_latency = request.slo.p95_latency;
  config.slo.max_backlog = request.slo.max_backlog;
  config.provisioning_delay = planned.provisioning_lead_time;
  // FNV-1a of the plan id: the same plan, the same random streams.
  uint64_t seed = 14695981039346656037ULL;
  for (unsigned char c : plan_id) seed = (seed ^ c) * 1099511628211ULL;
  config.seed = seed;

  if (absl::Status valid = simulator::ValidateScenario(scenario, config); !valid.ok()) {
    return valid;
  }
  if (const int64_t events = simulator::EstimateEvents(scenario); events > max_events) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "simulating the plan would take about ", events,
        " events, more than this server's limit of ", max_events, " (--max_simulation_events)"));
  }
  absl::StatusOr<simulator::RunResult> run =
      simulator::Simulate(scenario, ToPoolPlan(result.plan), config, cancelled);
  if (!run.ok()) return run.status();
  return run->summary.slo_achievement;
}

}  // namespace horizonscale::server

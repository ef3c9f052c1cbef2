// Draining a backlog, in the fluid approximation: jobs are a continuous
// quantity, and the number waiting B changes at dB/dt = λ(t) − c(t)/s while
// B > 0 (λ the arrival rate, c the workers serving, s the mean service time)
// and stays at 0 while capacity exceeds arrivals. Queueing randomness is
// ignored: it is small next to a backlog worth draining, and the steady-state
// sizing covers it once the backlog is gone.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <absl/time/time.h>

#include "planner/plan.h"

namespace horizonscale::planner {

// The extra service rate a backlog needs.
struct DrainNeed {
  // Jobs/s to serve on top of the arrivals while draining.
  double extra_rate = 0;
  // Intervals starting before this instant carry extra_rate.
  absl::Time until;
  // Non-empty when the deadline cannot be met whatever the pool does (it
  // falls within the provisioning lead time).
  std::string infeasible_reason;
};

// What draining `backlog` jobs to `target` by now + `deadline` needs, when
// workers added now serve only after `lead_time` and until then the
// `current_workers` face `arrival_rate`: with B_L the backlog at the end of
// the lead time, extra_rate = (B_L − target) / (deadline − lead_time), held
// until now + deadline. Zero when the current workers get there alone.
DrainNeed PlanDrain(double backlog, double target, absl::Duration deadline,
                    absl::Duration lead_time, double arrival_rate, int current_workers,
                    double mean_service_time, absl::Time now);

// From `at` on, `workers` serve.
struct WorkerChange {
  absl::Time at;
  int workers = 0;
};

// The workers serving over time under a plan: `reported` workers now, a
// scale-up still provisioning (`last_action` within the lead time) serving
// from its time + lead time, and each step from its schedule time (a
// scale-down) or its schedule time + lead time (a scale-up). In time order.
std::vector<WorkerChange> ServingWorkers(int reported, const std::optional<LastAction>& last_action,
                                         const std::vector<ScalingStep>& steps, absl::Time now,
                                         absl::Duration lead_time);

// The backlog under a plan.
struct BacklogProjection {
  std::vector<IntervalProjection> intervals;  // one per forecast interval
  // Time from now until the backlog is at or below the target; nullopt when
  // not within the forecast.
  std::optional<absl::Duration> time_to_target;
};

// Projects `backlog` over the `forecast` intervals (each `interval` long,
// point forecast as λ) with `changes` of the serving workers (in time order;
// before the first, `start_workers` serve).
BacklogProjection ProjectBacklog(double backlog, double target,
                                 const std::vector<IntervalForecast>& forecast,
                                 absl::Duration interval, int start_workers,
                                 const std::vector<WorkerChange>& changes, double mean_service_time,
                                 absl::Time now);

}  // namespace horizonscale::planner

// Turns per-interval worker requirements into time-sequenced scaling steps.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <absl/time/time.h>

#include "planner/plan.h"
#include "planner/sizing.h"

namespace horizonscale::planner {

// What one planning interval needs.
struct IntervalNeed {
  absl::Time start;
  double demand = 0;     // arrival rate sized for (forecast upper bound + margin)
  int up_workers = 0;    // least workers keeping utilization <= scale-up threshold (and the SLO)
  int down_workers = 0;  // least workers keeping utilization <= the scale-down target (and the SLO)
};

struct ScheduleInput {
  absl::Time now;
  int current_workers = 0;
  std::optional<LastAction> last_action;
  std::vector<IntervalNeed> intervals;  // the forecast window, in time order
  // down_workers computed from observed demand in the stabilization window
  // before now (most recent last).
  std::vector<int> recent_down_workers;
  const Sizer* sizer = nullptr;  // utilization of a worker count at a demand
};

// Steps that keep capacity ahead of demand:
// - scale up when an interval starting within the provisioning lead time
//   needs more workers than the pool has (so capacity is ready in time),
//   at most max_step_size workers per step;
// - scale down only when utilization falls below the scale-down threshold
//   and the lower count has been (observed) and will be (forecast) enough for
//   the whole stabilization window, to the count whose utilization is the
//   midpoint of the two thresholds (hysteresis), at most max_step_size per step;
// - consecutive steps, and the first one after the queue's last action, are
//   at least cooldown_period apart;
// - a pool outside [min_workers, max_workers] is brought inside at once.
// Each step carries its rationale; cost and confidence are filled by the caller.
struct Schedule {
  std::vector<ScalingStep> steps;
  // Set when the cooldown delays a scale-up an interval needs: says which,
  // and until when (the first such delay).
  std::string cooldown_delay;
};
Schedule ScheduleSteps(const ScheduleInput& input, const PlannerConfig& config);

// Workers the pool effectively has now: the reported count, or the target of
// a scale-up still provisioning (within the lead time of the last action).
int EffectiveCurrentWorkers(int reported, const std::optional<LastAction>& last, absl::Time now,
                            const PlannerConfig& config);

}  // namespace horizonscale::planner

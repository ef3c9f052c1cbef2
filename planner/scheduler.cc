#include "planner/scheduler.h"

#include <algorithm>

#include <absl/strings/str_format.h>

namespace horizonscale::planner {
namespace {

std::string Clock(absl::Time time) {
  return absl::FormatTime("%H:%M:%S", time, absl::UTCTimeZone());
}

// Number of planning intervals covered by `span` (rounded up).
int IntervalsIn(absl::Duration span, absl::Duration interval) {
  if (span <= absl::ZeroDuration()) return 0;
  return static_cast<int>(absl::Ceil(span, interval) / interval);
}

}  // namespace

int EffectiveCurrentWorkers(int reported, const std::optional<LastAction>& last, absl::Time now,
                            const PlannerConfig& config) {
  if (last.has_value() && last->action == ScalingAction::kScaleUp &&
      now - last->time < config.provisioning_lead_time && last->workers > reported) {
    return last->workers;
  }
  return reported;
}

Schedule ScheduleSteps(const ScheduleInput& input, const PlannerConfig& config) {
  Schedule schedule;
  std::vector<ScalingStep>& steps = schedule.steps;
  int workers = input.current_workers;
  absl::Time next_allowed = input.now;
  if (input.last_action.has_value() && input.last_action->action != ScalingAction::kNoChange) {
    next_allowed = std::max(next_allowed, input.last_action->time + config.cooldown_period);
  }
  auto add_step = [&](absl::Time when, int to, std::string rationale) {
    ScalingStep step;
    step.sequence = static_cast<int>(steps.size()) + 1;
    step.schedule_time = when;
    step.action = to > workers ? ScalingAction::kScaleUp : ScalingAction::kScaleDown;
    step.from_workers = workers;
    step.to_workers = to;
    step.rationale = std::move(rationale);
    step.cooldown_until = when + config.cooldown_period;
    steps.push_back(std::move(step));
    workers = to;
    next_allowed = when + config.cooldown_period;
  };

  // Hard bounds first, regardless of cooldown.
  if (workers < config.min_workers) {
    add_step(input.now, config.min_workers,
             absl::StrFormat("the pool has %d workers, below min_workers %d", workers,
                             config.min_workers));
  } else if (workers > config.max_workers) {
    add_step(input.now, config.max_workers,
             absl::StrFormat("the pool has %d workers, above max_workers %d", workers,
                             config.max_workers));
  }

  const absl::Duration interval = input.intervals.size() >= 2
                                      ? input.intervals[1].start - input.intervals[0].start
                                      : config.planning_interval;
  const int lead_intervals = IntervalsIn(config.provisioning_lead_time, interval);
  const int stabilization_intervals = IntervalsIn(config.scale_down_stabilization, interval);
  const int count = static_cast<int>(input.intervals.size());

  for (int j = 0; j < count; ++j) {
    const absl::Time slot_start = input.intervals[j].start;
    const absl::Time when = std::max(slot_start, next_allowed);

    // Scale up for the largest need among the intervals that capacity added
    // now would serve first (this one up to the lead time ahead).
    int up_need = 0, up_index = j;
    for (int i = j; i < count && i <= j + lead_intervals; ++i) {
      if (input.intervals[i].up_workers > up_need) {
        up_need = input.intervals[i].up_workers;
        up_index = i;
      }
    }
    if (up_need > workers && when > slot_start && schedule.cooldown_delay.empty()) {
      schedule.cooldown_delay =
          absl::StrFormat("a scale-up to %d workers needed from %s waits for the cooldown until %s",
                          up_need, Clock(slot_start), Clock(next_allowed));
    }
    if (when >= slot_start + interval) continue;  // cooldown covers this whole slot
    if (up_need > workers) {
      const IntervalNeed& need = input.intervals[up_index];
      const int to = std::min({up_need, workers + config.max_step_size, config.max_workers});
      add_step(when, to,
               absl::StrFormat(
                   "forecast demand %.4g jobs/s (upper bound + %.0f%% margin) at %s needs %d "
                   "workers to stay below %.0f%% utilization and meet the SLO%s",
                   need.demand, config.safety_margin * 100, Clock(need.start), up_need,
                   config.scale_up_threshold * 100,
                   to < up_need ? absl::StrFormat("; limited to %d per step", config.max_step_size)
                                : std::string()));
      continue;
    }

    // Scale down only below the scale-down threshold and only to a count
    // that the stabilization window (observed before, forecast after) allows.
    const double utilization = input.sizer->Utilization(input.intervals[j].demand, workers);
    if (utilization >= config.scale_down_threshold) continue;
    int down_need = config.min_workers;
    for (int i = j; i < count && i <= j + std::max(lead_intervals, stabilization_intervals); ++i) {
      down_need = std::max(down_need, input.intervals[i].down_workers);
    }
    const int past_needed = stabilization_intervals - j;  // window reaching before now
    const int recent = static_cast<int>(input.recent_down_workers.size());
    for (int k = std::max(0, recent - past_needed); k < recent; ++k) {
      down_need = std::max(down_need, input.recent_down_workers[k]);
    }
    if (down_need < workers) {
      const int to = std::max({down_need, workers - config.max_step_size, config.min_workers});
      add_step(when, to,
               absl::StrFormat(
                   "utilization %.0f%% is below the scale-down threshold %.0f%%; %d workers keep "
                   "utilization near %.0f%% and meet the SLO for the %s stabilization window",
                   utilization * 100, config.scale_down_threshold * 100, to,
                   (config.scale_up_threshold + config.scale_down_threshold) * 50,
                   absl::FormatDuration(config.scale_down_stabilization)));
    }
  }
  return schedule;
}

}  // namespace horizonscale::planner

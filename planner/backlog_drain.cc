#include "planner/backlog_drain.h"

#include <algorithm>
#include <limits>

#include <absl/strings/str_format.h>

namespace horizonscale::planner {

// Contract: see backlog_drain.h.
DrainNeed PlanDrain(double backlog, double target, absl::Duration deadline,
                    absl::Duration lead_time, double arrival_rate, int current_workers,
                    double mean_service_time, absl::Time now) {
  DrainNeed need;
  need.until = now;
  if (backlog <= target) return need;
  const double net_rate = arrival_rate - current_workers / mean_service_time;
  // The current workers alone, up to the lead time (or the deadline).
  const absl::Duration alone = std::min(lead_time, deadline);
  const double after_alone = std::max(0.0, backlog + net_rate * absl::ToDoubleSeconds(alone));
  if (after_alone <= target) return need;
  if (deadline <= lead_time) {
    need.infeasible_reason = absl::StrFormat(
        "drain_time %s is not longer than the provisioning lead time %s: new workers would "
        "arrive after it, and the current %d workers leave %.0f jobs waiting then (max_backlog "
        "%.0f)",
        absl::FormatDuration(deadline), absl::FormatDuration(lead_time), current_workers,
        after_alone, target);
    return need;
  }
  need.extra_rate = (after_alone - target) / absl::ToDoubleSeconds(deadline - lead_time);
  need.until = now + deadline;
  return need;
}

// Contract: see backlog_drain.h.
std::vector<WorkerChange> ServingWorkers(int reported, const std::optional<LastAction>& last_action,
                                         const std::vector<ScalingStep>& steps, absl::Time now,
                                         absl::Duration lead_time) {
  std::vector<WorkerChange> changes;
  if (last_action.has_value() && last_action->action == ScalingAction::kScaleUp &&
      last_action->time + lead_time > now && last_action->workers > reported) {
    changes.push_back({last_action->time + lead_time, last_action->workers});
  }
  for (const ScalingStep& step : steps) {
    const bool up = step.to_workers > step.from_workers;
    changes.push_back({up ? step.schedule_time + lead_time : step.schedule_time, step.to_workers});
  }
  // A scale-down right after a scale-up may take effect before it: keep the
  // order of effect, later steps winning ties.
  std::stable_sort(changes.begin(), changes.end(),
                   [](const WorkerChange& a, const WorkerChange& b) { return a.at < b.at; });
  return changes;
}

// Contract: see backlog_drain.h.
BacklogProjection ProjectBacklog(double backlog, double target,
                                 const std::vector<IntervalForecast>& forecast,
                                 absl::Duration interval, int start_workers,
                                 const std::vector<WorkerChange>& changes, double mean_service_time,
                                 absl::Time now) {
  BacklogProjection projection;
  double waiting = std::max(0.0, backlog);
  if (waiting <= target) projection.time_to_target = absl::ZeroDuration();
  int workers = start_workers;
  size_t next_change = 0;
  auto apply_changes_until = [&](absl::Time t) {
    while (next_change < changes.size() && changes[next_change].at <= t) {
      workers = changes[next_change++].workers;
    }
  };
  for (const IntervalForecast& point : forecast) {
    const absl::Time end = point.start + interval;
    apply_changes_until(point.start);
    IntervalProjection out;
    out.start = point.start;
    out.arrival_rate = point.rate;
    out.workers = workers;
    out.utilization = workers > 0 ? point.rate * mean_service_time / workers
                                  : (point.rate > 0 ? std::numeric_limits<double>::infinity() : 0);
    // Piecewise constant capacity inside the interval.
    absl::Time t = point.start;
    while (t < end) {
      const absl::Time segment_end =
          next_change < changes.size() ? std::min(end, changes[next_change].at) : end;
      const double seconds = absl::ToDoubleSeconds(segment_end - t);
      const double net_rate = point.rate - workers / mean_service_time;
      if (!projection.time_to_target.has_value() && net_rate < 0 &&
          (waiting - target) / -net_rate <= seconds) {
        projection.time_to_target = (t - now) + absl::Seconds((waiting - target) / -net_rate);
      }
      waiting = std::max(0.0, waiting + net_rate * seconds);
      t = segment_end;
      apply_changes_until(t);
    }
    out.backlog_end = waiting;
    projection.intervals.push_back(out);
  }
  return projection;
}

}  // namespace horizonscale::planner

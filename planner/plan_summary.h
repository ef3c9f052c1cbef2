// The at-a-glance parts of a plan: urgency, change, load and utilization
// ranges, peaks and the hourly pattern of the history.
#pragma once

#include <vector>

#include <absl/time/time.h>

#include "planner/plan.h"

namespace horizonscale::planner {

// How urgent acting on `plan` is:
// - critical: the SLO is not achievable, or the pool misses it now (the
//   current workers fail the SLO at the current rate, or a backlog needs
//   draining);
// - high: a scale-up is due now (the first step, scheduled at once);
// - medium: a scale-up later in the window;
// - low: nothing to add (hold, or scale-downs only).
Urgency ClassifyUrgency(const Plan& plan, bool misses_slo_now);

// (target − current) / max(current, 1) × 100: +50 for 10 → 15 workers,
// +100 per worker added to an empty pool.
double CapacityChangePercent(int current_workers, int target_workers);

// Minimum, mean and maximum of `values` (all 0 when empty).
Range RangeOf(const std::vector<double>& values);

// Starts of the (at most `count`) intervals with the highest `demand`,
// highest first; ties keep the earlier interval.
std::vector<absl::Time> PeakIntervals(const std::vector<absl::Time>& starts,
                                      const std::vector<double>& demand, int count);

// Mean arrival rate by hour of day (UTC) of the `samples` after `since`,
// for the hours that have samples; empty unless those span at least 24
// hours. O(samples), no allocation but the answer's.
std::vector<HourlyRate> HourlyPattern(const std::vector<QueueSample>& samples,
                                      absl::Time since = absl::InfinitePast());

}  // namespace horizonscale::planner

// Turns irregular metric samples into a regular arrival-rate series.
#pragma once

#include <span>
#include <vector>

#include <absl/time/time.h>

#include "planner/plan.h"

namespace horizonscale::planner {

struct ArrivalSeries {
  std::vector<double> rates;  // mean arrival rate per bucket, oldest first
  int observed_buckets = 0;   // buckets that held at least one sample
};

// Buckets the samples with time in (now − window, now] into consecutive
// intervals of `step` ending at `now` (the last is (now − step, now]); a
// bucket's value is the mean arrival rate of its samples. Empty buckets
// between observed ones are filled by linear interpolation; empty buckets
// before the first observed one are dropped. Samples outside the window are
// ignored. Requires step > 0 and window >= step.
ArrivalSeries BuildArrivalSeries(std::span<const QueueSample> samples, absl::Time now,
                                 absl::Duration step, absl::Duration window);

}  // namespace horizonscale::planner

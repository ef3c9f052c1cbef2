#include "planner/arrival_series.h"

#include <cmath>

namespace horizonscale::planner {

ArrivalSeries BuildArrivalSeries(std::span<const QueueSample> samples, absl::Time now,
                                 absl::Duration step, absl::Duration window) {
  // Integer microseconds keep the per-sample work to a division.
  const int64_t step_us = absl::ToInt64Microseconds(step);
  const int64_t buckets = absl::ToInt64Microseconds(window) / step_us;
  const int64_t now_us = absl::ToUnixMicros(now);
  std::vector<double> sums(buckets, 0.0);
  std::vector<int> counts(buckets, 0);
  for (const QueueSample& sample : samples) {
    // The bucket k steps before the last covers the times
    // (now − (k + 1)·step, now − k·step], i.e. ages in [k·step, (k + 1)·step).
    const int64_t age_us = now_us - absl::ToUnixMicros(sample.time);
    if (age_us < 0 || age_us >= step_us * buckets) continue;  // future, or beyond the window
    const int64_t index = buckets - 1 - age_us / step_us;
    sums[index] += sample.arrival_rate;
    ++counts[index];
  }
  ArrivalSeries series;
  int64_t first = 0;
  while (first < buckets && counts[first] == 0) ++first;
  int64_t previous_observed = -1;
  for (int64_t b = first; b < buckets; ++b) {
    if (counts[b] == 0) continue;
    const double value = sums[b] / counts[b];
    if (previous_observed >= 0) {  // interpolate the gap (previous_observed, b)
      const double start = series.rates.back();
      const int64_t gap = b - previous_observed;
      for (int64_t k = 1; k < gap; ++k) {
        series.rates.push_back(start + (value - start) * static_cast<double>(k) / gap);
      }
    }
    series.rates.push_back(value);
    ++series.observed_buckets;
    previous_observed = b;
  }
  // Trailing empty buckets (no recent sample) are not invented: the series
  // ends at the last observed bucket.
  return series;
}

}  // namespace horizonscale::planner

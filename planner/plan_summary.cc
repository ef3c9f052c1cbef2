#include "planner/plan_summary.h"

#include <algorithm>
#include <numeric>

namespace horizonscale::planner {

// Contract: see plan_summary.h.
Urgency ClassifyUrgency(const Plan& plan, bool misses_slo_now) {
  if (!plan.slo_achievable || misses_slo_now) return Urgency::kCritical;
  bool scale_up_now = false, scale_up_later = false;
  for (const ScalingStep& step : plan.steps) {
    if (step.action != ScalingAction::kScaleUp) continue;
    (step.schedule_time <= plan.generated_at ? scale_up_now : scale_up_later) = true;
  }
  if (scale_up_now) return Urgency::kHigh;
  return scale_up_later ? Urgency::kMedium : Urgency::kLow;
}

// Contract: see plan_summary.h.
double CapacityChangePercent(int current_workers, int target_workers) {
  return 100.0 * (target_workers - current_workers) / std::max(current_workers, 1);
}

// Contract: see plan_summary.h.
Range RangeOf(const std::vector<double>& values) {
  if (values.empty()) return {};
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return {*low, std::accumulate(values.begin(), values.end(), 0.0) / values.size(), *high};
}

// Contract: see plan_summary.h.
std::vector<absl::Time> PeakIntervals(const std::vector<absl::Time>& starts,
                                      const std::vector<double>& demand, int count) {
  std::vector<size_t> order(std::min(starts.size(), demand.size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return demand[a] > demand[b]; });
  std::vector<absl::Time> peaks;
  for (size_t i = 0; i < order.size() && static_cast<int>(i) < count; ++i) {
    peaks.push_back(starts[order[i]]);
  }
  return peaks;
}

// Contract: see plan_summary.h.
std::vector<HourlyRate> HourlyPattern(const std::vector<QueueSample>& samples, absl::Time since) {
  absl::Time first = absl::InfiniteFuture();
  absl::Time last = absl::InfinitePast();
  double sum[24] = {};
  int count[24] = {};
  for (const QueueSample& sample : samples) {
    if (sample.time <= since) continue;
    first = std::min(first, sample.time);
    last = std::max(last, sample.time);
    // The UTC hour of day, by arithmetic (a time zone lookup per sample
    // costs more than the rest of the plan).
    const int64_t seconds = absl::ToUnixSeconds(sample.time);
    const int64_t of_day = ((seconds % 86'400) + 86'400) % 86'400;
    const int hour = static_cast<int>(of_day / 3600);
    sum[hour] += sample.arrival_rate;
    ++count[hour];
  }
  if (last == absl::InfinitePast() || last - first < absl::Hours(24)) return {};
  std::vector<HourlyRate> pattern;
  for (int hour = 0; hour < 24; ++hour) {
    if (count[hour] > 0) pattern.push_back({hour, sum[hour] / count[hour], count[hour]});
  }
  return pattern;
}

}  // namespace horizonscale::planner

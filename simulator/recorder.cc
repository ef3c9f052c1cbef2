// Timeline windows, SLO verdicts, violations and summary (rules in
// internal/recorder.h).
#include "simulator/internal/recorder.h"

#include <algorithm>
#include <climits>

namespace horizonscale::simulator::internal {

Recorder::Recorder(const Scenario& scenario, const SimulationConfig& config, const WindowGrid& grid)
    : config_(config), grid_(grid) {
  scenario_shape_.start = scenario.start;
  scenario_shape_.duration = scenario.duration;
  scenario_shape_.granularity = scenario.granularity;
  result_.timeline.reserve(static_cast<size_t>(grid.count));
}

absl::Time Recorder::WindowStart(int64_t k) const {
  return k >= grid_.count ? scenario_shape_.start + scenario_shape_.duration
                          : scenario_shape_.start + scenario_shape_.granularity * k;
}

void Recorder::TrackViolation(ViolationType type, bool violated, int64_t k) {
  std::optional<int64_t>& open = open_violation_[static_cast<int>(type)];
  if (violated && !open.has_value()) open = k;
  if (!violated && open.has_value()) {
    result_.violations.push_back({WindowStart(*open), WindowStart(k), type});
    open.reset();
  }
}

void Recorder::CloseWindow(const WindowEnd& end) {
  const auto k = static_cast<int64_t>(result_.timeline.size());
  Window window;
  window.start = WindowStart(k);
  window.arrivals = arrivals_;
  window.completions = completions_;
  window.workers = static_cast<int>(std::min<int64_t>(end.workers, INT_MAX));
  window.utilization = end.present_seconds > 0 ? end.busy_seconds / end.present_seconds : 0;
  window.backlog = end.backlog;
  window.p95_latency = window_latencies_.Quantile(0.95);

  bool latency_met = true;
  if (config_.slo.p95_latency.has_value()) {
    const double target = *config_.slo.p95_latency;
    latency_met = completions_ > 0 ? window.p95_latency <= target : end.oldest_wait <= target;
  }
  const bool backlog_met =
      !config_.slo.max_backlog.has_value() || peak_backlog_ <= *config_.slo.max_backlog;
  window.slo_met = latency_met && backlog_met;
  if (window.slo_met) {
    ++windows_met_;
  } else {
    violating_seconds_ += grid_.End(k) - (k == 0 ? 0 : grid_.End(k - 1));
  }
  TrackViolation(ViolationType::kLatency, !latency_met, k);
  TrackViolation(ViolationType::kBacklog, !backlog_met, k);
  result_.timeline.push_back(window);

  all_latencies_.Merge(window_latencies_);
  window_latencies_.Clear();
  total_arrivals_ += arrivals_;
  total_completions_ += completions_;
  max_backlog_ = std::max(max_backlog_, peak_backlog_);
  arrivals_ = 0;
  completions_ = 0;
  peak_backlog_ = end.backlog;  // the next window starts at this level
}

RunResult Recorder::Finish(double busy_seconds, double paid_seconds, int64_t events) {
  const auto windows = static_cast<int64_t>(result_.timeline.size());
  TrackViolation(ViolationType::kLatency, false, windows);
  TrackViolation(ViolationType::kBacklog, false, windows);
  std::stable_sort(result_.violations.begin(), result_.violations.end(),
                   [](const Violation& a, const Violation& b) {
                     return a.start != b.start ? a.start < b.start : a.type < b.type;
                   });

  Summary& summary = result_.summary;
  summary.slo_achievement =
      windows > 0 ? static_cast<double>(windows_met_) / static_cast<double>(windows) : 0;
  summary.jobs_arrived = total_arrivals_;
  summary.jobs_completed = total_completions_;
  summary.average_latency =
      total_completions_ > 0 ? latency_sum_ / static_cast<double>(total_completions_) : 0;
  summary.p50_latency = all_latencies_.Quantile(0.50);
  summary.p95_latency = all_latencies_.Quantile(0.95);
  summary.p99_latency = all_latencies_.Quantile(0.99);
  summary.max_backlog = max_backlog_;
  summary.worker_cost = paid_seconds / 3600 * config_.worker_cost_per_hour;
  summary.violation_cost = violating_seconds_ / 3600 * config_.violation_cost_per_hour;
  summary.total_cost = summary.worker_cost + summary.violation_cost;
  summary.efficiency_score =
      paid_seconds > 0 ? summary.slo_achievement * std::min(1.0, busy_seconds / paid_seconds) : 0;
  summary.events = events;
  return std::move(result_);
}

}  // namespace horizonscale::simulator::internal

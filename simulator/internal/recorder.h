// Statistics of a run: the timeline's windows, the SLO verdict of each, the
// merged violation periods and the summary. Internal to hs_simulator.
//
// Rules (also in simulator.h):
//  - A window meets the latency SLO when the P95 of the response times of the
//    jobs completed in it is <= the target; a window with no completion meets
//    it unless the oldest job still waiting at its end has already waited
//    longer than the target (so a pool that serves nothing is not "on time").
//  - A window meets the backlog SLO when the number of jobs waiting never
//    exceeded the maximum at any time in the window (its peak, not its end).
//  - slo_achievement = windows meeting the SLO / windows.
//  - violation_cost = hours of windows not meeting the SLO × cost per hour
//    (a window counts once even when it violates both ways).
//  - worker_cost = paid worker-hours × cost per hour (see worker_pool.h).
//  - efficiency_score = slo_achievement × busy worker-seconds / paid
//    worker-seconds, in [0, 1] (0 when nothing was paid): high only when the
//    SLO holds and the paid capacity was used.
//  - Latency percentiles: nearest-rank on a log-bucketed histogram, within
//    0.39 % of the exact sample quantile (see histogram.h); the average is
//    exact. Only completed jobs count (those still queued or in service at
//    the end do not).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "simulator/internal/histogram.h"
#include "simulator/internal/window_grid.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

class Recorder {
 public:
  Recorder(const Scenario& scenario, const SimulationConfig& config, const WindowGrid& grid);

  // A job arrived in the current window.
  void Arrival() { ++arrivals_; }

  // A job completed in the current window with this response time (seconds).
  void Completion(double response) {
    window_latencies_.Add(response);
    ++completions_;
    latency_sum_ += response;
  }

  // The number of jobs waiting just rose to `waiting`.
  void Backlog(int64_t waiting) {
    if (waiting > peak_backlog_) peak_backlog_ = waiting;
  }

  // The state of the pool at the end of the current window.
  struct WindowEnd {
    int64_t workers = 0;         // present
    int64_t backlog = 0;         // waiting
    double busy_seconds = 0;     // busy worker-seconds in the window
    double present_seconds = 0;  // present worker-seconds in the window
    double oldest_wait = 0;      // seconds the oldest waiting job has waited (0 if none)
  };

  // Closes the current window and opens the next one.
  void CloseWindow(const WindowEnd& end);

  // The result, once every window is closed.
  RunResult Finish(double busy_seconds, double paid_seconds, int64_t events);

 private:
  // Opens or closes the running violation of `type` after window k.
  void TrackViolation(ViolationType type, bool violated, int64_t k);
  absl::Time WindowStart(int64_t k) const;

  Scenario scenario_shape_;  // start, duration, granularity (traffic dropped)
  SimulationConfig config_;
  WindowGrid grid_;
  RunResult result_;
  LatencyHistogram window_latencies_;
  LatencyHistogram all_latencies_;
  double latency_sum_ = 0;
  int64_t arrivals_ = 0;      // current window
  int64_t completions_ = 0;   // current window
  int64_t peak_backlog_ = 0;  // current window
  int64_t max_backlog_ = 0;   // run
  int64_t total_arrivals_ = 0;
  int64_t total_completions_ = 0;
  int64_t windows_met_ = 0;
  double violating_seconds_ = 0;
  std::optional<int64_t> open_violation_[2];  // first window, per ViolationType
};

}  // namespace horizonscale::simulator::internal

// The pool's workers over time, following the plan's targets. Internal to
// hs_simulator.
//
// Rules:
//  - A rise of the target first keeps workers that were due to leave
//    (cancelling their departure), then provisions the rest: they serve
//    `provisioning_delay` after the step (at once when the delay is 0).
//  - A fall of the target first cancels workers still provisioning (the most
//    recently requested first), then removes idle workers at once, then marks
//    busy workers to leave when their current job ends (no job is
//    interrupted; the worker finishing first leaves first).
//  - Billing: a worker is paid from the step that requested it (while
//    provisioning too, like a cloud instance) until it leaves the pool, or
//    until its provisioning is cancelled, or until the run ends.
//
// The pool keeps the time integrals of the workers present (for the
// timeline's utilization) and of the workers paid (for the cost); the busy
// count is the caller's (the jobs in service).
#pragma once

#include <cstdint>
#include <deque>
#include <limits>

namespace horizonscale::simulator::internal {

class WorkerPool {
 public:
  WorkerPool(int64_t initial_workers, double provisioning_delay);

  // Workers present: idle, busy, and busy ones due to leave after their job.
  int64_t present() const { return present_; }

  // Sets the target to `target` at time t, with `busy` workers busy. Callers
  // then give queued jobs to any idle workers.
  void SetTarget(double t, int64_t target, int64_t busy);

  // When the next provisioning batch starts serving (+inf when none).
  double next_ready() const {
    return batches_.empty() ? std::numeric_limits<double>::infinity() : batches_.front().ready;
  }

  // The batch due at next_ready() starts serving at `t`.
  void FinishProvisioning(double t);

  // A busy worker finished its job at `t`: true when it leaves the pool
  // (it was due to leave), false when it stays to serve.
  bool LeavesAfterJob(double t) {
    if (leaving_ == 0) return false;
    AdvanceTo(t);
    --leaving_;
    --present_;
    return true;
  }

  // Integrates the worker counts up to `t` (>= the last time seen).
  void AdvanceTo(double t) {
    const double dt = t - last_;
    present_seconds_ += static_cast<double>(present_) * dt;
    paid_seconds_ += static_cast<double>(present_ + provisioning_) * dt;
    last_ = t;
  }

  // Worker-seconds present since the last call (call after AdvanceTo).
  double TakePresentSeconds() {
    const double seconds = present_seconds_;
    present_seconds_ = 0;
    return seconds;
  }

  // Worker-seconds paid so far (call after AdvanceTo).
  double paid_seconds() const { return paid_seconds_; }

 private:
  struct Batch {
    double ready;
    int64_t workers;
  };

  double delay_;
  int64_t present_;
  int64_t leaving_ = 0;
  int64_t provisioning_ = 0;   // sum over batches_
  std::deque<Batch> batches_;  // in ready order (one delay for all steps)
  double last_ = 0;
  double present_seconds_ = 0;
  double paid_seconds_ = 0;
};

}  // namespace horizonscale::simulator::internal

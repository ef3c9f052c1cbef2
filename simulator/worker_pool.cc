// Worker-pool transitions (rules in internal/worker_pool.h).
#include "simulator/internal/worker_pool.h"

#include <algorithm>

namespace horizonscale::simulator::internal {

WorkerPool::WorkerPool(int64_t initial_workers, double provisioning_delay)
    : delay_(provisioning_delay), present_(initial_workers) {}

void WorkerPool::SetTarget(double t, int64_t target, int64_t busy) {
  AdvanceTo(t);
  const int64_t committed = present_ - leaving_ + provisioning_;
  if (target > committed) {
    int64_t add = target - committed;
    const int64_t kept = std::min(leaving_, add);
    leaving_ -= kept;
    add -= kept;
    if (add == 0) return;
    if (delay_ <= 0) {
      present_ += add;
    } else {
      batches_.push_back({t + delay_, add});
      provisioning_ += add;
    }
    return;
  }
  int64_t remove = committed - target;
  while (remove > 0 && !batches_.empty()) {
    Batch& newest = batches_.back();
    const int64_t cancelled = std::min(newest.workers, remove);
    newest.workers -= cancelled;
    provisioning_ -= cancelled;
    remove -= cancelled;
    if (newest.workers == 0) batches_.pop_back();
  }
  const int64_t idle = present_ - busy;
  const int64_t removed_idle = std::min(idle, remove);
  present_ -= removed_idle;
  remove -= removed_idle;
  leaving_ += remove;  // <= busy − leaving_, as committed counted them
}

void WorkerPool::FinishProvisioning(double t) {
  AdvanceTo(t);
  present_ += batches_.front().workers;
  provisioning_ -= batches_.front().workers;
  batches_.pop_front();
}

}  // namespace horizonscale::simulator::internal

#include "server/planner/queue_history_cache.h"

#include <algorithm>

namespace horizonscale::server {
namespace {

// floor(time / kCell), also for instants before 1970.
int64_t CellIndex(absl::Time time) {
  const int64_t micros = absl::ToUnixMicros(time);
  const int64_t cell = absl::ToInt64Microseconds(QueueHistoryCache::kCell);
  return micros / cell - (micros % cell < 0 ? 1 : 0);
}

}  // namespace

QueueHistoryCache::QueueHistoryCache(absl::Duration time_to_live, size_t max_queues)
    : time_to_live_(time_to_live), max_queues_(std::max<size_t>(1, max_queues)) {}

void QueueHistoryCache::Add(Entry& entry, const planner::QueueSample& sample) {
  const int64_t index = CellIndex(sample.time);
  auto it = std::lower_bound(entry.cells.begin(), entry.cells.end(), index,
                             [](const Cell& cell, int64_t i) { return cell.index < i; });
  if (it == entry.cells.end() || it->index != index) it = entry.cells.insert(it, Cell{index});
  it->rate_sum += sample.arrival_rate;
  it->service_sum += sample.mean_service_time;
  ++it->count;
  it->workers = std::max(it->workers, sample.workers);
}

void QueueHistoryCache::Touch(Entry& entry) {
  recency_.splice(recency_.begin(), recency_, entry.recency);
}

absl::StatusOr<db::QueueHistory> QueueHistoryCache::Get(const std::string& queue, absl::Time now,
                                                        absl::Duration window, const Loader& load) {
  uint64_t invalidations = 0;
  {
    std::lock_guard lock(mutex_);
    invalidations = invalidations_;
    auto it = entries_.find(queue);
    const bool memory_only = time_to_live_ == absl::InfiniteDuration();
    if (it != entries_.end() && (memory_only || (now - it->second.loaded_at < time_to_live_ &&
                                                 it->second.window >= window))) {
      Entry& entry = it->second;
      Touch(entry);
      db::QueueHistory history;
      history.last_action = entry.last_action;
      const int64_t first = CellIndex(now - window) + 1;
      for (const Cell& cell : entry.cells) {
        if (cell.index < first) continue;
        planner::QueueSample sample;
        sample.time = absl::UnixEpoch() + (cell.index + 1) * kCell - absl::Microseconds(1);
        if (sample.time > now) sample.time = now;
        sample.arrival_rate = cell.rate_sum / cell.count;
        sample.mean_service_time = cell.service_sum / cell.count;
        sample.workers = cell.workers;
        history.samples.push_back(sample);
      }
      return history;
    }
  }
  absl::StatusOr<db::QueueHistory> loaded = load(queue, now, window);
  if (!loaded.ok()) return loaded;
  std::lock_guard lock(mutex_);
  // An invalidation during the load may concern what was loaded: answer
  // with it, but do not keep it.
  if (invalidations_ != invalidations) {
    return loaded;
  }
  auto [it, inserted] = entries_.try_emplace(queue);
  Entry& entry = it->second;
  if (inserted) {
    recency_.push_front(queue);
    entry.recency = recency_.begin();
  } else {
    Touch(entry);
  }
  entry.cells.clear();
  for (const planner::QueueSample& sample : loaded->samples) Add(entry, sample);
  entry.last_action = loaded->last_action;
  entry.loaded_at = now;
  entry.window = window;
  while (entries_.size() > max_queues_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
  return loaded;
}

void QueueHistoryCache::Invalidate(const std::string& queue) {
  std::lock_guard lock(mutex_);
  ++invalidations_;
  auto it = entries_.find(queue);
  if (it == entries_.end()) return;
  recency_.erase(it->second.recency);
  entries_.erase(it);
}

void QueueHistoryCache::InvalidateAll() {
  std::lock_guard lock(mutex_);
  ++invalidations_;
  entries_.clear();
  recency_.clear();
}

void QueueHistoryCache::Record(const std::string& queue,
                               const std::vector<planner::QueueSample>& samples,
                               const std::optional<planner::LastAction>& action) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(queue);
  if (it == entries_.end()) return;
  Entry& entry = it->second;
  for (const planner::QueueSample& sample : samples) Add(entry, sample);
  if (action.has_value()) entry.last_action = action;
  // Keep the entry to its window (plus a cell of slack).
  if (!entry.cells.empty()) {
    const int64_t oldest = entry.cells.back().index - entry.window / kCell - 1;
    auto keep = std::lower_bound(entry.cells.begin(), entry.cells.end(), oldest,
                                 [](const Cell& cell, int64_t i) { return cell.index < i; });
    entry.cells.erase(entry.cells.begin(), keep);
  }
}

}  // namespace horizonscale::server

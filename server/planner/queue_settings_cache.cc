#include "server/planner/queue_settings_cache.h"

#include <algorithm>

namespace horizonscale::server {

QueueSettingsCache::QueueSettingsCache(absl::Duration time_to_live, size_t max_queues)
    : time_to_live_(time_to_live), max_queues_(std::max<size_t>(1, max_queues)) {}

absl::StatusOr<std::shared_ptr<const QueueSettings>> QueueSettingsCache::Get(
    const std::string& queue, absl::Time now, const Loader& load) {
  uint64_t invalidations = 0;
  {
    std::lock_guard lock(mutex_);
    invalidations = invalidations_;
    auto it = entries_.find(queue);
    if (it != entries_.end() && now - it->second.loaded_at < time_to_live_) {
      return it->second.settings;
    }
  }
  absl::StatusOr<std::optional<db::QueueSettings>> stored = load(queue);
  if (!stored.ok()) return stored.status();
  auto settings = std::make_shared<QueueSettings>();
  if (stored->has_value()) {
    absl::StatusOr<QueueSettings> parsed = ParseQueueSettings(**stored);
    if (!parsed.ok()) return parsed.status();
    *settings = *std::move(parsed);
  }
  std::lock_guard lock(mutex_);
  // An invalidation during the load may concern what was loaded: answer
  // with it, but do not keep it.
  if (invalidations_ != invalidations) return settings;
  if (entries_.size() >= max_queues_ && !entries_.contains(queue)) {
    entries_.erase(entries_.begin());
  }
  entries_[queue] = Entry{settings, now};
  return settings;
}

void QueueSettingsCache::Invalidate(const std::string& queue) {
  std::lock_guard lock(mutex_);
  ++invalidations_;
  entries_.erase(queue);
}

void QueueSettingsCache::InvalidateAll() {
  std::lock_guard lock(mutex_);
  ++invalidations_;
  entries_.clear();
}

}  // namespace horizonscale::server

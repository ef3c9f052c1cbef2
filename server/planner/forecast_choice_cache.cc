#include "server/planner/forecast_choice_cache.h"

#include <algorithm>
#include <utility>

namespace horizonscale::server {

ForecastChoiceCache::ForecastChoiceCache(absl::Duration reselect_every, absl::Duration keep_for,
                                         size_t max_queues)
    : reselect_every_(reselect_every),
      keep_for_(std::max(keep_for, reselect_every)),
      max_queues_(std::max<size_t>(1, max_queues)) {}

ForecastChoiceCache::Lookup ForecastChoiceCache::Find(const std::string& queue, absl::Time now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(queue);
  if (it == entries_.end()) return {};
  Entry& entry = it->second;
  const absl::Duration age = now - entry.made_at;
  if (age < absl::ZeroDuration() || age > keep_for_) return {};
  Lookup lookup{entry.choice, false};
  if (age > reselect_every_ && !entry.renewing) {
    entry.renewing = true;
    lookup.renew = true;
  }
  return lookup;
}

void ForecastChoiceCache::Store(const std::string& queue,
                                std::shared_ptr<const forecast::ModelChoice> choice,
                                absl::Time now) {
  std::lock_guard lock(mutex_);
  if (choice == nullptr) {
    entries_.erase(queue);
    return;
  }
  if (entries_.size() >= max_queues_ && !entries_.contains(queue)) {
    entries_.erase(entries_.begin());
  }
  entries_[queue] = Entry{std::move(choice), now, false};
}

void ForecastChoiceCache::Abandon(const std::string& queue) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(queue);
  if (it != entries_.end()) it->second.renewing = false;
}

}  // namespace horizonscale::server

#include "server/planner/forecast_choice_cache.h"

#include <algorithm>
#include <utility>

namespace horizonscale::server {

ForecastChoiceCache::ForecastChoiceCache(absl::Duration reselect_every, size_t max_queues)
    : reselect_every_(reselect_every), max_queues_(std::max<size_t>(1, max_queues)) {}

std::shared_ptr<const forecast::ModelChoice> ForecastChoiceCache::Find(const std::string& queue,
                                                                       absl::Time now) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(queue);
  if (it == entries_.end()) return nullptr;
  const absl::Duration age = now - it->second.made_at;
  if (age < absl::ZeroDuration() || age > reselect_every_) return nullptr;
  return it->second.choice;
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
  entries_[queue] = Entry{std::move(choice), now};
}

}  // namespace horizonscale::server

#include "server/planner/forecast_cache.h"

#include <algorithm>

namespace horizonscale::server {

ForecastCache::ForecastCache(size_t capacity) : capacity_(std::max<size_t>(1, capacity)) {}

std::shared_ptr<const horizonscale::v1::GetForecastsResponse> ForecastCache::Find(
    const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  return it->second.answer;
}

void ForecastCache::Insert(const std::string& key,
                           std::shared_ptr<const horizonscale::v1::GetForecastsResponse> answer) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = entries_.try_emplace(key);
  if (inserted) {
    recency_.push_front(key);
    it->second.recency = recency_.begin();
  } else {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  it->second.answer = std::move(answer);
  while (entries_.size() > capacity_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
}

ForecastCache::Stats ForecastCache::stats() {
  std::lock_guard lock(mutex_);
  return {hits_, misses_, entries_.size()};
}

}  // namespace horizonscale::server

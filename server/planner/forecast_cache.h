// Answers of GetForecasts for stored series, keyed by everything that
// determines them (queue, the series content's hash, model, horizon, step, level,
// seasonal period, window), so a repeated question about an unchanged series
// costs a lookup instead of a model tournament. Least recently used entries
// are dropped beyond the capacity. Hit and miss counts are kept for the logs.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "horizonscale/v1/forecast.pb.h"

namespace horizonscale::server {

class ForecastCache {
 public:
  explicit ForecastCache(size_t capacity = 1000);

  // The answer stored under `key`, or null; counts a hit or a miss.
  std::shared_ptr<const horizonscale::v1::GetForecastsResponse> Find(const std::string& key);

  // Stores `answer` under `key`, replacing what was there.
  void Insert(const std::string& key,
              std::shared_ptr<const horizonscale::v1::GetForecastsResponse> answer);

  struct Stats {
    int64_t hits = 0;
    int64_t misses = 0;
    size_t entries = 0;
  };
  Stats stats();

 private:
  struct Entry {
    std::shared_ptr<const horizonscale::v1::GetForecastsResponse> answer;
    std::list<std::string>::iterator recency;
  };
  const size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::list<std::string> recency_;                  // most recent first; guarded by mutex_
  int64_t hits_ = 0;                                // guarded by mutex_
  int64_t misses_ = 0;                              // guarded by mutex_
};

}  // namespace horizonscale::server

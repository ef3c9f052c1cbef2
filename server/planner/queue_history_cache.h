// Each queue's recent metric history and last scaling action, kept in memory
// so that GeneratePlan needs no database read in the steady state.
//
// History is held in one-minute cells (mean arrival rate and service time,
// largest worker count). An entry is loaded from the database on first use
// and reloaded when it is older than the time-to-live, which bounds how stale
// a replica's view can be of what other replicas wrote; what this replica
// writes is recorded at once. At most `max_queues` queues are held; the least
// recently used are dropped first.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include "db/plan_repository.h"

namespace horizonscale::server {

class QueueHistoryCache {
 public:
  // Width of a history cell.
  static constexpr absl::Duration kCell = absl::Minutes(1);
  // Loads a queue's history (cells of kCell) within a window.
  using Loader = std::function<absl::StatusOr<db::QueueHistory>(
      const std::string& queue, absl::Time now, absl::Duration window)>;

  // With an infinite `time_to_live` entries are never reloaded: the cache is
  // then the only store (memory-only serving), whatever window is asked.
  explicit QueueHistoryCache(absl::Duration time_to_live = absl::Minutes(1),
                             size_t max_queues = 10'000);

  // The history of `queue` within (now − window, now] plus its last action,
  // from memory or, when absent, too old or not covering `window`, from
  // `load` (whose failure is returned).
  absl::StatusOr<db::QueueHistory> Get(const std::string& queue, absl::Time now,
                                       absl::Duration window, const Loader& load);

  // Adds `samples` (any order) and, when set, the new last action to the
  // queue's entry, if it is held.
  void Record(const std::string& queue, const std::vector<planner::QueueSample>& samples,
              const std::optional<planner::LastAction>& action);

  // Drops the queue's entry: the next Get loads it (another replica changed
  // its last action, or it was reset).
  void Invalidate(const std::string& queue);

  // Drops every entry.
  void InvalidateAll();

 private:
  struct Cell {
    int64_t index = 0;  // floor(unix time / kCell)
    double rate_sum = 0;
    double service_sum = 0;
    int count = 0;
    int workers = 0;
  };
  struct Entry {
    std::vector<Cell> cells;  // ascending index
    std::optional<planner::LastAction> last_action;
    absl::Time loaded_at;
    absl::Duration window;  // how far back the load reached
    std::list<std::string>::iterator recency;
  };

  static void Add(Entry& entry, const planner::QueueSample& sample);
  void Touch(Entry& entry);  // requires mutex_

  const absl::Duration time_to_live_;
  const size_t max_queues_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  std::list<std::string> recency_;                  // most recent first, guarded by mutex_
  uint64_t invalidations_ = 0;                      // guarded by mutex_
};

}  // namespace horizonscale::server

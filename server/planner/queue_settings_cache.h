// Each queue's stored settings (SLO and planner config defaults), kept in
// memory so that GeneratePlan reads no database in the steady state.
//
// An entry is loaded on first use (a queue with nothing stored is held as
// empty settings, so unknown queues cost one read, not one per plan),
// reloaded when older than the time-to-live, and dropped by Invalidate when
// a replica announces a change (db/queue_change_listener.h, wired in
// server/main.cc). At most
// `max_queues` entries are held; past that an arbitrary one is dropped.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include "db/queue_repository.h"
#include "server/planner/queue_settings.h"

namespace horizonscale::server {

class QueueSettingsCache {
 public:
  // Reads a queue's stored settings; nullopt when the queue does not exist.
  using Loader =
      std::function<absl::StatusOr<std::optional<db::QueueSettings>>(const std::string& queue)>;

  explicit QueueSettingsCache(absl::Duration time_to_live = absl::Minutes(1),
                              size_t max_queues = 10'000);

  // The settings of `queue` from memory, or from `load` when absent or
  // stale (its failure is returned, and INTERNAL for stored settings that do
  // not parse).
  absl::StatusOr<std::shared_ptr<const QueueSettings>> Get(const std::string& queue, absl::Time now,
                                                           const Loader& load);

  // Drops the queue's entry; the next Get loads it.
  void Invalidate(const std::string& queue);

  // Drops every entry.
  void InvalidateAll();

 private:
  struct Entry {
    std::shared_ptr<const QueueSettings> settings;
    absl::Time loaded_at;
  };

  const absl::Duration time_to_live_;
  const size_t max_queues_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
  uint64_t invalidations_ = 0;                      // guarded by mutex_
};

}  // namespace horizonscale::server

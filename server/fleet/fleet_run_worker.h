// Scores tournament runs: background threads that look for running runs in
// PostgreSQL and claim their shards (db/fleet_run_repository.h), so any
// number of workers — the threads of every server replica, and
// horizonscale-fleet-worker processes (e.g. Kubernetes Job pods) — share one
// run, each series scored exactly once. A run belongs to the database, not to
// a worker or a client: a worker that stops mid-shard loses only that shard's
// uncommitted work, which another worker redoes.
//
// Thread safety: Start, Stop and Wake may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/pqxx>

namespace horizonscale::server {

struct FleetRunWorkerOptions {
  // libpq connection string or URL; each thread opens its own connection.
  std::string database_url;
  // Name recorded on the shards this worker does (e.g. "host:pid").
  std::string name;
  // Worker threads, >= 1. Each scores one shard at a time.
  int threads = 2;
  // How often idle threads look for work (Wake shortens the wait).
  absl::Duration poll_interval = absl::Seconds(1);
  // Whether the database is ready (reachable, migrated); threads only look
  // for work when it is. Unset: always.
  std::function<bool()> database_ready;
};

class FleetRunWorker {
 public:
  explicit FleetRunWorker(FleetRunWorkerOptions options);
  FleetRunWorker(const FleetRunWorker&) = delete;
  FleetRunWorker& operator=(const FleetRunWorker&) = delete;
  // Stops the threads (see Stop).
  ~FleetRunWorker();

  // Starts the threads. Call once.
  void Start();
  // Asks the threads to stop and joins them. A shard being scored is
  // abandoned (its transaction rolled back; another worker redoes it).
  void Stop();
  // Makes idle threads look for work now (e.g. a run was just created).
  void Wake();

  // Scores claimable shards on `connection` until none is left in any running
  // run, in the calling thread; returns how many shards it scored. For
  // standalone workers and tests. Stops early (returning what it did) when
  // `stop` becomes true.
  static absl::StatusOr<int> ScoreAvailableShards(pqxx::connection& connection,
                                                  const std::string& worker_name,
                                                  const std::atomic<bool>& stop);

 private:
  void Loop();

  const FleetRunWorkerOptions options_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  uint64_t wake_generation_ = 0;
};

}  // namespace horizonscale::server

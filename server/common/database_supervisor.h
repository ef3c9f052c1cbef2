// Keeps the server's database usable: connects, applies the embedded
// migrations, then checks reachability periodically, reporting every change
// of readiness through a callback (which drives the health status).
//
// While the database is unreachable the server keeps running and reports
// NOT_SERVING; connection attempts are retried with backoff (0.5 s doubling to
// the check interval) and each failure is logged.
//
// Readiness falls at once when a request finds the database gone: the pool
// reports every connection it cannot open and every connection lost in use
// (ReportConnectionFailure), which reports NOT_SERVING on that thread. It
// comes back only through the periodic check, which runs every 0.5 s (or the
// check interval, if shorter) while the database is not ready.
//
// Thread safety: Start and Stop from one thread; pool() and
// ReportConnectionFailure from any thread. The readiness callback runs on the
// supervising thread or a reporting thread, one call at a time. Users of the
// pool must release it before the supervisor is destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <absl/status/status.h>

#include "db/connection_pool.h"

namespace horizonscale::server {

class DatabaseSupervisor {
 public:
  // Called with true when the database becomes usable (connected and
  // migrated) and with false when it stops being usable.
  using ReadinessCallback = std::function<void(bool ready)>;

  // `on_open` is run on every new pooled connection (prepared statements).
  DatabaseSupervisor(std::string url, int pool_size, std::chrono::milliseconds check_interval,
                     db::ConnectionPool::OnOpen on_open, ReadinessCallback on_readiness);
  DatabaseSupervisor(const DatabaseSupervisor&) = delete;
  DatabaseSupervisor& operator=(const DatabaseSupervisor&) = delete;
  ~DatabaseSupervisor();  // Stop()s

  // Starts the supervising thread; the first attempt happens at once.
  void Start();

  // Stops the thread (returns within about one database timeout).
  void Stop();

  // The pool once the first connection and migrations succeeded; null before.
  std::shared_ptr<db::ConnectionPool> pool() const;

  // Records that the database was found unreachable (`error` says how):
  // when ready, logs it and reports not ready at once; readiness returns
  // with the next successful periodic check.
  void ReportConnectionFailure(const absl::Status& error);

 private:
  void Run();
  bool Connect();  // true when connected and migrated
  // Reports `ready` if it changes readiness; a `ready` true is dropped when a
  // failure was reported since `failures_seen` (a check older than it).
  // Returns whether readiness changed.
  bool SetReady(bool ready, uint64_t failures_seen);
  bool SleepFor(std::chrono::milliseconds duration);  // false when stopping

  const std::string url_;
  const int pool_size_;
  const std::chrono::milliseconds check_interval_;
  const db::ConnectionPool::OnOpen on_open_;
  const ReadinessCallback on_readiness_;

  mutable std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;                     // guarded by mutex_
  std::shared_ptr<db::ConnectionPool> pool_;  // guarded by mutex_
  std::mutex readiness_mutex_;
  bool ready_ = false;     // guarded by readiness_mutex_
  bool reported_ = false;  // guarded by readiness_mutex_
  uint64_t failures_ = 0;  // reported failures, guarded by readiness_mutex_
  std::thread thread_;
};

}  // namespace horizonscale::server

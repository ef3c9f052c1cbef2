// Keeps the server's database usable: connects, applies the embedded
// migrations, then checks reachability periodically, reporting every change
// of readiness through a callback (which drives the health status).
//
// While the database is unreachable the server keeps running and reports
// NOT_SERVING; connection attempts are retried with backoff (0.5 s doubling to
// the check interval) and each failure is logged.
//
// Thread safety: Start and Stop from one thread; pool() from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

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

 private:
  void Run();
  bool Connect();  // true when connected and migrated
  void SetReady(bool ready);
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
  bool ready_ = false;                        // supervising thread only
  bool reported_ = false;                     // supervising thread only
  std::thread thread_;
};

}  // namespace horizonscale::server

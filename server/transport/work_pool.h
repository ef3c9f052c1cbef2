// A fixed set of threads running the server's blocking work (unary handlers
// that compute or wait on the database, the commit of an ingest stream, the
// progress polls of a tournament stream), so that gRPC's callback threads
// never block and no kind of call can take the threads another kind needs.
//
// At most threads() tasks run at once and at most max_queued() wait; a task
// beyond both is refused, not queued, so an overloaded server answers at
// once instead of piling up work whose callers have given up.
//
// Thread safety: all methods may be called concurrently (TrySubmit also from
// inside a task).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace horizonscale::server {

class WorkPool {
 public:
  // Starts `threads` (>= 1) threads; at most `max_queued` (>= 0) tasks wait.
  WorkPool(int threads, int max_queued);
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;
  // Stop()s.
  ~WorkPool();

  // Queues `task` to run on a pool thread and returns true, or returns false
  // (and drops `task`) when every thread is busy and max_queued() tasks
  // already wait, or the pool was stopped.
  bool TrySubmit(std::function<void()> task);

  // Runs the tasks already queued, then joins the threads. Idempotent; not
  // to be called from a task.
  void Stop();

  int threads() const { return static_cast<int>(threads_.size()); }
  int max_queued() const { return max_queued_; }

 private:
  void Loop();

  const int max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  int running_ = 0;                          // tasks running, guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace horizonscale::server

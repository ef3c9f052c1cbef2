// One thread that runs short callbacks at given times: the idle timeouts of
// client streams and the pauses between a tournament stream's progress
// polls. Callbacks must be quick (finish a call, queue work on a WorkPool,
// schedule again); they may call Schedule.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include <absl/time/time.h>

namespace horizonscale::server {

class TimerQueue {
 public:
  // Starts the thread.
  TimerQueue();
  TimerQueue(const TimerQueue&) = delete;
  TimerQueue& operator=(const TimerQueue&) = delete;
  // Stop()s.
  ~TimerQueue();

  // Runs `callback` on the queue's thread at `when` (at once when it has
  // passed; callbacks due at the same time run in the order scheduled).
  // Ignored after Stop().
  void Schedule(absl::Time when, std::function<void()> callback);

  // Drops the callbacks not yet due and joins the thread. Idempotent; not to
  // be called from a callback.
  void Stop();

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<absl::Time, std::function<void()>> due_;  // guarded by mutex_
  bool stopping_ = false;                                 // guarded by mutex_
  std::thread thread_;
};

}  // namespace horizonscale::server

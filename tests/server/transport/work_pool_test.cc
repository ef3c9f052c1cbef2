// WorkPool (server/transport/work_pool.h): tasks run on its threads, at most
// threads() + max_queued() are accepted at once, Stop() runs what was queued.
#include "server/transport/work_pool.h"

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

// Tasks that block until released, counting how many started.
class Gate {
 public:
  std::function<void()> Task() {
    return [this] {
      std::unique_lock lock(mutex_);
      ++started_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return open_; });
    };
  }
  void WaitStarted(int count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= count; });
  }
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int started_ = 0;
  bool open_ = false;
};

TEST(WorkPool, RefusesTasksBeyondItsThreadsAndQueue) {
  Gate gate;
  WorkPool pool(/*threads=*/2, /*max_queued=*/3);
  ASSERT_TRUE(pool.TrySubmit(gate.Task()));
  ASSERT_TRUE(pool.TrySubmit(gate.Task()));
  gate.WaitStarted(2);  // both threads busy now
  std::atomic<int> ran{0};
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(pool.TrySubmit([&ran] { ++ran; })) << i;
  EXPECT_FALSE(pool.TrySubmit([&ran] { ++ran; }));  // 2 running + 3 waiting
  gate.Open();
  pool.Stop();  // runs the queued tasks first
  EXPECT_EQ(ran.load(), 3);
  EXPECT_FALSE(pool.TrySubmit([] {}));  // stopped
}

TEST(WorkPool, WithoutAQueueOnlyIdleThreadsTakeTasks) {
  Gate gate;
  WorkPool pool(/*threads=*/1, /*max_queued=*/0);
  ASSERT_TRUE(pool.TrySubmit(gate.Task()));
  gate.WaitStarted(1);
  EXPECT_FALSE(pool.TrySubmit([] {}));
  gate.Open();
}

}  // namespace
}  // namespace horizonscale::server

// TimerQueue (server/transport/timer_queue.h): callbacks run in the order of their
// times (not of scheduling), may schedule more, and are dropped by Stop().
#include "server/transport/timer_queue.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include <absl/time/clock.h>
#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

TEST(TimerQueue, RunsCallbacksInTheOrderOfTheirTimes) {
  std::mutex mutex;
  std::condition_variable done;
  std::vector<int> order;
  auto record = [&](int value) {
    std::lock_guard lock(mutex);
    order.push_back(value);
    done.notify_all();
  };
  TimerQueue timers;
  const absl::Time now = absl::Now();
  // Scheduled latest first; 2 is scheduled by 1's callback for before 3.
  timers.Schedule(now + absl::Seconds(1), [&] { record(3); });
  timers.Schedule(now, [&] {
    record(1);
    timers.Schedule(now + absl::Milliseconds(500), [&] { record(2); });
  });
  std::unique_lock lock(mutex);
  done.wait(lock, [&] { return order.size() == 3; });
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
}

TEST(TimerQueue, StopDropsCallbacksNotYetDue) {
  bool ran = false;
  TimerQueue timers;
  timers.Schedule(absl::Now() + absl::Hours(1), [&ran] { ran = true; });
  timers.Stop();
  timers.Schedule(absl::Now(), [&ran] { ran = true; });  // ignored after Stop
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace horizonscale::server

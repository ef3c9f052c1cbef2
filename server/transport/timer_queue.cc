#include "server/transport/timer_queue.h"

#include <absl/time/clock.h>

namespace horizonscale::server {

TimerQueue::TimerQueue() : thread_([this] { Loop(); }) {}

TimerQueue::~TimerQueue() { Stop(); }

void TimerQueue::Schedule(absl::Time when, std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    due_.emplace(when, std::move(callback));
  }
  changed_.notify_one();
}

void TimerQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  changed_.notify_one();
  thread_.join();
  due_.clear();
}

void TimerQueue::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (due_.empty()) {
      changed_.wait(lock);
      continue;
    }
    const absl::Time next = due_.begin()->first;
    const absl::Time now = absl::Now();
    if (next > now) {
      changed_.wait_for(lock, absl::ToChronoNanoseconds(next - now));
      continue;
    }
    std::function<void()> callback = std::move(due_.begin()->second);
    due_.erase(due_.begin());
    lock.unlock();
    callback();
    callback = nullptr;
    lock.lock();
  }
}

}  // namespace horizonscale::server

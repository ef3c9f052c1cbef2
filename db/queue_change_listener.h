// Listens for queue changes announced by any replica (db/queue_repository.h:
// kQueueChangedChannel) on a connection of its own, so a server can drop
// what it holds in memory about a queue before its next plan of it.
//
// Delivery is PostgreSQL's: a notification reaches every listener shortly
// after the announcing transaction commits (the replica tests allow it
// 50 ms; it is not otherwise measured). While the listening connection is down,
// announcements are missed; so `on_all_changed` is called whenever listening
// (re)starts, and the caller treats every queue as changed.
//
// Thread safety: Start and Stop from one thread. The callbacks run on the
// listener's own thread, one at a time.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include <absl/time/time.h>

namespace horizonscale::db {

class QueueChangeListener {
 public:
  // Called with the name of a queue that changed.
  using OnChanged = std::function<void(const std::string& queue)>;
  // Called when listening starts or resumes: changes may have been missed.
  using OnAllChanged = std::function<void()>;

  QueueChangeListener(std::string url, OnChanged on_changed, OnAllChanged on_all_changed);
  QueueChangeListener(const QueueChangeListener&) = delete;
  QueueChangeListener& operator=(const QueueChangeListener&) = delete;
  ~QueueChangeListener();  // Stop()s

  // Starts listening on a thread; a failed or lost connection is retried
  // every `retry`, silently (the next successful start calls
  // `on_all_changed`).
  void Start(absl::Duration retry = absl::Seconds(1));

  // Stops the thread (returns within about one second).
  void Stop();

 private:
  void Run(absl::Duration retry);

  const std::string url_;
  const OnChanged on_changed_;
  const OnAllChanged on_all_changed_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace horizonscale::db

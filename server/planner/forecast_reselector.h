// Renews queues' automatic forecast-model selections off the request path:
// one worker thread runs planner::SelectForecastModel on each submitted plan
// request and stores the selection in a ForecastChoiceCache, while the
// queue's plans go on reusing the previous one. At most `max_pending`
// renewals wait; a submission past that is abandoned (the queue's next plan
// asks again).
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "planner/plan.h"
#include "server/planner/forecast_choice_cache.h"

namespace horizonscale::server {

class ForecastReselector {
 public:
  // `choices` must outlive the reselector.
  explicit ForecastReselector(ForecastChoiceCache& choices, size_t max_pending = 64);
  // Stop().
  ~ForecastReselector();

  // Renews `queue`'s selection for `request` (its metrics and config; the
  // new selection is dated request.current.time). The worker thread starts
  // on the first call. After Stop the renewal is abandoned.
  void Submit(std::string queue, planner::PlanRequest request);

  // Cancels the renewal under way, abandons the waiting ones and joins the
  // worker. Idempotent.
  void Stop();

  // Renewals stored so far (for tests and logs).
  int64_t renewed() const { return renewed_.load(); }

 private:
  void Run();

  ForecastChoiceCache& choices_;
  const size_t max_pending_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::string, planner::PlanRequest>> pending_;  // guarded by mutex_
  bool stopping_ = false;                                             // guarded by mutex_
  std::atomic<bool> cancel_{false};
  std::atomic<int64_t> renewed_{0};
  std::thread worker_;  // started by the first Submit, under mutex_
};

}  // namespace horizonscale::server

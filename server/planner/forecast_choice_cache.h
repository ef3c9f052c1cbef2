// Each queue's automatic forecast-model selection (forecast::ModelChoice),
// kept between plans so that a queue planned every few seconds (the KEDA
// scaler's polling) runs the model tournament once per `reselect_every` of
// its metrics' time and otherwise refits the chosen model only
// (planner::PlanRequest::forecast_choice). At most `max_queues` entries are
// held; past that an arbitrary one is dropped.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <absl/time/time.h>

#include "forecast/engine.h"

namespace horizonscale::server {

class ForecastChoiceCache {
 public:
  explicit ForecastChoiceCache(absl::Duration reselect_every = absl::Hours(1),
                               size_t max_queues = 10'000);

  // The queue's choice when it was made in [now − reselect_every, now];
  // null otherwise (none, too old, or made after `now`: metrics from the
  // past are planned with a selection of their own).
  std::shared_ptr<const forecast::ModelChoice> Find(const std::string& queue, absl::Time now);

  // Records `choice`, made at `now` for `queue`, replacing the queue's; a
  // null choice drops it.
  void Store(const std::string& queue, std::shared_ptr<const forecast::ModelChoice> choice,
             absl::Time now);

 private:
  struct Entry {
    std::shared_ptr<const forecast::ModelChoice> choice;
    absl::Time made_at;
  };

  const absl::Duration reselect_every_;
  const size_t max_queues_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
};

}  // namespace horizonscale::server

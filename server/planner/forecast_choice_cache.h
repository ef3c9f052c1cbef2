// Each queue's automatic forecast-model selection (forecast::ModelChoice),
// kept between plans so that a queue planned every few seconds (the KEDA
// scaler's polling) does not run the model tournament on each plan: its
// plans refit the selected model (planner::PlanRequest::forecast_choice).
// A selection is renewed once it is `reselect_every` old by the queue's
// metrics' time, in the background (ForecastReselector) while plans go on
// reusing it, and is not used any more once `keep_for` old. At most
// `max_queues` entries are held; past that an arbitrary one is dropped.
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
                               absl::Duration keep_for = absl::Hours(24),
                               size_t max_queues = 10'000);

  struct Lookup {
    // Made in [now − keep_for, now]; null otherwise (none, too old, or made
    // after `now`: metrics from the past are planned with a selection of
    // their own).
    std::shared_ptr<const forecast::ModelChoice> choice;
    // The choice is older than reselect_every and no renewal is under way:
    // the caller is to renew it, and then call Store or Abandon.
    bool renew = false;
  };
  Lookup Find(const std::string& queue, absl::Time now);

  // Records `choice`, made at `now` for `queue`, replacing the queue's and
  // ending its renewal; a null choice drops the entry.
  void Store(const std::string& queue, std::shared_ptr<const forecast::ModelChoice> choice,
             absl::Time now);

  // Ends the queue's renewal without a new choice (a later Find asks again).
  void Abandon(const std::string& queue);

 private:
  struct Entry {
    std::shared_ptr<const forecast::ModelChoice> choice;
    absl::Time made_at;
    bool renewing = false;
  };

  const absl::Duration reselect_every_;
  const absl::Duration keep_for_;
  const size_t max_queues_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mutex_
};

}  // namespace horizonscale::server

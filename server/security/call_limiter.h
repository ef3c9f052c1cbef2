// Per-identity limits: a token bucket per identity and method class (calls
// per second, bursts of one second's worth), and a count of compute calls in
// flight per identity. One identity's traffic never takes another's tokens
// or slots.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/security/method_policy.h"

namespace horizonscale::server {

class CallLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  // Takes one call of `identity` in `method_class` from its bucket, which
  // holds up to max(1, `per_second`) calls and refills at `per_second`.
  // Returns zero when the call may go, otherwise how long until the bucket
  // holds one call again (a minute when `per_second` is 0: the class is
  // closed to the identity's role). Thread-safe.
  std::chrono::milliseconds TakeRate(std::string_view identity, MethodClass method_class,
                                     double per_second, Clock::time_point now = Clock::now());

  // Counts a compute call of `identity` in when fewer than `limit` are in
  // flight and returns true; false otherwise. Thread-safe.
  bool EnterCompute(std::string_view identity, int limit);
  // Counts one compute call of `identity` out (after EnterCompute returned
  // true).
  void LeaveCompute(std::string_view identity);

  // Compute calls of `identity` in flight now.
  int ComputeInFlight(std::string_view identity);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated{};
    bool started = false;
  };

  std::mutex mutex_;  // guards the maps; their keys are the access file's identities
  std::unordered_map<std::string, Bucket> buckets_;
  std::unordered_map<std::string, int> in_flight_;
};

}  // namespace horizonscale::server

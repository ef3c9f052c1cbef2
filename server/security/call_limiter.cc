#include "server/security/call_limiter.h"

#include <algorithm>
#include <cmath>

namespace horizonscale::server {

std::chrono::milliseconds CallLimiter::TakeRate(std::string_view identity, MethodClass method_class,
                                                double per_second, Clock::time_point now) {
  if (per_second <= 0) return std::chrono::minutes(1);
  const double capacity = std::max(1.0, per_second);
  std::string key(identity);
  key.push_back('\0');
  key.append(ClassName(method_class));
  std::lock_guard lock(mutex_);
  Bucket& bucket = buckets_[key];
  if (!bucket.started) {
    bucket = {.tokens = capacity, .updated = now, .started = true};
  } else if (now > bucket.updated) {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min(capacity, bucket.tokens + elapsed * per_second);
    bucket.updated = now;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return std::chrono::milliseconds(0);
  }
  const double wait_seconds = (1 - bucket.tokens) / per_second;
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(wait_seconds * 1000)));
}

bool CallLimiter::EnterCompute(std::string_view identity, int limit) {
  std::lock_guard lock(mutex_);
  int& count = in_flight_[std::string(identity)];
  if (count >= limit) return false;
  ++count;
  return true;
}

void CallLimiter::LeaveCompute(std::string_view identity) {
  std::lock_guard lock(mutex_);
  auto found = in_flight_.find(std::string(identity));
  if (found != in_flight_.end() && found->second > 0) --found->second;
}

int CallLimiter::ComputeInFlight(std::string_view identity) {
  std::lock_guard lock(mutex_);
  auto found = in_flight_.find(std::string(identity));
  return found != in_flight_.end() ? found->second : 0;
}

}  // namespace horizonscale::server

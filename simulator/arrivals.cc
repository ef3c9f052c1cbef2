// Thinning over rate segments (see internal/arrivals.h).
#include "simulator/internal/arrivals.h"

#include <algorithm>

namespace horizonscale::simulator::internal {

ArrivalProcess::ArrivalProcess(const Scenario& scenario, const WindowGrid& grid, uint64_t seed)
    : segments_(scenario, grid),
      rng_(seed, Stream::kArrivals),
      noise_rng_(seed, Stream::kNoise),
      noise_(scenario.traffic.noise) {
  // An empty segment at 0: the first call of Next() moves to the first one.
  segment_.start = segment_.end = 0;
}

void ArrivalProcess::UpdateNoise(int64_t window) {
  while (noise_window_ < window) {
    ++noise_window_;
    if (noise_ > 0) noise_factor_ = std::max(0.0, 1 + noise_ * normal_.Next(noise_rng_));
  }
}

bool ArrivalProcess::NextSegment() {
  while (segments_.Next(segment_)) {
    UpdateNoise(segment_.window);
    bound_ = noise_factor_ * segment_.Bound();
    if (bound_ > 0) {
      t_ = segment_.start;
      inverse_bound_ = 1 / bound_;
      constant_ = segment_.Constant();
      return true;
    }
  }
  t_ = kNever;
  return false;
}

}  // namespace horizonscale::simulator::internal

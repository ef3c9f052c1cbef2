// Arrival times of a scenario: a non-homogeneous Poisson process generated
// exactly by Lewis–Shedler thinning against a piecewise-constant upper bound
// (one bound per rate segment, see rate_segments.h): candidates come from a
// homogeneous process at the segment's bound and are kept with probability
// rate(t) / bound. On a segment where the rate is constant the bound is the
// rate and every candidate is kept without drawing. Internal to hs_simulator.
//
// Noise: for each timeline window k (in order) one standard normal Z_k is
// drawn from the noise stream, and the rate in that window is multiplied by
// max(0, 1 + noise · Z_k). The floor at 0 lifts the factor's mean slightly
// above 1: Φ(1/noise) + noise·φ(1/noise), i.e. 1.00003 at noise 0.3, 1.004
// at 0.5, 1.083 at 1. No draws when noise is 0.
//
// Streams: candidates and thinning use the arrival stream, noise the noise
// stream; nothing else does, so the arrivals depend on the scenario and the
// seed only (not on the plan or the service times).
#pragma once

#include <cstdint>
#include <limits>

#include "simulator/internal/random.h"
#include "simulator/internal/rate_segments.h"
#include "simulator/internal/window_grid.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

class ArrivalProcess {
 public:
  // Arrivals of a valid `scenario` whose windows are `grid`.
  ArrivalProcess(const Scenario& scenario, const WindowGrid& grid, uint64_t seed);

  // The next arrival time (seconds since the start, increasing, below the
  // duration), or kNever when the run has no more arrivals.
  double Next() {
    for (;;) {
      t_ += rng_.Exponential() * inverse_bound_;
      if (t_ < segment_.end) {
        if (constant_ || rng_.Uniform() * bound_ < noise_factor_ * segment_.RateAt(t_)) return t_;
      } else if (!NextSegment()) {
        return kNever;
      }
    }
  }

 private:
  // Moves to the next segment with a positive rate bound; false at the end.
  bool NextSegment();
  // Draws the noise factors up to the segment's window.
  void UpdateNoise(int64_t window);

  RateSegments segments_;
  RateSegment segment_;
  Rng rng_;
  Rng noise_rng_;
  NormalSampler normal_;
  double noise_;
  int64_t noise_window_ = -1;  // window of noise_factor_
  double noise_factor_ = 1;
  double t_ = 0;
  double bound_ = 0;
  double inverse_bound_ = 0;
  bool constant_ = true;
};

}  // namespace horizonscale::simulator::internal

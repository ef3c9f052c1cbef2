// The arrival rate of a scenario cut into short segments on which it has a
// simple form and a tight upper bound: the basis of exact thinning (arrival
// generation) and of the numerical integral (EstimateEvents). Internal to
// hs_simulator.
//
// Segments never cross a window boundary, a whole UTC hour (daily/weekly
// knots), the zero of a falling linear rate, or a spike's start, end or a
// multiple of duration/32 from its start (so each piece of a spike's shape is
// monotone); they are at most 60 s long, and for a sinusoid at most period/32
// (but not below 1 s). On a segment every spike is active throughout or not
// at all, and the rate (noise excluded) is
//   factor · base(t) · Π over active shaped spikes of (1 + (m − 1)·shape(t))
// with `factor` the product of the active instant spikes and base(t) linear
// (constant, linear, daily, weekly, spiky patterns) or sinusoidal. Each term
// is non-negative and its maximum on the segment is known exactly (an end
// value; for a sinusoid, 1 + amplitude when a crest falls inside), so their
// product bounds the rate.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "simulator/internal/rate_profile.h"
#include "simulator/internal/window_grid.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

struct RateSegment {
  double start = 0;  // seconds since the run's start
  double end = 0;
  int64_t window = 0;  // timeline window holding the segment
  double factor = 1;   // product of the active instant spikes' magnitudes
  bool sinusoidal = false;
  double alpha = 0, beta = 0;  // linear base: alpha + beta·t
  // Sinusoidal base: base (1 + amplitude sin(2π t / period)).
  double base = 0, amplitude = 0, period = 1, omega = 0;
  std::span<const ShapedSpike> spikes;  // active shaped spikes (valid until the next segment)

  // base(t) (jobs/s, >= 0).
  double BaseAt(double t) const {
    const double value =
        sinusoidal ? base * (1 + amplitude * std::sin(omega * t)) : alpha + beta * t;
    return value > 0 ? value : 0;
  }

  // The rate at t in [start, end), noise excluded.
  double RateAt(double t) const {
    double rate = factor * BaseAt(t);
    for (const ShapedSpike& spike : spikes) rate *= spike.Multiplier(t);
    return rate;
  }

  // An upper bound of RateAt on [start, end) (the product of each term's
  // maximum on the segment).
  double Bound() const;

  // Whether the rate is the same at every instant of the segment.
  bool Constant() const { return !sinusoidal && beta == 0 && spikes.empty(); }

 private:
  // The maximum of BaseAt on [start, end].
  double BaseBound() const;
};

// Iterates over the segments of a valid scenario, in time order, covering
// [0, duration) exactly.
class RateSegments {
 public:
  RateSegments(const Scenario& scenario, const WindowGrid& grid);

  // Fills `segment` with the next segment; false after the last one.
  bool Next(RateSegment& segment);

 private:
  // Adds the spikes starting by `t` and drops those ended by `t`.
  void UpdateActiveSpikes(double t);
  // The end of the segment starting at `t` in window `window_`.
  double SegmentEnd(double t) const;
  // Fills the base-rate terms of `segment` (its start and end already set).
  void FillBase(RateSegment& segment) const;

  TrafficPattern pattern_;
  WindowGrid grid_;
  HourlyCycle cycle_;
  std::vector<ShapedSpike> spikes_;  // sorted by start
  size_t next_spike_ = 0;            // first spike not yet started
  std::vector<ShapedSpike> active_;  // started, not ended
  std::vector<ShapedSpike> shaped_;  // the active non-instant ones (exposed)
  double linear_zero_ = -1;          // where a falling linear rate reaches 0
  double t_ = 0;                     // start of the next segment
  int64_t window_ = 0;
};

}  // namespace horizonscale::simulator::internal

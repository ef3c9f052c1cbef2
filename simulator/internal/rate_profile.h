// The pieces the arrival rate is made of: the daily and weekly profiles and
// the spike shapes. Internal to hs_simulator; the rules are documented here.
//
// Daily profile d(h) in [−1, 1], h the UTC hour of day: the table
// kDailyProfile gives d at each whole hour (low −1 at 04:00, peak +1 at
// 15:00) and d is linear between consecutive hours (23:00 → 00:00 wraps).
// daily(t) = base · (1 + amplitude · d). The knots sum to 0, so d averages 0
// over a day and base_rate is the daily mean rate.
//
// Weekly: weekly(t) = base · w(day) · (1 + amplitude · d(h)) at each whole
// hour of the UTC week, linear between consecutive hours, with w = 1 Monday
// to Friday and w = kWeekendFactor (0.6) on Saturday and Sunday. So the
// weekend ramps down during Friday 23:00-24:00 and back up during Sunday
// 23:00-24:00.
//
// Spikes: a spike of magnitude m over [s, s + D) multiplies the rate by
// 1 + (m − 1)·shape(t), and by 1 outside [s, s + D) (the part after the
// run's end is ignored). Several spikes multiply. Shapes, x = t − s:
//   instant: 1 (a step up for the whole duration)
//   linear:  1 − |2x/D − 1| (0 at the start, 1 at mid-duration, 0 at the end)
//   exp:     e^{−x/τ}, τ = D/5 (jumps to the full magnitude, then decays to
//            e^{−5} ≈ 0.7 % of the excess at the end)
//   bell:    e^{−(x − D/2)²/(2σ²)}, σ = D/6 (Gaussian centred at mid-duration,
//            truncated at ±3σ where it is e^{−4.5} ≈ 1.1 %)
#pragma once

#include <array>
#include <cstdint>

#include <absl/time/time.h>

#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

inline constexpr std::array<double, 24> kDailyProfile = {
    -0.60, -0.75, -0.85, -0.95, -1.00, -0.90,  // 00:00 - 05:00
    -0.70, -0.40, -0.10, 0.20,  0.40,  0.55,   // 06:00 - 11:00
    0.60,  0.70,  0.85,  1.00,  0.95,  0.70,   // 12:00 - 17:00
    0.50,  0.30,  0.10,  0.00,  -0.20, -0.40,  // 18:00 - 23:00
};
inline constexpr double kWeekendFactor = 0.6;
inline constexpr double kExpTimeConstantFraction = 1.0 / 5.0;  // τ = D/5
inline constexpr double kBellSigmaFraction = 1.0 / 6.0;        // σ = D/6

// The daily or weekly cycle as a function of seconds since the start:
// piecewise linear between knots at every whole UTC hour.
class HourlyCycle {
 public:
  // The cycle of a daily or weekly `pattern` starting at `start`.
  HourlyCycle(const TrafficPattern& pattern, absl::Time start);

  // Seconds into the cycle (since 00:00 UTC, or Monday 00:00 UTC) at t = 0.
  double phase() const { return phase_; }

  // Rate (jobs/s) at hourly knot `hour` of the cycle (any integer; taken
  // modulo the cycle's length in hours).
  double Knot(int64_t hour) const;

 private:
  std::array<double, 24 * 7> knots_{};
  int64_t hours_ = 24;
  double phase_ = 0;
};

// A spike in seconds since the start, with its shape's constants.
struct ShapedSpike {
  double start = 0;
  double end = 0;
  double duration = 0;
  double excess = 0;  // magnitude − 1
  SpikeShape shape = SpikeShape::kInstant;

  static ShapedSpike Of(const Spike& spike);

  // shape(t) in [0, 1] for t in [start, end) (see the file comment).
  double Shape(double t) const;

  // The rate multiplier 1 + excess · shape(t), for t in [start, end).
  double Multiplier(double t) const { return 1 + excess * Shape(t); }
};

}  // namespace horizonscale::simulator::internal

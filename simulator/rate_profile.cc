// Daily/weekly cycles and spike shapes (rules in internal/rate_profile.h).
#include "simulator/internal/rate_profile.h"

#include <cmath>

namespace horizonscale::simulator::internal {
namespace {

constexpr int64_t kSecondsPerDay = 86'400;
// 1970-01-01 was a Thursday: Monday 1970-01-05 00:00 UTC is 4 days later.
constexpr int64_t kFirstMondayUnixSeconds = 4 * kSecondsPerDay;

// Seconds of `start` since the latest cycle boundary (cycle `length`
// seconds, aligned at Unix time `origin`), including the sub-second part.
double CyclePhase(absl::Time start, int64_t origin, int64_t length) {
  const int64_t seconds = absl::ToUnixSeconds(start);  // rounds down
  const double fraction = absl::ToDoubleSeconds(start - absl::FromUnixSeconds(seconds));
  int64_t into = (seconds - origin) % length;
  if (into < 0) into += length;
  return static_cast<double>(into) + fraction;
}

}  // namespace

HourlyCycle::HourlyCycle(const TrafficPattern& pattern, absl::Time start) {
  const bool weekly = pattern.kind == PatternKind::kWeekly;
  hours_ = weekly ? 24 * 7 : 24;
  phase_ = weekly ? CyclePhase(start, kFirstMondayUnixSeconds, 7 * kSecondsPerDay)
                  : CyclePhase(start, 0, kSecondsPerDay);
  for (int64_t h = 0; h < hours_; ++h) {
    const bool weekend = weekly && h >= int64_t{24} * 5;  // Saturday and Sunday
    const double day_factor = weekend ? kWeekendFactor : 1.0;
    knots_[h] = pattern.base_rate * day_factor * (1 + pattern.amplitude * kDailyProfile[h % 24]);
  }
}

double HourlyCycle::Knot(int64_t hour) const {
  int64_t h = hour % hours_;
  if (h < 0) h += hours_;
  return knots_[h];
}

ShapedSpike ShapedSpike::Of(const Spike& spike) {
  ShapedSpike shaped;
  shaped.start = absl::ToDoubleSeconds(spike.start);
  shaped.duration = absl::ToDoubleSeconds(spike.duration);
  shaped.end = shaped.start + shaped.duration;
  shaped.excess = spike.magnitude - 1;
  shaped.shape = spike.shape;
  return shaped;
}

double ShapedSpike::Shape(double t) const {
  const double x = t - start;
  switch (shape) {
    case SpikeShape::kInstant:
      return 1;
    case SpikeShape::kLinear:
      return 1 - std::fabs(2 * x / duration - 1);
    case SpikeShape::kExp:
      return std::exp(-x / (kExpTimeConstantFraction * duration));
    case SpikeShape::kBell: {
      const double z = (x - duration / 2) / (kBellSigmaFraction * duration);
      return std::exp(-z * z / 2);
    }
  }
  return 1;
}

}  // namespace horizonscale::simulator::internal

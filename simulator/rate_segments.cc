// Cutting the arrival rate into monotone segments (see internal/rate_segments.h).
#include "simulator/internal/rate_segments.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace horizonscale::simulator::internal {
namespace {

constexpr double kMaxSegmentSeconds = 60;
constexpr double kMinSinusoidPieceSeconds = 1;
constexpr double kPiecesPerCycle = 32;  // sinusoid period and spike duration
constexpr double kHour = 3600;
// Rounding slack of a bound: evaluating the same formula at an interior
// point may exceed both end values by an ulp or so.
constexpr double kBoundSlack = 1 + 1e-12;

// The first point origin + k·step (integer k) strictly after t.
double NextGridPoint(double t, double origin, double step) {
  double point = origin + (std::floor((t - origin) / step) + 1) * step;
  if (point <= t) point += step;
  return point;
}

}  // namespace

double RateSegment::BaseBound() const {
  if (!sinusoidal) return std::max(BaseAt(start), BaseAt(end));
  // A crest (sin = 1) at period/4 + k·period inside [start, end]?
  const double crest = period / 4 + std::ceil((start - period / 4) / period) * period;
  if (crest <= end) return base * (1 + amplitude);
  return std::max(BaseAt(start), BaseAt(end));
}

double RateSegment::Bound() const {
  double bound = factor * BaseBound();
  for (const ShapedSpike& spike : spikes) {
    bound *= std::max(spike.Multiplier(start), spike.Multiplier(end));
  }
  return bound * kBoundSlack;
}

RateSegments::RateSegments(const Scenario& scenario, const WindowGrid& grid)
    : pattern_(scenario.traffic), grid_(grid), cycle_(scenario.traffic, scenario.start) {
  for (const Spike& spike : pattern_.spikes) spikes_.push_back(ShapedSpike::Of(spike));
  std::stable_sort(spikes_.begin(), spikes_.end(),
                   [](const ShapedSpike& a, const ShapedSpike& b) { return a.start < b.start; });
  if (pattern_.kind == PatternKind::kLinear && pattern_.trend_per_hour < 0) {
    linear_zero_ = -pattern_.base_rate * kHour / pattern_.trend_per_hour;
  }
}

void RateSegments::UpdateActiveSpikes(double t) {
  std::erase_if(active_, [t](const ShapedSpike& spike) { return spike.end <= t; });
  while (next_spike_ < spikes_.size() && spikes_[next_spike_].start <= t) {
    if (spikes_[next_spike_].end > t) active_.push_back(spikes_[next_spike_]);
    ++next_spike_;
  }
}

double RateSegments::SegmentEnd(double t) const {
  double end = std::min({grid_.End(window_), grid_.run_end, t + kMaxSegmentSeconds});
  if (next_spike_ < spikes_.size()) end = std::min(end, spikes_[next_spike_].start);
  for (const ShapedSpike& spike : active_) {
    end = std::min(end, spike.end);
    if (spike.shape != SpikeShape::kInstant) {
      end = std::min(end, NextGridPoint(t, spike.start, spike.duration / kPiecesPerCycle));
    }
  }
  switch (pattern_.kind) {
    case PatternKind::kSinusoidal:
      end = std::min(end, t + std::clamp(absl::ToDoubleSeconds(pattern_.period) / kPiecesPerCycle,
                                         kMinSinusoidPieceSeconds, kMaxSegmentSeconds));
      break;
    case PatternKind::kDaily:
    case PatternKind::kWeekly:
      end = std::min(end, NextGridPoint(t, -std::fmod(cycle_.phase(), kHour), kHour));
      break;
    case PatternKind::kLinear:
      if (linear_zero_ > t) end = std::min(end, linear_zero_);
      break;
    case PatternKind::kPiecewise:
      end = std::min(end, NextGridPoint(t, 0, absl::ToDoubleSeconds(pattern_.piecewise_step)));
      break;
    case PatternKind::kConstant:
    case PatternKind::kSpiky:
      break;
  }
  return end;
}

void RateSegments::FillBase(RateSegment& segment) const {
  const double mid = (segment.start + segment.end) / 2;
  segment.sinusoidal = false;
  segment.alpha = pattern_.base_rate;
  segment.beta = 0;
  switch (pattern_.kind) {
    case PatternKind::kConstant:
    case PatternKind::kSpiky:
      break;
    case PatternKind::kSinusoidal:
      segment.sinusoidal = true;
      segment.base = pattern_.base_rate;
      segment.amplitude = pattern_.amplitude;
      segment.period = absl::ToDoubleSeconds(pattern_.period);
      segment.omega = 2 * std::numbers::pi / segment.period;
      break;
    case PatternKind::kLinear:
      if (pattern_.base_rate + pattern_.trend_per_hour * mid / kHour > 0) {
        segment.beta = pattern_.trend_per_hour / kHour;
      } else {
        segment.alpha = 0;
      }
      break;
    case PatternKind::kPiecewise: {
      const double step = absl::ToDoubleSeconds(pattern_.piecewise_step);
      const auto index = static_cast<size_t>(std::max(0.0, std::floor(mid / step)));
      segment.alpha =
          pattern_.piecewise_rates[std::min(index, pattern_.piecewise_rates.size() - 1)];
      break;
    }
    case PatternKind::kDaily:
    case PatternKind::kWeekly: {
      // Interpolate between the knots at the hour holding the segment.
      const double hour = std::floor((cycle_.phase() + mid) / kHour);
      const double knot_time = hour * kHour - cycle_.phase();
      const auto index = static_cast<int64_t>(hour);
      const double from = cycle_.Knot(index);
      segment.beta = (cycle_.Knot(index + 1) - from) / kHour;
      segment.alpha = from - segment.beta * knot_time;
      break;
    }
  }
}

bool RateSegments::Next(RateSegment& segment) {
  const double t = t_;
  if (!(t < grid_.run_end)) return false;
  while (grid_.End(window_) <= t) ++window_;
  UpdateActiveSpikes(t);
  segment.start = t;
  segment.end = SegmentEnd(t);
  // Progress even where a grid step is below the resolution of t.
  if (!(segment.end > t)) segment.end = std::nextafter(t, grid_.run_end);
  segment.window = window_;
  segment.factor = 1;
  shaped_.clear();
  for (const ShapedSpike& spike : active_) {
    if (spike.shape == SpikeShape::kInstant) {
      segment.factor *= 1 + spike.excess;
    } else {
      shaped_.push_back(spike);
    }
  }
  segment.spikes = shaped_;
  FillBase(segment);
  t_ = segment.end;
  return true;
}

}  // namespace horizonscale::simulator::internal

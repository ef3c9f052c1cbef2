// EstimateEvents: the rate integrated over the run, segment by segment.
#include <cmath>
#include <cstdint>
#include <limits>

#include "simulator/internal/rate_segments.h"
#include "simulator/internal/validation.h"
#include "simulator/internal/window_grid.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator {
namespace {

// Composite Simpson's rule with this many (even) intervals per segment. A
// segment is at most 60 s (or period/32, or a spike's duration/32) long and
// its rate is smooth there, so the error is negligible.
constexpr int kSimpsonIntervals = 8;

// ∫ rate over one segment.
double IntegrateSegment(const internal::RateSegment& segment) {
  const double length = segment.end - segment.start;
  if (!segment.sinusoidal && segment.spikes.empty()) {
    // Linear: the trapezoid is exact.
    return length * (segment.RateAt(segment.start) + segment.RateAt(segment.end)) / 2;
  }
  const double h = length / kSimpsonIntervals;
  double sum = segment.RateAt(segment.start) + segment.RateAt(segment.end);
  for (int i = 1; i < kSimpsonIntervals; ++i) {
    sum += (i % 2 == 1 ? 4 : 2) * segment.RateAt(segment.start + i * h);
  }
  return sum * h / 3;
}

}  // namespace

// Contract: see simulator.h. Returns 0 for an invalid scenario. O(number of
// segments): about duration / 60 s plus 32 per shaped spike.
int64_t EstimateEvents(const Scenario& scenario) {
  if (!internal::ValidateScenarioOnly(scenario).ok()) return 0;
  const internal::WindowGrid grid = internal::WindowGrid::Of(scenario);
  internal::RateSegments segments(scenario, grid);
  internal::RateSegment segment;
  double expected_arrivals = 0;
  while (segments.Next(segment)) expected_arrivals += IntegrateSegment(segment);
  // Every job is one event on arrival, one on completion.
  const double events = 2 * (expected_arrivals + static_cast<double>(scenario.initial_backlog));
  constexpr auto kCap = static_cast<double>(std::numeric_limits<int64_t>::max() >> 1);
  return events >= kCap ? static_cast<int64_t>(kCap) : std::llround(events);
}

}  // namespace horizonscale::simulator

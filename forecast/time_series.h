// Preparing raw observations into a regular series: the step every model
// assumes. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

namespace horizonscale::forecast {

// One raw observation.
struct Observation {
  absl::Time time;
  double value = 0;
};

// A series with one value per step: values[i] is at start + i·step.
struct RegularSeries {
  absl::Time start;
  absl::Duration step;
  std::vector<double> values;
  // What preparation did (for callers to report).
  int64_t duplicates_merged = 0;  // observations merged into an occupied grid slot
  int64_t gaps_filled = 0;        // grid slots with no observation, interpolated
};

// Largest number of grid slots PrepareSeries produces.
inline constexpr int64_t kMaxSeriesLength = 1'000'000;

// Makes `observations` (any order) regular:
//  - a non-finite value (or an infinite time) is INVALID_ARGUMENT naming its
//    index in the input;
//  - sorted by time; the grid starts at the earliest observation with `step`
//    (when unset or zero: the most common positive gap between consecutive
//    distinct times; ties go to the smaller gap);
//  - each observation goes to its nearest grid slot (exactly halfway: the
//    later slot); several in one slot are averaged (each observation beyond
//    the first in a slot counts once in duplicates_merged);
//  - empty slots between observations are filled by linear interpolation
//    between the nearest occupied slots on either side (counted in
//    gaps_filled). The first and last slots always hold observations.
// Errors: INVALID_ARGUMENT for no observations, a negative or infinite step, a
// single distinct time with no step given, or a grid longer than
// kMaxSeriesLength (checked before anything that size is allocated).
absl::StatusOr<RegularSeries> PrepareSeries(std::vector<Observation> observations,
                                            std::optional<absl::Duration> step);

// The grid PrepareSeries would place observations on.
struct GridPlan {
  absl::Duration step;  // given or inferred, > 0
  int64_t length = 0;   // slots, saturating at INT64_MAX (no kMaxSeriesLength limit)
};

// The grid PrepareSeries(observations, step) would make, computed from the
// earliest and latest times and the step without allocating it (a copy of
// the observations is sorted only when the step must be inferred), so that a
// caller can refuse a giant grid before any work. Errors are PrepareSeries's
// other INVALID_ARGUMENTs (no observations, a non-finite value or time, a bad
// step, a single distinct time with no step given).
absl::StatusOr<GridPlan> PlanGrid(const std::vector<Observation>& observations,
                                  std::optional<absl::Duration> step);

}  // namespace horizonscale::forecast

#include "forecast/time_series.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include <absl/strings/str_cat.h>

namespace horizonscale::forecast {
namespace {

// OK when every observation has a finite value and a finite time; otherwise
// INVALID_ARGUMENT naming the first offending index in the input.
absl::Status CheckFinite(const std::vector<Observation>& observations) {
  for (size_t i = 0; i < observations.size(); ++i) {
    if (!std::isfinite(observations[i].value)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "observation at index ", i, " has a non-finite value (", observations[i].value, ")"));
    }
    const absl::Time time = observations[i].time;
    if (time == absl::InfiniteFuture() || time == absl::InfinitePast()) {
      return absl::InvalidArgumentError(
          absl::StrCat("observation at index ", i, " has an infinite time"));
    }
  }
  return absl::OkStatus();
}

// OK for an unset, zero or positive finite step; INVALID_ARGUMENT otherwise.
absl::Status CheckStep(const std::optional<absl::Duration>& step) {
  if (!step.has_value()) return absl::OkStatus();
  if (*step < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the step must not be negative, got ", absl::FormatDuration(*step)));
  }
  if (*step == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError("the step must be finite");
  }
  return absl::OkStatus();
}

// The most common positive gap between consecutive distinct times of
// `sorted` (oldest first); ties go to the smaller gap. INVALID_ARGUMENT when
// all observations share one time.
absl::StatusOr<absl::Duration> InferStep(const std::vector<Observation>& sorted) {
  std::map<absl::Duration, int64_t> gap_counts;
  for (size_t i = 1; i < sorted.size(); ++i) {
    const absl::Duration gap = sorted[i].time - sorted[i - 1].time;
    if (gap > absl::ZeroDuration()) ++gap_counts[gap];
  }
  if (gap_counts.empty()) {
    return absl::InvalidArgumentError(
        "cannot infer the step: all observations have the same time; give the step");
  }
  absl::Duration best_gap = gap_counts.begin()->first;
  int64_t best_count = 0;
  for (const auto& [gap, count] : gap_counts) {  // ascending gaps: ties keep the smaller
    if (count > best_count) {
      best_gap = gap;
      best_count = count;
    }
  }
  return best_gap;
}

// The grid slot nearest to `offset` (>= 0) for grid spacing `step` (> 0);
// an offset exactly halfway between two slots goes to the later one.
int64_t NearestSlot(absl::Duration offset, absl::Duration step) {
  absl::Duration remainder;
  int64_t slot = absl::IDivDuration(offset, step, &remainder);
  if (remainder * 2 >= step) ++slot;
  return slot;
}

// The number of grid slots from `first` to `last` (inclusive) with `step`,
// or INVALID_ARGUMENT when it exceeds kMaxSeriesLength.
absl::StatusOr<int64_t> GridLength(absl::Time first, absl::Time last, absl::Duration step) {
  const absl::Duration span = last - first;
  // A floating-point pre-check keeps the exact integer division in range.
  const double approximate_slots = absl::FDivDuration(span, step) + 1;
  if (approximate_slots > 2.0 * static_cast<double>(kMaxSeriesLength)) {
    return absl::InvalidArgumentError(
        absl::StrCat("a step of ", absl::FormatDuration(step), " over ", absl::FormatDuration(span),
                     " makes about ", approximate_slots, " grid slots, more than the limit of ",
                     kMaxSeriesLength));
  }
  const int64_t slots = NearestSlot(span, step) + 1;
  if (slots > kMaxSeriesLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("a step of ", absl::FormatDuration(step), " over ", absl::FormatDuration(span),
                     " makes ", slots, " grid slots, more than the limit of ", kMaxSeriesLength));
  }
  return slots;
}

// Fills every slot with `counts[i] == 0` by linear interpolation between the
// nearest occupied slots on either side. The first and last slots must be
// occupied. Returns the number of slots filled.
int64_t FillGapsLinearly(std::vector<double>& values, const std::vector<int64_t>& counts) {
  int64_t filled = 0;
  size_t previous = 0;  // the last occupied slot seen
  for (size_t i = 1; i < values.size(); ++i) {
    if (counts[i] == 0) continue;
    const size_t gap = i - previous;
    for (size_t j = previous + 1; j < i; ++j) {
      const double fraction = static_cast<double>(j - previous) / static_cast<double>(gap);
      values[j] = values[previous] + (values[i] - values[previous]) * fraction;
      ++filled;
    }
    previous = i;
  }
  return filled;
}

}  // namespace

absl::StatusOr<GridPlan> PlanGrid(const std::vector<Observation>& observations,
                                  std::optional<absl::Duration> step) {
  if (observations.empty()) return absl::InvalidArgumentError("no observations to prepare");
  if (absl::Status status = CheckFinite(observations); !status.ok()) return status;
  if (absl::Status status = CheckStep(step); !status.ok()) return status;
  const auto [first, last] = std::minmax_element(
      observations.begin(), observations.end(),
      [](const Observation& a, const Observation& b) { return a.time < b.time; });
  absl::Duration grid_step;
  if (step.has_value() && *step > absl::ZeroDuration()) {
    grid_step = *step;
  } else {
    std::vector<Observation> sorted(observations);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Observation& a, const Observation& b) { return a.time < b.time; });
    absl::StatusOr<absl::Duration> inferred = InferStep(sorted);
    if (!inferred.ok()) return inferred.status();
    grid_step = *inferred;
  }
  const absl::Duration span = last->time - first->time;
  GridPlan plan{grid_step, std::numeric_limits<int64_t>::max()};
  // A floating-point pre-check keeps the exact integer division in range.
  if (absl::FDivDuration(span, grid_step) + 1 < 9.0e18)
    plan.length = NearestSlot(span, grid_step) + 1;
  return plan;
}

absl::StatusOr<RegularSeries> PrepareSeries(std::vector<Observation> observations,
                                            std::optional<absl::Duration> step) {
  if (observations.empty()) return absl::InvalidArgumentError("no observations to prepare");
  if (absl::Status status = CheckFinite(observations); !status.ok()) return status;
  if (absl::Status status = CheckStep(step); !status.ok()) return status;

  std::stable_sort(observations.begin(), observations.end(),
                   [](const Observation& a, const Observation& b) { return a.time < b.time; });

  RegularSeries series;
  series.start = observations.front().time;
  if (step.has_value() && *step > absl::ZeroDuration()) {
    series.step = *step;
  } else {
    absl::StatusOr<absl::Duration> inferred = InferStep(observations);
    if (!inferred.ok()) return inferred.status();
    series.step = *inferred;
  }

  absl::StatusOr<int64_t> length = GridLength(series.start, observations.back().time, series.step);
  if (!length.ok()) return length.status();

  std::vector<double> sums(static_cast<size_t>(*length), 0.0);
  std::vector<int64_t> counts(static_cast<size_t>(*length), 0);
  for (const Observation& observation : observations) {
    const auto slot =
        static_cast<size_t>(NearestSlot(observation.time - series.start, series.step));
    sums[slot] += observation.value;
    ++counts[slot];
  }
  for (size_t i = 0; i < sums.size(); ++i) {
    if (counts[i] > 1) {
      sums[i] /= static_cast<double>(counts[i]);
      series.duplicates_merged += counts[i] - 1;
    }
  }
  series.gaps_filled = FillGapsLinearly(sums, counts);
  series.values = std::move(sums);
  return series;
}

}  // namespace horizonscale::forecast

// The fleet "refinery": turns one host resource's raw daily utilization
// observations into the continuous daily series the tournament forecasts.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <absl/status/statusor.h>

namespace horizonscale::forecast {

// Utilization is a percentage: prepared values lie in [0, 100].
inline constexpr double kMaxUtilizationPercent = 100.0;

// A continuous daily series: values[i] is the utilization of day
// first_day + i (days since 1970-01-01), in percent.
struct DailySeries {
  int64_t first_day = 0;
  std::vector<double> values;
  // What preparation did, for reports.
  int64_t duplicates_merged = 0;  // observations beyond the first of a day (averaged)
  int64_t gaps_filled = 0;        // missing days, linearly interpolated
  int64_t values_clamped = 0;     // values moved into [0, 100]

  int64_t last_day() const { return first_day + static_cast<int64_t>(values.size()) - 1; }
};

// Prepares observations (`days[i]`, `values[i]`; any order) into a
// DailySeries: several observations of one day are averaged, days missing
// between the first and the last observation are filled by linear
// interpolation between their neighbours (forecast/time_series.h,
// PrepareSeries), and values outside [0, 100] are clamped to it (measurement
// overshoot such as 100.4 % becomes 100). Errors: INVALID_ARGUMENT when the
// spans differ in length, are empty, or hold a non-finite value (naming its
// index), or when the series would exceed kMaxSeriesLength days.
absl::StatusOr<DailySeries> PrepareDailySeries(std::span<const int32_t> days,
                                               std::span<const double> values);

}  // namespace horizonscale::forecast

#include "forecast/fleet/fleet_refinery.h"

#include <algorithm>

#include <absl/strings/str_cat.h>
#include <absl/time/time.h>

#include "forecast/time_series.h"

namespace horizonscale::forecast {

absl::StatusOr<DailySeries> PrepareDailySeries(std::span<const int32_t> days,
                                               std::span<const double> values) {
  if (days.size() != values.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", days.size(), " days but ", values.size(), " values"));
  }
  std::vector<Observation> observations(days.size());
  for (size_t i = 0; i < days.size(); ++i) {
    observations[i] = {absl::FromUnixSeconds(int64_t{days[i]} * 86400), values[i]};
  }
  absl::StatusOr<RegularSeries> regular = PrepareSeries(std::move(observations), absl::Hours(24));
  if (!regular.ok()) return regular.status();
  DailySeries series;
  series.first_day = absl::ToUnixSeconds(regular->start) / 86400;
  series.values = std::move(regular->values);
  series.duplicates_merged = regular->duplicates_merged;
  series.gaps_filled = regular->gaps_filled;
  for (double& value : series.values) {
    const double clamped = std::clamp(value, 0.0, kMaxUtilizationPercent);
    if (clamped != value) {
      value = clamped;
      ++series.values_clamped;
    }
  }
  return series;
}

}  // namespace horizonscale::forecast

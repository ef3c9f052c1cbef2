// Range checks of FleetOptions and HostSpec.
#include <cmath>
#include <string>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "clients/fleet_generator/fleet_generator.h"

namespace horizonscale::fleetgen {
namespace {

constexpr int kMostHosts = 10'000'000;
constexpr int kMostDays = 36'600;  // a century

absl::Status OutOfRange(absl::string_view field, absl::string_view value, absl::string_view range) {
  return absl::InvalidArgumentError(absl::StrCat(field, " = ", value, " is outside ", range));
}

// Checks that `value`, if set, is finite and in [low, high].
absl::Status CheckRange(absl::string_view field, const std::optional<double>& value, double low,
                        double high) {
  if (!value.has_value() || (std::isfinite(*value) && *value >= low && *value <= high)) {
    return absl::OkStatus();
  }
  return OutOfRange(field, absl::StrCat(*value), absl::StrFormat("[%g, %g]", low, high));
}

}  // namespace

absl::Status ValidateFleetOptions(const FleetOptions& options) {
  if (options.hosts < 1 || options.hosts > kMostHosts) {
    return OutOfRange("hosts", absl::StrCat(options.hosts), absl::StrCat("[1, ", kMostHosts, "]"));
  }
  if (options.days < 2 || options.days > kMostDays) {
    return OutOfRange("days", absl::StrCat(options.days), absl::StrCat("[2, ", kMostDays, "]"));
  }
  // Dates must keep four-digit years.
  const absl::CivilDay first = options.end_day - (options.days - 1);
  if (first.year() < 1000 || options.end_day.year() > 9999) {
    return absl::InvalidArgumentError(absl::StrCat("the history ", absl::FormatCivilTime(first),
                                                   " to ", absl::FormatCivilTime(options.end_day),
                                                   " leaves the years 1000 to 9999"));
  }
  if (!(options.overshoot_fraction >= 0 && options.overshoot_fraction <= 0.001)) {
    return OutOfRange("overshoot_fraction", absl::StrCat(options.overshoot_fraction), "[0, 0.001]");
  }
  double total = 0;
  for (int i = 0; i < kScenarioCount; ++i) {
    const double weight = options.scenario_weights[static_cast<size_t>(i)];
    if (!std::isfinite(weight) || weight < 0) {
      return absl::InvalidArgumentError(absl::StrCat("scenario weight of ",
                                                     ScenarioName(static_cast<Scenario>(i)), " = ",
                                                     weight, " is not a finite value ≥ 0"));
    }
    total += weight;
  }
  if (total <= 0) return absl::InvalidArgumentError("scenario weights are all zero");
  if (options.breach_horizon_days < 0 || options.breach_horizon_days > kMostDays) {
    return OutOfRange("breach_horizon_days", absl::StrCat(options.breach_horizon_days),
                      absl::StrCat("[0, ", kMostDays, "]"));
  }
  return absl::OkStatus();
}

absl::Status ValidateHostSpec(const HostSpec& spec, const FleetOptions& options) {
  if (spec.host_id.empty() || spec.host_id.size() > 128) {
    return absl::InvalidArgumentError(
        absl::StrCat("host_id must have 1 to 128 characters, not ", spec.host_id.size()));
  }
  const ScenarioParameters& p = spec.parameters;
  const double highest_start = spec.scenario == Scenario::kCapacityBreach ? 94.999 : 100;
  if (absl::Status s = CheckRange("start_percent", p.start_percent, 0, highest_start); !s.ok()) {
    return s;
  }
  if (absl::Status s =
          CheckRange("growth_percent_per_year", p.growth_percent_per_year, -1000, 1000);
      !s.ok()) {
    return s;
  }
  if (p.breach_day_after_end.has_value() &&
      (*p.breach_day_after_end < 2 - options.days || *p.breach_day_after_end > kMostDays)) {
    return OutOfRange("breach_day_after_end", absl::StrCat(*p.breach_day_after_end),
                      absl::StrCat("[", 2 - options.days, ", ", kMostDays, "]"));
  }
  if (p.step_day.has_value() && (*p.step_day < 1 || *p.step_day > options.days - 1)) {
    return OutOfRange("step_day", absl::StrCat(*p.step_day),
                      absl::StrCat("[1, ", options.days - 1, "]"));
  }
  if (absl::Status s = CheckRange("step_percent", p.step_percent, -100, 100); !s.ok()) return s;
  if (absl::Status s = CheckRange("weekly_amplitude_percent", p.weekly_amplitude_percent, 0, 100);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckRange("yearly_amplitude_percent", p.yearly_amplitude_percent, 0, 100);
      !s.ok()) {
    return s;
  }
  return CheckRange("noise_sd_percent", p.noise_sd_percent, 0, 50);
}

}  // namespace horizonscale::fleetgen

// When a utilization forecast says a host resource will run out: the first
// day its interval's upper bound crosses the breach threshold (RiskOptions
// and BreachRisk: forecast/fleet/tournament.h). Internal to hs_fleet. Pure;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include <absl/status/status.h>

#include "forecast/fleet/tournament.h"
#include "forecast/forecast.h"

namespace horizonscale::forecast {

// INVALID_ARGUMENT naming the field when an option is out of range.
absl::Status ValidateRiskOptions(const RiskOptions& options);

// The breach of `future` (daily forecasts, future[0] on `first_day`): the
// first of its first risk_window_days days whose upper bound is strictly
// above the threshold, or nullopt when there is none ("High Trust at risk"
// means there is one). `options` must be valid.
std::optional<BreachRisk> FindBreach(std::span<const ForecastValue> future, int64_t first_day,
                                     const RiskOptions& options);

}  // namespace horizonscale::forecast

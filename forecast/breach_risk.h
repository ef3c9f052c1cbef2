// When a utilization forecast says a host resource will run out: the first
// day its interval's upper bound crosses the breach threshold. Pure;
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include <absl/status/status.h>

#include "forecast/forecast.h"

namespace horizonscale::forecast {

struct RiskOptions {
  // Utilization whose crossing is a breach, in percent, in (0, 100].
  double breach_threshold_percent = 95.0;
  // Days ahead (from the first forecast day) searched for a breach, >= 1.
  int risk_window_days = 90;
  // Days before the breach by which action should be taken, >= 0.
  int action_lead_days = 30;
};

// A forecast breach. Days count from 1970-01-01.
struct BreachRisk {
  int64_t first_breach_day = 0;    // first day whose upper bound exceeds the threshold
  int64_t planned_action_day = 0;  // first_breach_day − action_lead_days
  double peak_upper_percent = 0;   // highest upper bound within the risk window
};

// INVALID_ARGUMENT naming the field when an option is out of range.
absl::Status ValidateRiskOptions(const RiskOptions& options);

// The breach of `future` (daily forecasts, future[0] on `first_day`): the
// first of its first risk_window_days days whose upper bound is strictly
// above the threshold, or nullopt when there is none ("High Trust at risk"
// means there is one). `options` must be valid.
std::optional<BreachRisk> FindBreach(std::span<const ForecastValue> future, int64_t first_day,
                                     const RiskOptions& options);

}  // namespace horizonscale::forecast

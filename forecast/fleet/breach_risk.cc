#include "forecast/fleet/internal/breach_risk.h"

#include <algorithm>
#include <cmath>

#include <absl/strings/str_cat.h>

namespace horizonscale::forecast {

absl::Status ValidateRiskOptions(const RiskOptions& options) {
  if (!(options.breach_threshold_percent > 0 && options.breach_threshold_percent <= 100)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "breach_threshold_percent must be in (0, 100], got ", options.breach_threshold_percent));
  }
  if (options.risk_window_days < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("risk_window_days must be >= 1, got ", options.risk_window_days));
  }
  if (options.action_lead_days < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("action_lead_days must be >= 0, got ", options.action_lead_days));
  }
  return absl::OkStatus();
}

std::optional<BreachRisk> FindBreach(std::span<const ForecastValue> future, int64_t first_day,
                                     const RiskOptions& options) {
  const size_t window = std::min(future.size(), static_cast<size_t>(options.risk_window_days));
  std::optional<BreachRisk> risk;
  double peak = -INFINITY;
  for (size_t i = 0; i < window; ++i) {
    peak = std::max(peak, future[i].upper);
    if (!risk.has_value() && future[i].upper > options.breach_threshold_percent) {
      risk = BreachRisk{
          .first_breach_day = first_day + static_cast<int64_t>(i),
          .planned_action_day = first_day + static_cast<int64_t>(i) - options.action_lead_days};
    }
  }
  if (risk.has_value()) risk->peak_upper_percent = peak;
  return risk;
}

}  // namespace horizonscale::forecast

#include "server/keda/replica_metric.h"

#include <cmath>

#include "server/common/proto_time.h"

namespace horizonscale::server {

int32_t PlannedWorkersAt(const horizonscale::v1::CapacityPlan& plan, absl::Time now) {
  int32_t workers = plan.current_workers();
  for (const horizonscale::v1::ScalingStep& step : plan.steps()) {
    if (ToAbslTime(step.schedule_time()) > now) break;  // steps are in schedule order
    workers = step.to_workers();
  }
  return workers;
}

int64_t HpaMetric(int32_t planned, std::optional<int32_t> current, double tolerance) {
  if (!current.has_value() || *current <= 0 || planned <= *current || tolerance <= 0) {
    return planned;
  }
  const double swallowed_up_to = *current * (1.0 + tolerance);
  if (planned > swallowed_up_to) return planned;
  return static_cast<int64_t>(std::floor(swallowed_up_to)) + 1;
}

}  // namespace horizonscale::server

// From a capacity plan to the value KEDA hands the HPA.
//
// KEDA puts the scaler's metric into an HPA with an AverageValue target;
// HorizonScale's target is 1 per pod, so the HPA wants ceil(metric) replicas
// — unless the change is within its tolerance: with R replicas, the HPA
// keeps R while |metric / R − 1| <= tolerance (0.1 by default, the
// kube-controller-manager's --horizontal-pod-autoscaler-tolerance). A
// planned scale-up from 20 to 21 workers would be swallowed.
//
// What HpaMetric does about it: a planned scale-up that the tolerance would
// swallow is reported as the least value that crosses it,
// floor(R × (1 + tolerance)) + 1 (so the pool lands at or slightly above the
// plan: too many workers for a while, never too few); a planned scale-down
// within the tolerance is reported as planned and the HPA keeps R (the safe
// side). With tolerance 0 (hpaTolerance "0", for clusters that set the HPA's
// tolerance to 0, per HPA since Kubernetes 1.33) the plan is reported as is.
#pragma once

#include <cstdint>
#include <optional>

#include <absl/time/time.h>

#include "horizonscale/v1/plan.pb.h"

namespace horizonscale::server {

// The workers `plan` wants at `now`: the to_workers of its last step
// scheduled at or before `now`, else its current_workers. Steps are
// scheduled a provisioning lead time before the capacity must serve, so this
// is the pool the plan needs at now + the lead time.
int32_t PlannedWorkersAt(const horizonscale::v1::CapacityPlan& plan, absl::Time now);

// The metric value for `planned` workers given the pool's `current`
// replicas (unknown: nullopt) and the HPA's `tolerance` (see above).
int64_t HpaMetric(int32_t planned, std::optional<int32_t> current, double tolerance);

}  // namespace horizonscale::server

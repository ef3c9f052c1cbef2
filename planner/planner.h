// GeneratePlan's domain logic: forecast the arrival rate, size every planning
// interval with queueing theory, schedule scaling steps, and price, score and
// risk-assess the result.
//
// Sizing uses the whole SLO:
// - latency and backlog targets, met when at most the error budget (default
//   0.05) of jobs exceed the latency target and of time exceeds max_backlog
//   (Sizer, planner/sizing.h);
// - a backlog above max_backlog is drained by drain_time (default: the
//   forecast window): the intervals before the deadline are sized for their
//   demand plus the drain rate (PlanDrain, planner/backlog_drain.h), and
//   the scheduler's hysteresis returns to steady-state sizing after. The
//   backlog is then projected over the planned workers (fluid): the plan
//   reports the projected drain time, and a drain later than drain_time
//   makes the SLO unachievable with the reason (max_workers, the lead time,
//   or the step size and cooldown limiting the ramp);
// - an availability target adds spare workers to every interval's need
//   (SpareWorkers, planner/availability.h);
// - violation_cost_per_hour prices a cost-optimal alternative (per interval,
//   the workers minimising worker cost + violation cost × the probability of
//   missing the SLO at the point forecast), and every alternative reports
//   that expected cost at its own workers.
//
// Confidence of a plan (a number in [0, 1]):
//   confidence = history × forecast × service × anomaly, where
//   history  = 0.5 + 0.5·min(1, observed history buckets / 12)  (an hour of
//              5-minute buckets gives full weight),
//   forecast = 1 / (1 + mean relative half-width of the forecast interval),
//   service  = the service-rate estimate's confidence (agreement of reported
//              service time, utilization and active jobs); for a saturated
//              pool (utilization >= 0.98, λ s >= workers, or a backlog that
//              grew since the previous sample) the reported service time
//              alone (0.8): a saturated pool completes c/s jobs per second,
//              not λ, and the other estimators would be inflated by λ,
//   anomaly  = 0.5 when an anomaly was detected, else 1.
// A step's confidence is the plan's × (1 − 0.3 · time from now / window).
// The plan is recommended for automatic application when confidence >=
// confidence_threshold and no anomaly was detected.
#pragma once

#include <memory>
#include <optional>

#include <absl/status/statusor.h>

#include "forecast/cancellation.h"
#include "planner/plan.h"

namespace horizonscale::planner {

// Hours per month used for monthly cost figures.
inline constexpr double kHoursPerMonth = 730;

// Builds the plan for `request`. "Now" is `request.current.time`: the
// planner reads no clock. Inputs must be valid (the server validates them); returns
// FAILED_PRECONDITION with reason INSUFFICIENT_HISTORY when the forecast model
// needs more history than there is, INVALID_ARGUMENT for inconsistent inputs.
absl::StatusOr<PlanResult> GeneratePlan(const PlanRequest& request);

// The automatic forecast-model selection GeneratePlan would make for
// `request` (its forecast_model unset; its forecast_choice ignored), without
// the plan: for a caller that renews a queue's selection in the background
// while its plans reuse the old one. Errors as GeneratePlan's forecast;
// CANCELLED when `cancelled` says so.
absl::StatusOr<std::shared_ptr<const forecast::ModelChoice>> SelectForecastModel(
    const PlanRequest& request, const forecast::CancelCheck& cancelled = {});

// The scaling action `plan` takes at once: its first step when that step is
// scheduled at (or before) the plan's generation time and changes the worker
// count; nullopt otherwise. It becomes the queue's last action (cooldowns are
// measured from it).
std::optional<LastAction> ImmediateAction(const Plan& plan);

}  // namespace horizonscale::planner

// The one validation of the queue vocabulary several RPCs share: queue
// metrics (GeneratePlan's current metrics and history) and the SLO
// (GeneratePlan, EvaluateQueue, Simulate). Every RPC that takes them accepts
// and refuses exactly the same values, with the same messages.
#pragma once

#include <string>

#include <absl/time/time.h>

#include "horizonscale/v1/common.pb.h"
#include "horizonscale/v1/plan.pb.h"
#include "server/common/field_checks.h"

namespace horizonscale::server {

// Earliest observe_time accepted: a metric stamped before 2000 comes from an
// unset clock or a unit mistake, not from a queue.
inline const absl::Time kEarliestObserveTime =
    absl::FromCivil(absl::CivilDay(2000, 1, 1), absl::UTCTimeZone());

// Largest backlog (metrics) and max_backlog (SLO) accepted: 2^50 jobs, still
// exact as a double.
inline constexpr int64_t kMaxBacklog = int64_t{1} << 50;

// Whether `name` is a valid queue name: 1 to 128 characters of
// [A-Za-z0-9._:/-].
bool IsQueueName(const std::string& name);

// Checks a queue name (`field`): 1 to 128 characters of [A-Za-z0-9._:/-].
void CheckQueueName(const std::string& field, const std::string& name, std::string_view reason,
                    FieldChecks& checks);

// Checks `metrics`, naming fields under `prefix` (e.g. "current_metrics."),
// with reason INVALID_METRICS: finite rates and times in range, a valid
// observe_time not before kEarliestObserveTime (when set), counts >= 0.
void CheckQueueMetrics(const horizonscale::v1::QueueMetrics& metrics, const std::string& prefix,
                       FieldChecks& checks);

// Checks the set fields of `slo` (named "slo.*") with reason CONFIG_INVALID:
// p95_latency_seconds finite in (0, 1e6], max_backlog in [0, kMaxBacklog],
// error_budget and availability finite in (0, 1), drain_time in [1 s, 7 days].
void CheckSlo(const horizonscale::v1::Slo& slo, FieldChecks& checks);

}  // namespace horizonscale::server

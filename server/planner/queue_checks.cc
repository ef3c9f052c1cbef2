#include "server/planner/queue_checks.h"

#include <algorithm>

#include <absl/strings/str_cat.h>

#include "queueing/queueing.h"
#include "server/common/proto_time.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;

bool IsQueueName(const std::string& name) {
  return !name.empty() && name.size() <= 128 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '/' || c == '-';
  });
}

void CheckQueueName(const std::string& field, const std::string& name, std::string_view reason,
                    FieldChecks& checks) {
  if (!IsQueueName(name)) {
    checks.Fail(field, "must be 1 to 128 characters of [A-Za-z0-9._:/-]", reason);
  }
}

void CheckQueueMetrics(const v1::QueueMetrics& metrics, const std::string& prefix,
                       FieldChecks& checks) {
  const auto reason = reason::kInvalidMetrics;
  if (metrics.has_observe_time()) {
    const std::string field = prefix + "observe_time";
    checks.Timestamp(field, metrics.observe_time(), reason);
    if (IsValidTimestamp(metrics.observe_time()) &&
        ToAbslTime(metrics.observe_time()) < kEarliestObserveTime) {
      checks.Fail(
          field,
          absl::StrCat("must not be before ",
                       absl::FormatTime("%Y-%m-%d", kEarliestObserveTime, absl::UTCTimeZone()),
                       ", got ",
                       absl::FormatTime(ToAbslTime(metrics.observe_time()), absl::UTCTimeZone())),
          reason);
    }
  }
  checks.Number(prefix + "arrival_rate_per_second", metrics.arrival_rate_per_second(), 0, 1e9,
                reason);
  checks.Number(prefix + "mean_service_time_seconds", metrics.mean_service_time_seconds(), 0, 1e6,
                reason, /*min_open=*/true);
  if (metrics.has_service_time_p95_seconds()) {
    checks.Number(prefix + "service_time_p95_seconds", metrics.service_time_p95_seconds(), 0, 1e6,
                  reason);
  }
  if (metrics.has_service_time_stddev_seconds()) {
    checks.Number(prefix + "service_time_stddev_seconds", metrics.service_time_stddev_seconds(), 0,
                  1e6, reason);
  }
  checks.Integer(prefix + "current_workers", metrics.current_workers(), 0, queueing::kMaxWorkers,
                 reason);
  if (metrics.has_utilization()) {
    checks.Number(prefix + "utilization", metrics.utilization(), 0, 1, reason);
  }
  checks.Integer(prefix + "backlog", metrics.backlog(), 0, kMaxBacklog, reason);
  checks.Integer(prefix + "active_jobs", metrics.active_jobs(), 0, kMaxBacklog, reason);
}

void CheckSlo(const v1::Slo& slo, FieldChecks& checks) {
  const auto reason = reason::kConfigInvalid;
  if (slo.has_p95_latency_seconds()) {
    checks.Number("slo.p95_latency_seconds", slo.p95_latency_seconds(), 0, 1e6, reason,
                  /*min_open=*/true);
  }
  if (slo.has_max_backlog()) {
    checks.Integer("slo.max_backlog", slo.max_backlog(), 0, kMaxBacklog, reason);
  }
  if (slo.has_error_budget()) {
    checks.Number("slo.error_budget", slo.error_budget(), 0, 1, reason, /*min_open=*/true,
                  /*max_open=*/true);
  }
  if (slo.has_availability()) {
    checks.Number("slo.availability", slo.availability(), 0, 1, reason, /*min_open=*/true,
                  /*max_open=*/true);
  }
  if (slo.has_drain_time()) {
    checks.Duration("slo.drain_time", slo.drain_time(), absl::Seconds(1), absl::Hours(24 * 7),
                    reason);
  }
}

}  // namespace horizonscale::server

// The KEDA scaler's pulled metrics source: a queue's current metrics from a
// Prometheus server, by PromQL instant queries over its HTTP API
// (GET /api/v1/query), as the ScaledObject's metadata names them.
//
// Each query must return one number: a scalar, or an instant vector of
// exactly one series (wrap several in sum() or avg()). Failures are told
// apart because they are answered differently: a query Prometheus refuses
// (bad PromQL: HTTP 400, errorType bad_data) is the metadata's fault,
// INVALID_ARGUMENT naming the key; everything else (unreachable, timeout,
// 5xx, no series, a non-finite or negative value) is the source failing,
// UNAVAILABLE naming the key, for which the scaler fails safe.
//
// Thread safety: QueryPrometheus may be called concurrently.
#pragma once

#include <optional>
#include <string>

#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "planner/plan.h"

namespace horizonscale::server {

struct PrometheusQueries {
  std::string address;       // http(s)://host:port[/path prefix]
  std::string arrival_rate;  // jobs/s; required
  std::string service_time;  // mean seconds per job on one worker; required
  std::string backlog;       // jobs waiting; optional
  std::string workers;       // workers running; optional
};

// How long one query may take, connection included.
inline constexpr absl::Duration kPrometheusTimeout = absl::Seconds(5);

// The queue's metrics now from `queries` (time: `now`). Errors: see above;
// field paths are "scalerMetadata.<key>".
grpc::Status QueryPrometheus(const PrometheusQueries& queries, absl::Time now,
                             planner::QueueSample* sample);

// Whether `address` is an http:// or https:// URL with a host (what the
// metadata accepts).
bool IsPrometheusAddress(const std::string& address);

}  // namespace horizonscale::server

// What a KEDA ScaledObject's trigger metadata (ScaledObjectRef.scalerMetadata)
// asks HorizonScale's external scaler for, validated.
//
// Keys (the README's table "KEDA scaler metadata" is the user's view):
//   queue              the queue to scale by; required
//   slo.<field>        a field of horizonscale.v1.Slo, by its JSON or proto
//   config.<field>     name, or of PlannerConfig: over the queue's stored
//                      settings (metadata > stored > defaults). Numbers as
//                      text, durations as "90s" or "5m", enums by name
//                      (FORECAST_MODEL_AUTO), booleans true/false.
//   hpaTolerance       the HPA's tolerance (default 0.1, in [0, 1)); see
//                      server/keda/replica_metric.h
//   metricsMaxAge      metrics older than this count as a failed source
//                      (default 5m)
//   planExpiry         how long the last good plan is served after the
//                      source failed (default 10m)
//   prometheusAddress  pull the metrics from this Prometheus (http:// or
//                      https:// URL) instead of taking the pushed ones, with
//   arrivalRateQuery   PromQL for the arrival rate, jobs/s (required),
//   serviceTimeQuery   the mean service time, seconds (required),
//   backlogQuery       the jobs waiting (optional),
//   workersQuery       the workers running (optional; recommended)
//                      (server/keda/prometheus_source.h)
// KEDA's own keys of an external trigger (scalerAddress and its TLS keys)
// are ignored; any other key is refused, so a typo is an error, not a
// silent default.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <absl/time/time.h>
#include <google/protobuf/map.h>
#include <grpcpp/support/status.h>

#include "horizonscale/v1/common.pb.h"
#include "horizonscale/v1/plan.pb.h"
#include "server/keda/prometheus_source.h"

namespace horizonscale::server {

// Most metadata entries a ScaledObjectRef may carry.
inline constexpr int kMaxScalerMetadataEntries = 64;
// Longest metadata value, in bytes.
inline constexpr size_t kMaxScalerMetadataValueBytes = 1024;

struct ScalerTarget {
  std::string queue;
  horizonscale::v1::Slo slo;               // the slo.* keys
  horizonscale::v1::PlannerConfig config;  // the config.* keys
  double hpa_tolerance = 0.1;
  absl::Duration metrics_max_age = absl::Minutes(5);
  absl::Duration plan_expiry = absl::Minutes(10);
  std::optional<PrometheusQueries> prometheus;  // set: pulled metrics
  // Everything above in one canonical text: ScaledObjects asking the same
  // get the same key (and share one cached decision).
  std::string key;
};

// Parses and checks `metadata` into `target`. Errors: INVALID_ARGUMENT
// (reason INVALID_REQUEST, or CONFIG_INVALID for slo/config values the
// planner refuses) with one field violation per bad key, named
// "scalerMetadata.<key>" (the planner's checks name
// "scalerMetadata.slo.<field>" / "scalerMetadata.config.<field>").
grpc::Status ParseScalerMetadata(const google::protobuf::Map<std::string, std::string>& metadata,
                                 ScalerTarget* target);

// ParseScalerMetadata remembered: KEDA sends the same metadata for a
// ScaledObject on every call, so each distinct map is parsed once. Holds at
// most `capacity` targets (all are dropped when it is full). Thread safety:
// Parse may be called concurrently.
class ScalerTargetCache {
 public:
  explicit ScalerTargetCache(size_t capacity = 20'000) : capacity_(capacity) {}

  // The target of `metadata` (parsed, or remembered); ParseScalerMetadata's
  // errors, which are not remembered.
  grpc::Status Parse(const google::protobuf::Map<std::string, std::string>& metadata,
                     std::shared_ptr<const ScalerTarget>* target);

 private:
  const size_t capacity_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const ScalerTarget>> targets_;  // by raw map
};

}  // namespace horizonscale::server

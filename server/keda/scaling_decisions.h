// The KEDA scaler's decisions: per ScaledObject target (queue + metadata),
// the plan derived from the queue's newest metrics, and from it the workers
// wanted now, the HPA metric and activity.
//
// Where metrics come from, per target:
// - pushed (no prometheusAddress in the metadata): every GeneratePlan records
//   the queue's metrics, and MetricsRecorded hears of them at once on this
//   server; what another replica stored is read from the database when this
//   server's copy is older than `metrics_refresh`. The newer sample wins.
// - pulled (prometheusAddress and its queries): asked of Prometheus when the
//   last answer is older than `metrics_refresh`, and handed to `record` so
//   the queue's history (for its forecasts) and stored plans grow as with
//   pushed metrics.
//
// A call is not made to wait for a due read when a cached answer exists:
// DecideFromCache answers from metrics up to twice metrics_refresh old and
// tells one caller to read them again in the background.
//
// A plan is derived (PlanGenerator::Derive: the queue's stored settings
// under the metadata's, nothing stored) when the metrics changed or the last
// plan passed its valid_until_time; in between, answers come from the cached
// plan at the current time (its steps are a schedule). That keeps a call in
// the steady state to two map lookups.
//
// Fail-safe (KEDA's own fallback does not fire for an external scaler that
// answers): when the metrics source fails — the database or Prometheus
// unreachable, a query without a usable answer, or the newest metrics older
// than the target's metrics_max_age — the last good plan is served until
// plan_expiry after it was made; then the pool's last known size is held (at
// least 1, never scale to zero on missing data). Each change of basis is
// logged. Without any of these the call fails with a message naming the
// queue or the metadata key: NOT_FOUND when it has no metrics at all,
// FAILED_PRECONDITION when they are stale, UNAVAILABLE when the source is
// unreachable (the HPA then keeps the pool as it is). A query Prometheus
// refuses as bad PromQL is INVALID_ARGUMENT, never hidden by the fail-safe.
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "horizonscale/v1/planner_service.pb.h"
#include "planner/plan.h"
#include "server/keda/prometheus_source.h"
#include "server/keda/scaler_metadata.h"

namespace horizonscale::server {

class ScalingDecisions {
 public:
  // The newest stored metrics of a queue (nullopt: none stored).
  using MetricsLoader =
      std::function<absl::StatusOr<std::optional<planner::QueueSample>>(const std::string& queue)>;
  // Plans a request without storing anything (PlanGenerator::Derive).
  using PlanDeriver = std::function<grpc::Status(const horizonscale::v1::GeneratePlanRequest&,
                                                 horizonscale::v1::GeneratePlanResponse&)>;
  // Asks Prometheus (QueryPrometheus).
  using MetricsPuller = std::function<grpc::Status(const PrometheusQueries& queries, absl::Time now,
                                                   planner::QueueSample* sample)>;
  // Records pulled metrics as the queue's: the request the scaler planned
  // them with, as a stored GeneratePlan. Must not block.
  using MetricsRecorder = std::function<void(const horizonscale::v1::GeneratePlanRequest&)>;

  // What a decision rests on.
  enum class Basis { kPlan, kLastGoodPlan, kHoldCurrent };

  struct Decision {
    int32_t planned_workers = 0;  // the workers wanted now
    int64_t metric = 0;           // for the HPA (server/keda/replica_metric.h)
    bool active = false;          // planned_workers > 0
    Basis basis = Basis::kPlan;
  };

  // `max_targets` bounds the targets held (least recently used dropped).
  ScalingDecisions(MetricsLoader load_metrics, PlanDeriver derive, MetricsPuller pull,
                   MetricsRecorder record, absl::Duration metrics_refresh = absl::Seconds(15),
                   size_t max_targets = 20'000);

  // The decision for `target` at `now` (errors: see the file comment, and
  // the deriver's INVALID_ARGUMENT / FAILED_PRECONDITION as they are).
  grpc::Status Decide(const ScalerTarget& target, absl::Time now, Decision* decision);

  // What DecideFromCache found.
  enum class Cached {
    kMiss,        // nothing to answer from: call Decide
    kFresh,       // answered
    kRefreshDue,  // answered, but the metrics are due to be read again: call
                  // Decide in the background (told to one caller at a time)
  };

  // Decide's answer when it needs neither the metrics source nor a new plan
  // (the steady state: two map lookups, never blocks); `decision` is left
  // alone on a miss. With `allow_stale`, metrics older than metrics_refresh
  // (but less than twice that) still answer, as kRefreshDue: the call is not
  // made to wait for the database or Prometheus (stale-while-revalidate).
  Cached DecideFromCache(const ScalerTarget& target, absl::Time now, Decision* decision,
                         bool allow_stale = false);

  // A plan on this server recorded `current` as the queue's metrics.
  void MetricsRecorded(const std::string& queue, const planner::QueueSample& current);

  // Forgets what is known of `queue`'s metrics and plans (its settings
  // changed, it was reset, or another replica recorded an action); the next
  // decision reads the metrics again and derives a new plan (the old one
  // stays for the fail-safe).
  void QueueChanged(const std::string& queue);

  // The same for every queue.
  void AllQueuesChanged();

  // How many targets held rest on each basis (for metrics and health).
  struct BasisCounts {
    int64_t plan = 0;
    int64_t last_good_plan = 0;
    int64_t hold_current = 0;
  };
  BasisCounts CountByBasis();

 private:
  struct KnownMetrics {
    std::optional<planner::QueueSample> sample;
    bool workers_known = true;  // false: pulled without a workers query
    bool just_pulled = false;   // this call asked Prometheus (copies only)
    // When a caller was last told kRefreshDue for this source.
    absl::Time refresh_told_at = absl::InfinitePast();
    absl::Time fetched_at = absl::InfinitePast();
    uint64_t version = 0;  // changes with the sample
  };
  struct Target {
    std::string queue;
    horizonscale::v1::CapacityPlan plan;  // valid when has_plan
    bool has_plan = false;
    absl::Time plan_valid_until;
    uint64_t metrics_version = 0;  // of the metrics the plan was derived from
    absl::Time last_good_at;
    std::optional<int32_t> current_workers;  // the pool's last known size
    Basis basis = Basis::kPlan;
    absl::Time last_used;
  };

  // The target's current metrics into `known` (a copy). Errors: the source's
  // failure (for the fail-safe) or INVALID_ARGUMENT (a refused query).
  grpc::Status CurrentMetrics(const ScalerTarget& target, absl::Time now, KnownMetrics* known);
  // Pushed metrics: the queue's, read again when older than metrics_refresh_.
  grpc::Status Pushed(const std::string& queue, absl::Time now, KnownMetrics* known);
  // Pulled metrics: the target's, asked again when older than
  // metrics_refresh_.
  grpc::Status Pulled(const ScalerTarget& target, absl::Time now, KnownMetrics* known);
  // The decision of the fail-safe after `failure`; `failure` when there is
  // none to make.
  grpc::Status FailSafe(const ScalerTarget& target, absl::Time now, const grpc::Status& failure,
                        Decision* decision);
  // Fills the decision's numbers from `planned`.
  static void Finish(const ScalerTarget& target, int32_t planned, const Target& state,
                     Decision* decision);
  // Records `basis` for the target, logging a change.
  void SetBasis(const ScalerTarget& target, Target& state, Basis basis,
                const std::string& why);  // requires mutex_
  void EvictIfFull();                     // requires mutex_

  const MetricsLoader load_metrics_;
  const PlanDeriver derive_;
  const MetricsPuller pull_;
  const MetricsRecorder record_;
  const absl::Duration metrics_refresh_;
  const size_t max_targets_;
  std::mutex mutex_;
  std::unordered_map<std::string, KnownMetrics> metrics_;  // by queue; guarded by mutex_
  std::unordered_map<std::string, KnownMetrics> pulled_;   // by target key; guarded by mutex_
  std::unordered_map<std::string, Target> targets_;        // by target key; guarded by mutex_
  uint64_t next_version_ = 1;                              // guarded by mutex_
};

}  // namespace horizonscale::server

#include "server/keda/scaling_decisions.h"

#include <algorithm>

#include <absl/strings/str_cat.h>

#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/common/proto_time.h"
#include "server/keda/replica_metric.h"
#include "server/planner/plan_request.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

const char* BasisName(ScalingDecisions::Basis basis) {
  switch (basis) {
    case ScalingDecisions::Basis::kPlan:
      return "plan";
    case ScalingDecisions::Basis::kLastGoodPlan:
      return "last_good_plan";
    case ScalingDecisions::Basis::kHoldCurrent:
      return "hold_current";
  }
  return "plan";
}

// How long a background read of a source may take before another caller is
// told to start one.
constexpr absl::Duration kRefreshRetryAfter = absl::Seconds(2);

grpc::Status QueueError(grpc::StatusCode code, std::string_view reason, std::string message) {
  return MakeError(code, reason, message, {{"scalerMetadata.queue", message}});
}

}  // namespace

ScalingDecisions::ScalingDecisions(MetricsLoader load_metrics, PlanDeriver derive,
                                   MetricsPuller pull, MetricsRecorder record,
                                   absl::Duration metrics_refresh, size_t max_targets)
    : load_metrics_(std::move(load_metrics)),
      derive_(std::move(derive)),
      pull_(std::move(pull)),
      record_(std::move(record)),
      metrics_refresh_(metrics_refresh),
      max_targets_(std::max<size_t>(max_targets, 1)) {}

void ScalingDecisions::MetricsRecorded(const std::string& queue,
                                       const planner::QueueSample& current) {
  std::lock_guard lock(mutex_);
  KnownMetrics& known = metrics_[queue];
  if (known.sample.has_value() && known.sample->time > current.time) return;  // an older one
  known.sample = current;
  known.version = next_version_++;
  // Not fetched_at: what other replicas stored is still read on schedule.
}

void ScalingDecisions::QueueChanged(const std::string& queue) {
  std::lock_guard lock(mutex_);
  metrics_.erase(queue);
  for (auto& [key, state] : targets_) {
    if (state.queue == queue) state.plan_valid_until = absl::InfinitePast();
  }
}

void ScalingDecisions::AllQueuesChanged() {
  std::lock_guard lock(mutex_);
  metrics_.clear();
  for (auto& [key, state] : targets_) state.plan_valid_until = absl::InfinitePast();
}

grpc::Status ScalingDecisions::Pushed(const std::string& queue, absl::Time now,
                                      KnownMetrics* known) {
  {
    std::lock_guard lock(mutex_);
    auto found = metrics_.find(queue);
    if (found != metrics_.end() && now - found->second.fetched_at < metrics_refresh_) {
      *known = found->second;
      return grpc::Status::OK;
    }
  }
  absl::StatusOr<std::optional<planner::QueueSample>> stored = load_metrics_(queue);
  if (!stored.ok()) {
    return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                     absl::StrCat("the metrics of queue ", queue,
                                  " cannot be read: the database is unreachable"));
  }
  std::lock_guard lock(mutex_);
  KnownMetrics& held = metrics_[queue];
  held.fetched_at = now;
  if (stored->has_value() && (!held.sample.has_value() || (*stored)->time > held.sample->time)) {
    held.sample = *stored;
    held.version = next_version_++;
  }
  *known = held;
  return grpc::Status::OK;
}

grpc::Status ScalingDecisions::Pulled(const ScalerTarget& target, absl::Time now,
                                      KnownMetrics* known) {
  {
    std::lock_guard lock(mutex_);
    auto found = pulled_.find(target.key);
    if (found != pulled_.end() && now - found->second.fetched_at < metrics_refresh_) {
      *known = found->second;
      return grpc::Status::OK;
    }
  }
  planner::QueueSample sample;
  grpc::Status pulled = pull_(*target.prometheus, now, &sample);
  {
    std::lock_guard lock(mutex_);
    KnownMetrics& held = pulled_[target.key];
    held.workers_known = !target.prometheus->workers.empty();
    if (!pulled.ok()) {
      // Asked again on the next call (not cached): the source may be back.
      *known = held;
      return pulled;
    }
    held.fetched_at = now;
    held.sample = sample;
    held.version = next_version_++;
    *known = held;
  }
  known->just_pulled = true;
  return grpc::Status::OK;
}

grpc::Status ScalingDecisions::CurrentMetrics(const ScalerTarget& target, absl::Time now,
                                              KnownMetrics* known) {
  grpc::Status status =
      target.prometheus.has_value() ? Pulled(target, now, known) : Pushed(target.queue, now, known);
  if (!status.ok()) return status;
  if (!known->sample.has_value()) {
    return QueueError(
        grpc::StatusCode::NOT_FOUND, reason::kNotFound,
        absl::StrCat("queue ", target.queue, " has no metrics: report them with GeneratePlan"));
  }
  const absl::Duration age = now - known->sample->time;
  if (age > target.metrics_max_age) {
    return QueueError(
        grpc::StatusCode::FAILED_PRECONDITION, reason::kInvalidMetrics,
        absl::StrCat("the newest metrics of queue ", target.queue, " are ",
                     absl::FormatDuration(absl::Trunc(age, absl::Seconds(1))),
                     " old (metricsMaxAge ", absl::FormatDuration(target.metrics_max_age), ")"));
  }
  return grpc::Status::OK;
}

void ScalingDecisions::SetBasis(const ScalerTarget& target, Target& state, Basis basis,
                                const std::string& why) {
  if (state.basis == basis) return;
  state.basis = basis;
  Log(basis == Basis::kPlan ? spdlog::level::info : spdlog::level::warn, "keda_scaler_basis",
      {{"queue", target.queue}, {"basis", BasisName(basis)}, {"why", why}});
}

void ScalingDecisions::EvictIfFull() {
  if (targets_.size() < max_targets_) return;
  auto oldest = std::min_element(
      targets_.begin(), targets_.end(),
      [](const auto& a, const auto& b) { return a.second.last_used < b.second.last_used; });
  targets_.erase(oldest);
}

void ScalingDecisions::Finish(const ScalerTarget& target, int32_t planned, const Target& state,
                              Decision* decision) {
  decision->planned_workers = planned;
  decision->metric = HpaMetric(planned, state.current_workers, target.hpa_tolerance);
  decision->active = planned > 0;
  decision->basis = state.basis;
}

grpc::Status ScalingDecisions::FailSafe(const ScalerTarget& target, absl::Time now,
                                        const grpc::Status& failure, Decision* decision) {
  std::lock_guard lock(mutex_);
  auto found = targets_.find(target.key);
  if (found == targets_.end()) return failure;
  Target& state = found->second;
  state.last_used = now;
  if (state.has_plan && now - state.last_good_at <= target.plan_expiry) {
    SetBasis(target, state, Basis::kLastGoodPlan, failure.error_message());
    Finish(target, PlannedWorkersAt(state.plan, now), state, decision);
    return grpc::Status::OK;
  }
  if (state.current_workers.has_value()) {
    SetBasis(target, state, Basis::kHoldCurrent, failure.error_message());
    Finish(target, std::max(1, *state.current_workers), state, decision);
    return grpc::Status::OK;
  }
  return failure;
}

ScalingDecisions::Cached ScalingDecisions::DecideFromCache(const ScalerTarget& target,
                                                           absl::Time now, Decision* decision,
                                                           bool allow_stale) {
  std::lock_guard lock(mutex_);
  auto& source = target.prometheus.has_value() ? pulled_ : metrics_;
  auto metrics = source.find(target.prometheus.has_value() ? target.key : target.queue);
  if (metrics == source.end() || !metrics->second.sample.has_value() ||
      now - metrics->second.sample->time > target.metrics_max_age) {
    return Cached::kMiss;
  }
  KnownMetrics& known = metrics->second;
  const absl::Duration age = now - known.fetched_at;
  const bool fresh = age < metrics_refresh_;
  if (!fresh && !(allow_stale && age < 2 * metrics_refresh_)) return Cached::kMiss;
  auto found = targets_.find(target.key);
  if (found == targets_.end() || !found->second.has_plan ||
      found->second.metrics_version != known.version || now >= found->second.plan_valid_until) {
    return Cached::kMiss;
  }
  Target& state = found->second;
  state.last_used = now;
  SetBasis(target, state, Basis::kPlan, "the queue's metrics are back");
  Finish(target, PlannedWorkersAt(state.plan, now), state, decision);
  if (fresh) return Cached::kFresh;
  // One background read at a time (again after a while, should it fail).
  if (now - known.refresh_told_at < kRefreshRetryAfter) return Cached::kFresh;
  known.refresh_told_at = now;
  return Cached::kRefreshDue;
}

grpc::Status ScalingDecisions::Decide(const ScalerTarget& target, absl::Time now,
                                      Decision* decision) {
  if (DecideFromCache(target, now, decision) == Cached::kFresh) return grpc::Status::OK;
  KnownMetrics metrics;
  if (grpc::Status current = CurrentMetrics(target, now, &metrics); !current.ok()) {
    if (current.error_code() == grpc::StatusCode::INVALID_ARGUMENT) return current;
    return FailSafe(target, now, current, decision);
  }
  const planner::QueueSample& sample = *metrics.sample;

  // Without a workers query the pool is taken to be what the scaler last
  // asked for (the HPA applies it), 0 at first.
  int32_t assumed_workers = 0;
  {  // The cached plan, while it holds.
    std::lock_guard lock(mutex_);
    auto found = targets_.find(target.key);
    if (found != targets_.end() && found->second.has_plan) {
      Target& state = found->second;
      if (state.metrics_version == metrics.version && now < state.plan_valid_until) {
        state.last_used = now;
        SetBasis(target, state, Basis::kPlan, "the queue's metrics are back");
        Finish(target, PlannedWorkersAt(state.plan, now), state, decision);
        return grpc::Status::OK;
      }
      assumed_workers = PlannedWorkersAt(state.plan, now);
    }
  }

  v1::GeneratePlanRequest request;
  request.set_queue(target.queue);
  *request.mutable_current_metrics() = ToQueueMetrics(sample);
  if (!metrics.workers_known)
    request.mutable_current_metrics()->set_current_workers(assumed_workers);
  *request.mutable_slo() = target.slo;
  *request.mutable_config() = target.config;
  v1::GeneratePlanResponse response;
  if (grpc::Status derived = derive_(request, response); !derived.ok()) {
    if (derived.error_code() != grpc::StatusCode::UNAVAILABLE) return derived;
    return FailSafe(target, now, derived, decision);
  }

  // Pulled metrics join the queue's history (outside the lock: the
  // recording calls back).
  if (metrics.just_pulled && record_) record_(request);

  std::lock_guard lock(mutex_);
  if (!targets_.contains(target.key)) EvictIfFull();
  Target& state = targets_[target.key];
  state.queue = target.queue;
  state.plan = std::move(*response.mutable_plan());
  state.has_plan = true;
  state.plan_valid_until = ToAbslTime(state.plan.valid_until_time());
  state.metrics_version = metrics.version;
  state.last_good_at = now;
  state.current_workers =
      metrics.workers_known ? std::optional<int32_t>(sample.workers) : std::nullopt;
  state.last_used = now;
  SetBasis(target, state, Basis::kPlan, "a plan from the queue's metrics");
  Finish(target, PlannedWorkersAt(state.plan, now), state, decision);
  return grpc::Status::OK;
}

ScalingDecisions::BasisCounts ScalingDecisions::CountByBasis() {
  BasisCounts counts;
  std::lock_guard lock(mutex_);
  for (const auto& [key, target] : targets_) {
    switch (target.basis) {
      case Basis::kPlan:
        ++counts.plan;
        break;
      case Basis::kLastGoodPlan:
        ++counts.last_good_plan;
        break;
      case Basis::kHoldCurrent:
        ++counts.hold_current;
        break;
    }
  }
  return counts;
}

}  // namespace horizonscale::server

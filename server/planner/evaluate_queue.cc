#include "server/planner/evaluate_queue.h"

#include <map>
#include <set>
#include <string>

#include <absl/strings/str_cat.h>

#include "queueing/queueing.h"
#include "server/common/errors.h"
#include "server/common/field_checks.h"
#include "server/planner/queue_checks.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

void ToProto(const queueing::QueueMetrics& in, v1::QueueEvaluation& out) {
  out.set_workers(in.workers);
  out.set_stable(in.stable);
  out.set_utilization(in.utilization);
  out.set_probability_of_wait(in.probability_of_wait);
  out.set_mean_queue_length(in.mean_queue_length);
  out.set_mean_wait_seconds(in.mean_wait);
  out.set_mean_response_seconds(in.mean_response);
  out.set_wait_p50_seconds(in.wait_p50);
  out.set_wait_p95_seconds(in.wait_p95);
  out.set_wait_p99_seconds(in.wait_p99);
  out.set_response_p50_seconds(in.response_p50);
  out.set_response_p95_seconds(in.response_p95);
  out.set_response_p99_seconds(in.response_p99);
  out.set_blocking_probability(in.blocking_probability);
  out.set_effective_arrival_rate_per_second(in.effective_arrival_rate);
  out.set_method(in.method);
}

queueing::Model ToModel(v1::QueueingModel model) {
  switch (model) {
    case v1::QUEUEING_MODEL_MM1:
      return queueing::Model::kMM1;
    case v1::QUEUEING_MODEL_MMCK:
      return queueing::Model::kMMcK;
    case v1::QUEUEING_MODEL_MGC:
      return queueing::Model::kMGc;
    default:
      return queueing::Model::kMMc;
  }
}

}  // namespace

grpc::Status EvaluateQueue(const v1::EvaluateQueueRequest& request,
                           v1::EvaluateQueueResponse* response) {
  FieldChecks checks;
  checks.Number("arrival_rate_per_second", request.arrival_rate_per_second(), 0, 1e9,
                reason::kInvalidMetrics);
  checks.Number("mean_service_time_seconds", request.mean_service_time_seconds(), 0, 1e6,
                reason::kInvalidMetrics, /*min_open=*/true);
  if (request.has_service_time_stddev_seconds()) {
    checks.Number("service_time_stddev_seconds", request.service_time_stddev_seconds(), 0, 1e6,
                  reason::kInvalidMetrics);
  }
  if (!v1::QueueingModel_IsValid(request.model())) {
    checks.Fail("model", absl::StrCat("unknown queueing model ", request.model()),
                reason::kModelNotSupported);
  }
  const queueing::Model model = ToModel(request.model());
  const bool counts_bounded = checks.Size("worker_counts", request.worker_counts_size(),
                                          kMaxEvaluatedWorkerCounts, reason::kConfigInvalid);
  if (counts_bounded) {
    for (int i = 0; i < request.worker_counts_size(); ++i) {
      checks.Integer(absl::StrCat("worker_counts[", i, "]"), request.worker_counts(i), 1,
                     model == queueing::Model::kMM1 ? 1 : queueing::kMaxWorkers,
                     reason::kConfigInvalid);
    }
  }
  if (model == queueing::Model::kMMcK) {
    if (!request.has_system_capacity()) {
      checks.Fail("system_capacity", "is required for QUEUEING_MODEL_MMCK", reason::kConfigInvalid);
    } else {
      checks.Integer("system_capacity", request.system_capacity(), 1, queueing::kMaxSystemCapacity,
                     reason::kConfigInvalid);
      for (int i = 0; counts_bounded && i < request.worker_counts_size(); ++i) {
        if (request.worker_counts(i) > request.system_capacity()) {
          checks.Fail(absl::StrCat("worker_counts[", i, "]"), "must not exceed system_capacity",
                      reason::kConfigInvalid);
        }
      }
    }
  }
  if (request.has_max_utilization()) {
    checks.Number("max_utilization", request.max_utilization(), 0, 1, reason::kConfigInvalid,
                  /*min_open=*/true);
  }
  if (request.has_max_workers()) {
    checks.Integer("max_workers", request.max_workers(), 1, queueing::kMaxWorkers,
                   reason::kConfigInvalid);
  }
  const bool has_slo = request.has_slo();
  if (has_slo) CheckSlo(request.slo(), checks);
  if (request.worker_counts_size() == 0 && !has_slo) {
    checks.Fail("worker_counts", "is empty and no slo was given: nothing to evaluate",
                reason::kConfigInvalid);
  }
  if (!checks.ok()) return checks.ToStatus();

  const std::set<int> distinct(request.worker_counts().begin(), request.worker_counts().end());
  if (model == queueing::Model::kMMcK) {
    const int64_t evaluations =
        static_cast<int64_t>(distinct.size()) + (has_slo ? kMmckSearchEvaluations : 0);
    const int64_t states = evaluations * (request.system_capacity() + kMmckFixedStates);
    if (states > kMaxMmckStates) {
      const std::string message = absl::StrCat(
          "M/M/c/K work of ", evaluations, " evaluations", has_slo ? " (with the SLO search)" : "",
          " over system_capacity ", request.system_capacity(), " is ", states,
          " states, above the limit of ", kMaxMmckStates,
          ": ask for fewer worker counts or a smaller system_capacity");
      return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kEvaluationTooLarge, message,
                       {{"system_capacity", message}, {"worker_counts", message}});
    }
  }

  queueing::PoolSpec pool;
  pool.model = model;
  pool.arrival_rate = request.arrival_rate_per_second();
  pool.mean_service_time = request.mean_service_time_seconds();
  pool.service_time_stddev = request.has_service_time_stddev_seconds()
                                 ? request.service_time_stddev_seconds()
                                 : request.mean_service_time_seconds();
  pool.system_capacity = request.system_capacity();
  std::map<int, v1::QueueEvaluation> evaluated;  // each distinct count once
  for (int workers : distinct) {
    pool.workers = workers;
    absl::StatusOr<queueing::QueueMetrics> metrics = queueing::Evaluate(pool);
    if (!metrics.ok()) return FromAbsl(metrics.status(), reason::kConfigInvalid);
    ToProto(*metrics, evaluated[workers]);
  }
  for (int workers : request.worker_counts()) *response->add_evaluations() = evaluated[workers];
  if (has_slo) {
    queueing::CapacityTarget target;
    if (request.slo().has_p95_latency_seconds()) {
      target.response_p95 = request.slo().p95_latency_seconds();
    }
    if (request.slo().has_max_backlog()) {
      target.max_backlog = static_cast<double>(request.slo().max_backlog());
    }
    if (request.has_max_utilization()) target.max_utilization = request.max_utilization();
    if (request.has_max_workers()) target.max_workers = request.max_workers();
    absl::StatusOr<queueing::CapacityResult> result = queueing::FindMinimumWorkers(pool, target);
    if (!result.ok()) return FromAbsl(result.status(), reason::kConfigInvalid);
    v1::CapacityRecommendation* recommendation = response->mutable_recommendation();
    recommendation->set_achievable(result->achievable);
    recommendation->set_workers(result->workers);
    recommendation->set_reason(result->reason);
    ToProto(result->metrics, *recommendation->mutable_evaluation());
  }
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

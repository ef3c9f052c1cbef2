#include "planner/sizing.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace horizonscale::planner {

double ServiceTimeStddev(const QueueSample& service, bool general) {
  const double mean = service.mean_service_time;
  if (!general) return mean;
  if (service.service_time_stddev.has_value()) return *service.service_time_stddev;
  if (!service.service_time_p95.has_value() || *service.service_time_p95 <= 0) return mean;
  constexpr double kZ95 = 1.6448536269514722;
  // ln(p95 / mean) = z σ − σ²/2 has a real root while ln(p95 / mean) <= z²/2.
  const double log_ratio = std::min(std::log(*service.service_time_p95 / mean), kZ95 * kZ95 / 2);
  const double sigma = kZ95 - std::sqrt(std::max(0.0, kZ95 * kZ95 - 2 * log_ratio));
  return mean * std::sqrt(std::expm1(sigma * sigma));
}

Sizer::Sizer(const QueueSample& service, const Slo& slo, const PlannerConfig& config)
    : min_workers_(config.min_workers) {
  pool_.model = config.queueing_model;
  pool_.mean_service_time = service.mean_service_time;
  pool_.service_time_stddev = ServiceTimeStddev(service, config.general_service_time);
  if (slo.p95_latency.has_value()) slo_target_.response_p95 = *slo.p95_latency;
  if (slo.max_backlog.has_value()) slo_target_.max_backlog = static_cast<double>(*slo.max_backlog);
  slo_target_.tail = slo.error_budget.value_or(kDefaultErrorBudget);
  slo_target_.max_workers = std::max(1, config.max_workers);
}

absl::StatusOr<queueing::QueueMetrics> Sizer::Evaluate(double rate, int workers) const {
  queueing::PoolSpec pool = pool_;
  pool.arrival_rate = std::max(0.0, rate);
  pool.workers = workers;
  if (pool.model == queueing::Model::kMM1) {
    pool.arrival_rate /= workers;
    pool.workers = 1;
  }
  return queueing::Evaluate(pool);
}

bool Sizer::Meets(const queueing::QueueMetrics& metrics) const {
  if (!metrics.stable) return false;
  if (slo_target_.response_p95 > 0 && metrics.response_p95 > slo_target_.response_p95) {
    return false;
  }
  return slo_target_.max_backlog < 0 || metrics.queue_length_p95 <= slo_target_.max_backlog;
}

Requirement Sizer::RequiredSplitQueues(double rate, double max_utilization) const {
  const int max_workers = slo_target_.max_workers;
  auto fits = [&](int workers) {
    absl::StatusOr<queueing::QueueMetrics> metrics = Evaluate(rate, workers);
    return metrics.ok() && Meets(*metrics) && metrics->utilization <= max_utilization;
  };
  Requirement requirement;
  if (!fits(max_workers)) {
    requirement.workers = max_workers;
    requirement.achievable = false;
    requirement.reason = "the SLO is not met even with max_workers split queues";
  } else {
    int lo = 0, hi = max_workers;  // fits(hi), !fits(lo) (lo = 0 never fits)
    while (hi - lo > 1) {
      const int mid = lo + (hi - lo) / 2;
      (fits(mid) ? hi : lo) = mid;
    }
    requirement.workers = hi;
    requirement.reason = "least split queues meeting the SLO and utilization ceiling";
  }
  requirement.workers =
      std::clamp(requirement.workers, std::min(min_workers_, max_workers), max_workers);
  return requirement;
}

Requirement Sizer::Required(double rate, double max_utilization) const {
  if (!(rate > 0)) {
    Requirement idle;
    idle.workers = std::min(min_workers_, std::max(1, slo_target_.max_workers));
    idle.reason = "no arrivals: min_workers";
    return idle;
  }
  if (pool_.model == queueing::Model::kMM1) return RequiredSplitQueues(rate, max_utilization);
  queueing::PoolSpec pool = pool_;
  pool.arrival_rate = std::max(0.0, rate);
  queueing::CapacityTarget target = slo_target_;
  target.max_utilization = max_utilization;
  Requirement requirement;
  absl::StatusOr<queueing::CapacityResult> result =
      queueing::FindMinimumWorkers(pool, target, queueing::ResultDetail::kWorkersOnly);
  if (!result.ok()) {  // inputs were validated upstream; report rather than crash
    requirement.workers = target.max_workers;
    requirement.achievable = false;
    requirement.reason = std::string(result.status().message());
    return requirement;
  }
  requirement.achievable = result->achievable;
  requirement.reason = result->reason;
  requirement.workers =
      std::clamp(result->workers, std::min(min_workers_, target.max_workers), target.max_workers);
  return requirement;
}

double Sizer::Utilization(double rate, int workers) const {
  if (workers <= 0) return rate > 0 ? std::numeric_limits<double>::infinity() : 0;
  return std::max(0.0, rate) * pool_.mean_service_time / workers;
}

bool Sizer::MeetsSlo(double rate, int workers) const {
  if (workers <= 0) return rate <= 0;
  if (pool_.model == queueing::Model::kMM1) {
    absl::StatusOr<queueing::QueueMetrics> metrics = Evaluate(rate, workers);
    return metrics.ok() && Meets(*metrics);
  }
  queueing::PoolSpec pool = pool_;
  pool.arrival_rate = std::max(0.0, rate);
  pool.workers = workers;
  return queueing::MeetsTarget(pool, slo_target_);
}

double Sizer::MissProbability(double rate, int workers) const {
  if (workers <= 0) return rate > 0 ? 1 : 0;
  queueing::PoolSpec pool = pool_;
  pool.arrival_rate = std::max(0.0, rate);
  pool.workers = workers;
  if (pool.model == queueing::Model::kMM1) {  // every split queue alike
    pool.arrival_rate /= workers;
    pool.workers = 1;
  }
  return queueing::MissProbability(pool, slo_target_);
}

queueing::CostOptimum Sizer::CostOptimal(double rate, double worker_cost_per_hour,
                                         double violation_cost_per_hour) const {
  const int max_workers = slo_target_.max_workers;
  const int min_workers = std::min(min_workers_, max_workers);
  auto cost_at = [&](int workers) {
    const double miss = MissProbability(rate, workers);
    return queueing::CostOptimum{workers, miss,
                                 workers * worker_cost_per_hour + violation_cost_per_hour * miss};
  };
  queueing::CostOptimum best;
  if (pool_.model == queueing::Model::kMM1) {
    // Split queues: scan the stable counts upward, O(1) per count, as
    // FindCostOptimalWorkers does for a shared queue.
    const double least_stable = std::floor(std::max(0.0, rate) * pool_.mean_service_time) + 1;
    best.expected_cost_per_hour = std::numeric_limits<double>::infinity();
    for (int c = static_cast<int>(std::min<double>(least_stable, max_workers + 1.0));
         c <= max_workers && c * worker_cost_per_hour < best.expected_cost_per_hour; ++c) {
      const queueing::CostOptimum candidate = cost_at(c);
      if (candidate.expected_cost_per_hour < best.expected_cost_per_hour) best = candidate;
      if (candidate.miss_probability == 0) break;
    }
    if (best.workers == 0) best = cost_at(max_workers);  // no stable count
  } else {
    queueing::PoolSpec pool = pool_;
    pool.arrival_rate = std::max(0.0, rate);
    absl::StatusOr<queueing::CostOptimum> found = queueing::FindCostOptimalWorkers(
        pool, slo_target_, worker_cost_per_hour, violation_cost_per_hour);
    best = found.ok() ? *found : cost_at(max_workers);  // inputs are validated upstream
  }
  // min_workers may hold more workers than the optimum.
  return best.workers < min_workers ? cost_at(min_workers) : best;
}

}  // namespace horizonscale::planner

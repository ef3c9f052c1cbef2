// Sizing a pool for an arrival rate with the configured queueing model.
#pragma once

#include <string>

#include "planner/plan.h"
#include "queueing/queueing.h"

namespace horizonscale::planner {

// The service-time standard deviation the sizing assumes:
// - exponential service (`general` false): the mean;
// - general service: the reported stddev; else, when a P95 is reported, the
//   stddev of the lognormal with that mean and P95 (σ_ln solves
//   ln(p95/mean) = 1.645 σ − σ²/2; stddev = mean · sqrt(e^{σ²} − 1)), which
//   exists for p95/mean up to e^{1.645²/2} ≈ 3.87 (above, the bound itself is
//   used); else the mean.
double ServiceTimeStddev(const QueueSample& service, bool general);

// The least worker count for a rate, as the queueing library finds it.
struct Requirement {
  int workers = 0;         // clamped to [min_workers, max_workers]
  bool achievable = true;  // false when even max_workers misses the SLO
  std::string reason;      // binding constraint, or why not achievable
};

// Sizes one pool (fixed service time and model) for varying arrival rates.
// The SLO's latency and backlog targets are met when at most its error
// budget (default 0.05) of jobs exceed the latency target and of time exceeds
// max_backlog.
// With the M/M/1 model each worker has its own queue and arrivals are split
// evenly (c independent M/M/1 queues at λ/c); the other models share one
// queue. Thread-compatible; cheap to copy.
class Sizer {
 public:
  // `service` supplies the service-time figures of the pool.
  Sizer(const QueueSample& service, const Slo& slo, const PlannerConfig& config);

  // The least workers meeting the SLO with utilization <= max_utilization at
  // `rate` (jobs/s, >= 0), clamped to [min_workers, max_workers]. No
  // arrivals need no worker (then min_workers, which may be 0: scale to
  // zero).
  Requirement Required(double rate, double max_utilization) const;

  // Utilization of `workers` workers at `rate` (may exceed 1).
  double Utilization(double rate, int workers) const;

  // Whether `workers` meet the SLO (and stability) at `rate`.
  bool MeetsSlo(double rate, int workers) const;

  // The probability of missing the SLO's latency or backlog target with
  // `workers` at `rate` (queueing::MissProbability; 1 when unstable, 0 when
  // the SLO sets neither target and the pool is stable).
  double MissProbability(double rate, int workers) const;

  // The workers in [min_workers, max_workers] minimising worker cost +
  // violation cost × MissProbability at `rate` (queueing::
  // FindCostOptimalWorkers, over the stable counts).
  queueing::CostOptimum CostOptimal(double rate, double worker_cost_per_hour,
                                    double violation_cost_per_hour) const;

  // Mean service time of one job, seconds.
  double mean_service_time() const { return pool_.mean_service_time; }

 private:
  // Metrics of `workers` workers at `rate` under the configured model.
  absl::StatusOr<queueing::QueueMetrics> Evaluate(double rate, int workers) const;
  // Whether `metrics` meet the SLO targets.
  bool Meets(const queueing::QueueMetrics& metrics) const;
  // Required() for the split-queue M/M/1 model: binary search over c.
  Requirement RequiredSplitQueues(double rate, double max_utilization) const;

  queueing::PoolSpec pool_;
  // The SLO's latency and backlog targets with the error budget as tail.
  queueing::CapacityTarget slo_target_;
  int min_workers_;
};

}  // namespace horizonscale::planner

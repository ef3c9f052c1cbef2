// Queueing models of a pool of identical workers fed by one FIFO queue:
// M/M/1, M/M/c (Erlang C), M/M/c/K (finite system) and M/G/c (Allen-Cunneen).
//
// Pure functions on plain values: no I/O, no allocation beyond the returned
// strings, thread-safe. Times are in seconds, rates in jobs per second.
//
// Stability: a model with an infinite queue and ρ = λ/(cμ) >= 1 is reported as
// unstable (`stable == false`) with the waiting and response figures set to
// +infinity, never NaN. M/M/c/K is always stable.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/statusor.h>

namespace horizonscale::queueing {

enum class Model { kMM1, kMMc, kMMcK, kMGc };

// The pool and its load.
struct PoolSpec {
  Model model = Model::kMMc;
  double arrival_rate = 0;       // λ, jobs per second, finite and >= 0
  double mean_service_time = 0;  // 1/μ, seconds, finite and > 0
  // Standard deviation of the service time, seconds, >= 0. Used by kMGc only
  // (the other models assume exponential service, stddev = mean).
  double service_time_stddev = 0;
  int workers = 1;              // c, in [1, kMaxWorkers]; kMM1 requires 1
  int64_t system_capacity = 0;  // K for kMMcK (jobs waiting + in service), K >= c
};

inline constexpr int kMaxWorkers = 100'000;
inline constexpr int64_t kMaxSystemCapacity = 10'000'000;

// Steady-state figures of a pool.
struct QueueMetrics {
  int workers = 0;
  bool stable = true;
  double utilization = 0;          // ρ = λ_eff / (c μ)
  double probability_of_wait = 0;  // P(an admitted job waits)
  double mean_queue_length = 0;    // Lq, jobs waiting
  // 95th percentile of the number waiting: the smallest integer k with
  // P(Nq > k) <= 0.05 (for M/M/c, P(Nq > k) = C ρ^{k+1}).
  double queue_length_p95 = 0;
  double mean_wait = 0;                                         // Wq, seconds
  double mean_response = 0;                                     // W = Wq + 1/μ, seconds
  double wait_p50 = 0, wait_p95 = 0, wait_p99 = 0;              // seconds
  double response_p50 = 0, response_p95 = 0, response_p99 = 0;  // seconds
  double blocking_probability = 0;                              // kMMcK: P(arrival finds K jobs)
  double effective_arrival_rate = 0;                            // λ (1 - blocking)
  std::string method;                                           // how the percentiles were obtained
};

// Evaluates `pool`. Returns INVALID_ARGUMENT naming the field (model,
// arrival_rate, mean_service_time, service_time_stddev, workers,
// system_capacity) when an input is NaN, infinite, negative or out of range.
// For kMMcK the waiting and response figures are those of admitted jobs.
// `method` says how the figures were obtained (exact, or the approximation
// used for kMGc).
absl::StatusOr<QueueMetrics> Evaluate(const PoolSpec& pool);

// Erlang B blocking probability for offered load a = λ/μ >= 0 and c >= 0
// servers, by the recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1));
// finite for any c. O(c). NaN for a NaN or negative load or c < 0.
double ErlangB(double offered_load, int servers);

// Erlang C probability of waiting for offered load a and c servers:
// C = B / (1 - ρ (1 - B)) with ρ = a / c; 1 when a >= c. O(c). NaN for a
// NaN or negative load or c < 0.
double ErlangC(double offered_load, int servers);

// What the least worker count must satisfy. Unset targets (response_p95 = 0
// or +inf, max_backlog < 0 or +inf, max_blocking = 1) are not enforced; NaN
// and negative response_p95 are invalid.
struct CapacityTarget {
  double response_p95 = 0;  // seconds, >= 0; 0 = not enforced
  // Backlog target on the number of jobs waiting, compared with the 95th
  // percentile of the queue length (queue_length_p95); < 0 = not enforced.
  double max_backlog = -1;
  double max_utilization = 1;     // ceiling on ρ, in (0, 1]; 1 = stability only
  int max_workers = kMaxWorkers;  // in [1, kMaxWorkers]
  // kMMcK only: ceiling on blocking_probability, in [0, 1]; 1 = not enforced.
  // (Without it a tiny pool that turns most arrivals away can meet the
  // latency and utilization targets of the jobs it admits.)
  double max_blocking = 1;
  // The tail the response and backlog targets allow, in (0, 1): the share of
  // jobs whose response time may exceed response_p95 (P(T > target) <= tail)
  // and the share of time the number waiting may exceed max_backlog
  // (P(Nq > max_backlog) <= tail). The default 0.05 makes both targets 95th
  // percentiles; an SLO's error budget of 0.001 makes them 99.9th.
  double tail = 0.05;
};

struct CapacityResult {
  bool achievable = false;  // some c <= max_workers meets every target
  int workers = 0;          // least such c; max_workers when not achievable
  QueueMetrics metrics;     // at `workers`
  std::string reason;       // binding constraint, or why none suffices
};

// How much FindMinimumWorkers reports about its answer.
enum class ResultDetail {
  kWithMetrics,  // CapacityResult::metrics filled (one full Evaluate)
  kWorkersOnly,  // metrics left default: for callers that only need the count
};

// The least c in [max(1, lower bound), max_workers] meeting `target`, using
// that every figure is monotone in c (search, not a blind scan). pool.workers
// is ignored. For kMM1 only c = 1 is considered. For kMMcK, K =
// pool.system_capacity is held fixed and c <= K: the search is capped at
// min(max_workers, K), which is also `workers` when not achievable. Returns
// INVALID_ARGUMENT for invalid inputs as Evaluate does, or for a target out of
// range (field named: response_p95, max_backlog, max_utilization,
// max_workers, max_blocking).
//
// A response_p95 target is met when P(response > target) <= target.tail
// (0.05: response_p95 <= target), evaluated without solving for the
// percentile; a backlog target when P(Nq > max_backlog) <= target.tail.
// Complexity: O(c) for Erlang B (advanced incrementally, ~3c steps in all)
// plus O(log c) evaluations of the targets (exponential then binary search
// above the stability/utilization lower bound) plus one full Evaluate
// (skipped with ResultDetail::kWorkersOnly).
absl::StatusOr<CapacityResult> FindMinimumWorkers(const PoolSpec& pool,
                                                  const CapacityTarget& target,
                                                  ResultDetail detail = ResultDetail::kWithMetrics);

// Whether `pool` (at pool.workers) meets every constraint of `target`
// (max_workers aside), decided as FindMinimumWorkers decides it: the response
// target as P(T > target) <= target.tail, without solving for percentiles.
// False for invalid inputs.
bool MeetsTarget(const PoolSpec& pool, const CapacityTarget& target);

// The probability that `pool` (at pool.workers) misses the response or the
// backlog target of `target`: the larger of P(T > response_p95) for an
// arriving job and P(Nq > max_backlog) at a random instant, over the targets
// enforced; 1 when the pool is unstable (whatever the targets), else 0 when
// neither target is enforced.
// (The tail, utilization and blocking fields are not used.) NaN for invalid
// inputs.
double MissProbability(const PoolSpec& pool, const CapacityTarget& target);

// The worker count that minimises the expected cost per hour,
//   c · worker_cost_per_hour + violation_cost_per_hour · MissProbability(c),
// over the stable counts c in [floor(λ s) + 1, max_workers] (c = 1 only for
// kMM1; c in [1, K] for kMMcK), with the figures there: an unstable pool is
// never an option, however cheap violations are, because its backlog grows
// without bound. Ties go to the fewer workers. When no count is stable, the
// answer is max_workers with miss probability 1. pool.workers and target's
// utilization, blocking and tail fields are ignored. The scan stops once
// worker cost alone reaches the best total, or the miss probability reaches
// 0: O(c*) steps, O(max_workers) when workers are free.
// INVALID_ARGUMENT as FindMinimumWorkers, or for a cost that is negative or
// not finite (field named).
struct CostOptimum {
  int workers = 0;
  double miss_probability = 1;
  double expected_cost_per_hour = 0;  // worker cost + violation cost × miss probability
};
absl::StatusOr<CostOptimum> FindCostOptimalWorkers(const PoolSpec& pool,
                                                   const CapacityTarget& target,
                                                   double worker_cost_per_hour,
                                                   double violation_cost_per_hour);

// Observed figures of a running pool, any of which may be missing (< 0).
struct ServiceObservation {
  double mean_service_time = -1;  // seconds, as reported by the workers
  double throughput = -1;         // completed jobs per second
  double utilization = -1;        // busy fraction of the workers, [0, 1]
  double active_jobs = -1;        // jobs in service (busy workers)
  int workers = -1;               // workers running
};

struct ServiceRateEstimate {
  double service_rate = 0;  // μ, jobs per second per worker
  double confidence = 0;    // [0, 1]: agreement of the estimators used
  std::string method;       // which estimators were combined
};

// Estimates μ from whatever `observation` offers: the reported mean service
// time, throughput / (utilization · workers), and throughput / active jobs
// (Little's law on the servers). Returns INVALID_ARGUMENT when no estimator
// is usable or a value is NaN/infinite/out of range.
absl::StatusOr<ServiceRateEstimate> EstimateServiceRate(const ServiceObservation& observation);

}  // namespace horizonscale::queueing

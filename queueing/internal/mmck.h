// M/M/c/K: c servers, at most K jobs in the system (waiting + in service);
// arrivals that find K jobs are lost. Internal to hs_queueing.
#pragma once

#include <cstdint>

#include "queueing/internal/erlang.h"
#include "queueing/queueing.h"

namespace horizonscale::queueing::internal {

// Stationary distribution of the birth-death chain, p_n ∝ a^n/n! for n <= c
// and p_n = p_c ρ^{n−c} for c < n <= K (ρ = a/c), held in closed form: the
// n <= c part is 1/B(a, c) times p_c (Erlang B), the tail is geometric. Every
// sum is a geometric series evaluated in log space (no factorial, no ρ^K
// overflow), so c up to kMaxWorkers and K up to kMaxSystemCapacity cost O(1)
// beyond Erlang B (O(c)). ρ may exceed 1.
//
// Waiting and response times are those of admitted jobs. An admitted arrival
// that finds n >= c jobs waits Erlang(n − c + 1, cμ); the service Exp(μ) is a
// geometric number (success 1/c) of Exp(cμ) phases, so wait and response are
// both Erlang(N, cμ) mixtures and P(X > t) = Σ_i Poisson(i; cμt) P(N > i).
// Those sums are taken over the Poisson window mean ± (12 sd + 12) (the rest
// is below e^{−72}), O(sqrt(cμt)) terms per evaluation.
class MMcKModel {
 public:
  // Inputs validated by the caller: λ >= 0, s > 0, 1 <= c <= K; `erlang_b`
  // advanced to c for a = λ s.
  MMcKModel(double arrival_rate, double mean_service, int servers, int64_t capacity,
            const ErlangBStepper& erlang_b);

  double blocking() const { return blocking_; }     // p_K
  double admitted() const { return admitted_; }     // 1 − p_K
  double prob_wait() const { return prob_wait_; }   // P(admitted job waits)
  double utilization() const;                       // λ(1 − p_K)/(cμ)
  double mean_queue_length() const { return lq_; }  // Lq
  double mean_wait() const;                         // Lq / λ_eff (0 when λ = 0)

  // P(Nq > k), time-stationary (k >= 0).
  double QueueTail(int64_t k) const;
  // Smallest integer k >= 0 with P(Nq > k) <= 1 − p (binary search).
  double QueueQuantile(double p) const;
  // P(W > t) and P(T > t) for an admitted job.
  double WaitSurvival(double t) const;
  double ResponseSurvival(double t) const;
  // Their p-quantiles by Brent's method (brackets from Markov's inequality).
  double WaitQuantile(double p) const;
  double ResponseQuantile(double p) const;

  // Every figure of QueueMetrics.
  QueueMetrics Metrics() const;

 private:
  // P(K_w = k), K_w = number of Exp(cμ) phases of the wait (0 = no wait).
  double PhaseProbability(int64_t k) const;
  // P(K_w = k) from `previous` = P(K_w = k − 1) by one factor ρ, or in
  // closed form when ρ > 1 and `previous` is tiny (it may have underflowed
  // and would stay 0, or be subnormal and carry few significant digits).
  double NextPhaseProbability(int64_t k, double previous) const;
  // P(K_w > i) for i >= 0.
  double PhaseTail(int64_t i) const;

  double lambda_;
  double mean_service_;
  double a_;
  int c_;
  int64_t m_;       // K − c: places in the queue
  double log_rho_;  // ln ρ (any sign)
  double rho_ = 0;  // ρ
  double log_pc_;   // ln p_c
  double log_w1_;   // ln P(K_w = 1) = ln(p_c / (1 − p_K))
  double blocking_ = 0;
  double admitted_ = 1;
  double prob_wait_ = 0;
  double lq_ = 0;
};

// Contract: exact M/M/c/K figures at `servers` with K = pool.system_capacity.
QueueMetrics EvaluateMMcK(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b);

}  // namespace horizonscale::queueing::internal

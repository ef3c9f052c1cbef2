// M/M/c/K: finite system capacity K >= c (see internal/mmck.h).
#include "queueing/internal/mmck.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "queueing/internal/numerics.h"
#include "queueing/internal/root_finding.h"

namespace horizonscale::queueing::internal {
namespace {

// The Poisson window [mean − width, mean + width] outside which the mass is
// below e^{−72}.
double PoissonWindowHalfWidth(double mean) { return 12 * std::sqrt(mean) + 12; }

// Re-anchor the running recurrences on their closed forms this often, so
// rounding cannot drift over long windows.
constexpr int64_t kReanchorEvery = 1024;

// Below this a phase probability is recomputed in closed form instead of
// multiplied up by ρ > 1: it may have underflowed to 0 or be subnormal (few
// significant digits), and ρ^k can bring it to significance within a window.
constexpr double kRecurrenceFloor = 1e-250;

// Above this Poisson mean a survival first tries a tail bound: summing its
// window would take 12·sqrt(mean) terms or more.
constexpr double kLargePoissonMean = 1e6;

// Survival values below this are returned as 0: every use of them (tails of
// 1e-6 and up) is decided long before.
constexpr double kNegligible = 1e-200;

// An upper bound of P(Poisson(mean) < n) (Chernoff): exp(−mean) (e·mean/n)^n
// for n < mean, else 1.
double PoissonBelowBound(double mean, int64_t n) {
  if (static_cast<double>(n) >= mean) return 1;
  if (n <= 0) return 0;
  const double count = static_cast<double>(n);
  return std::exp(-mean + count * (1 + std::log(mean / count)));
}

}  // namespace

// Solves the chain in closed form from B(a, c) (see internal/mmck.h); O(1).
MMcKModel::MMcKModel(double arrival_rate, double mean_service, int servers, int64_t capacity,
                     const ErlangBStepper& erlang_b)
    : lambda_(arrival_rate),
      mean_service_(mean_service),
      a_(arrival_rate * mean_service),
      c_(servers),
      m_(capacity - servers) {
  if (a_ == 0) {  // Nobody arrives: empty system, no wait, no blocking.
    log_rho_ = log_pc_ = log_w1_ = -HUGE_VAL;
    return;
  }
  const double c = servers;
  const double m = static_cast<double>(m_);
  // ln ρ accurately both for ρ ≈ 1 and for tiny ρ.
  log_rho_ = a_ < 0.5 * c ? std::log(a_) - std::log(c) : std::log1p((a_ - c) / c);
  const double b = erlang_b.blocking();
  const double one_minus_b = erlang_b.complement();
  const double log_b = std::log(b);  // −inf when B underflowed: p_c = 0 then
  if (log_rho_ <= 0) {
    // Reference p_c: Σ_{n<=c} p_n = p_c/B, Σ_{n>c} p_n = p_c Σ_{j=1..M} ρ^j.
    const double d = 1 + b * ScaledGeometricSum(log_rho_, log_rho_, m_);
    log_pc_ = log_b - std::log(d);
    admitted_ = (one_minus_b + b * ScaledGeometricSum(0, log_rho_, m_)) / d;
  } else {
    // Reference p_K (ρ^M may overflow): with σ = 1/ρ, p_{c+j} = p_K σ^{M−j}
    // and p_c = p_K σ^M, so 1 = p_K (σ^M (1 − B)/B + Σ_{i=0..M} σ^i).
    const double sigma_m = std::exp(-m * log_rho_);
    const double d = one_minus_b * sigma_m + b * ScaledGeometricSum(0, -log_rho_, m_ + 1);
    log_pc_ = log_b - std::log(d) - m * log_rho_;
    admitted_ = (one_minus_b * sigma_m + b * ScaledGeometricSum(-log_rho_, -log_rho_, m_)) / d;
  }
  rho_ = std::exp(log_rho_);
  blocking_ = std::exp(log_pc_ + m * log_rho_);
  admitted_ = std::min(1.0, admitted_);
  if (!(admitted_ > 0)) admitted_ = DBL_MIN;  // absurd overload: keep figures finite
  log_w1_ = log_pc_ - std::log(admitted_);
  prob_wait_ = std::min(1.0, ScaledGeometricSum(log_w1_, log_rho_, m_));
  const double p_at_least_c = ScaledGeometricSum(log_pc_, log_rho_, m_ + 1);
  lq_ = p_at_least_c * TruncatedGeometricMean(m_ + 1, log_rho_);
}

double MMcKModel::utilization() const { return a_ * admitted_ / c_; }

// Wq = Lq / λ_eff by Little's law on admitted jobs; 0 without a queue.
double MMcKModel::mean_wait() const {
  if (lq_ == 0) return 0;
  return lq_ / (lambda_ * admitted_);
}

// P(Nq > k) = Σ_{j=k+1}^{M} p_{c+j}, a geometric sum; 0 for k >= M.
double MMcKModel::QueueTail(int64_t k) const {
  if (k >= m_ || a_ == 0) return 0;
  return ScaledGeometricSum(log_pc_ + static_cast<double>(k + 1) * log_rho_, log_rho_, m_ - k);
}

// Smallest k with P(Nq > k) <= 1 − p, by binary search on [0, M].
double MMcKModel::QueueQuantile(double p) const {
  const double tail = 1 - p;
  if (QueueTail(0) <= tail) return 0;
  int64_t lo = 0;   // P(Nq > lo) > tail
  int64_t hi = m_;  // P(Nq > M) = 0 <= tail
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    if (QueueTail(mid) <= tail) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return static_cast<double>(hi);
}

// P(K_w = k): 1 − P(wait) at k = 0, π_{c+k−1} for 1 <= k <= M, else 0.
double MMcKModel::PhaseProbability(int64_t k) const {
  if (k == 0) return 1 - prob_wait_;
  if (k > m_ || prob_wait_ == 0) return 0;
  return std::exp(log_w1_ + static_cast<double>(k - 1) * log_rho_);
}

// P(K_w = k) from P(K_w = k − 1) (see internal/mmck.h).
double MMcKModel::NextPhaseProbability(int64_t k, double previous) const {
  if (k > m_) return 0;
  if (log_rho_ > 0 && previous < kRecurrenceFloor) return PhaseProbability(k);
  return previous * rho_;
}

// P(K_w > i) = Σ_{k=i+1}^{M} P(K_w = k), a geometric sum.
double MMcKModel::PhaseTail(int64_t i) const {
  if (i >= m_ || prob_wait_ == 0) return 0;
  return ScaledGeometricSum(log_w1_ + static_cast<double>(i) * log_rho_, log_rho_, m_ - i);
}

// P(W > t) for an admitted job; P(wait) at t <= 0.
double MMcKModel::WaitSurvival(double t) const {
  if (prob_wait_ == 0) return 0;
  if (t <= 0) return prob_wait_;
  // P(W > t) = Σ_{i=0}^{M−1} Poisson(i; cμt) P(K_w > i).
  const double x = c_ * t / mean_service_;
  const double width = PoissonWindowHalfWidth(x);
  // The window lies beyond the last phase (x may exceed every integer).
  if (x - width > static_cast<double>(m_ - 1)) return 0;
  const auto lo = static_cast<int64_t>(std::max(0.0, std::floor(x - width)));
  const auto hi = static_cast<int64_t>(std::min(static_cast<double>(m_ - 1), std::ceil(x + width)));
  double sum = 0;
  double pmf = 0;
  double phase_tail = 0;
  double next_phase = 0;
  for (int64_t i = lo; i <= hi; ++i) {
    if ((i - lo) % kReanchorEvery == 0) {
      pmf = std::exp(LogPoissonPmf(static_cast<double>(i), x));
      phase_tail = PhaseTail(i);
      next_phase = PhaseProbability(i + 1);
    }
    sum += pmf * phase_tail;
    phase_tail = std::max(0.0, phase_tail - next_phase);
    next_phase = NextPhaseProbability(i + 2, next_phase);
    pmf *= x / static_cast<double>(i + 1);
  }
  return std::min(1.0, sum);
}

// P(T > t), T = W + S, for an admitted job; 1 at t <= 0.
double MMcKModel::ResponseSurvival(double t) const {
  if (t <= 0) return 1;
  if (prob_wait_ == 0) return std::exp(-t / mean_service_);
  // T ~ Erlang(K_w + G, cμ) with G ~ Geometric(1/c) on {1, 2, ...}:
  // P(T > t) = Σ_i Poisson(i; cμt) U(i), U(i) = P(K_w > i) + V(i),
  // V(i) = Σ_{k <= min(i, M)} P(K_w = k) r^{i−k}, r = 1 − 1/c
  // (V(i+1) = r V(i) + P(K_w = i+1)).
  const double x = c_ * t / mean_service_;
  if (x > kLargePoissonMean) {
    // Far beyond where T lives (say an SLO of seconds for a nanosecond
    // service; x may exceed every integer): P(T > t) <= P(W > t/2) +
    // P(S > t/2), with W at most Erlang(M, cμ) and S exponential.
    const double bound = PoissonBelowBound(x / 2, m_) + std::exp(-t / (2 * mean_service_));
    if (bound < kNegligible) return 0;
  }
  const double width = PoissonWindowHalfWidth(x);
  const auto lo = static_cast<int64_t>(std::max(0.0, std::floor(x - width)));
  const auto hi = static_cast<int64_t>(std::ceil(x + width));
  const double r = c_ == 1 ? 0.0 : 1.0 - 1.0 / c_;
  const double log_r = c_ == 1 ? -HUGE_VAL : std::log1p(-1.0 / c_);
  auto v_at = [&](int64_t i) {
    if (c_ == 1) return PhaseProbability(i);
    double v = (1 - prob_wait_) * std::exp(static_cast<double>(i) * log_r);
    const int64_t n = std::min(i, m_);
    if (n > 0) {
      v += ScaledGeometricSum(log_w1_ + static_cast<double>(i - 1) * log_r, log_rho_ - log_r, n);
    }
    return v;
  };
  double sum = 0;
  double pmf = 0;
  double phase_tail = 0;
  double next_phase = 0;
  double v = 0;
  for (int64_t i = lo; i <= hi; ++i) {
    if ((i - lo) % kReanchorEvery == 0) {
      pmf = std::exp(LogPoissonPmf(static_cast<double>(i), x));
      phase_tail = PhaseTail(i);
      next_phase = PhaseProbability(i + 1);
      v = v_at(i);
    }
    sum += pmf * (phase_tail + v);
    phase_tail = std::max(0.0, phase_tail - next_phase);
    v = r * v + next_phase;
    next_phase = NextPhaseProbability(i + 2, next_phase);
    pmf *= x / static_cast<double>(i + 1);
  }
  return std::min(1.0, sum);
}

// p-quantile of W: 0 when P(wait) <= 1 − p, else Brent on [0, E[W]/(1 − p)].
double MMcKModel::WaitQuantile(double p) const {
  const double tail = 1 - p;
  if (prob_wait_ <= tail) return 0;
  auto excess = [&](double t) { return WaitSurvival(t) - tail; };
  // Markov: P(W > t) <= E[W]/t <= 1 − p at t = E[W]/(1 − p).
  const double hi = mean_wait() / tail * (1 + 1e-9);
  return BrentZero(excess, 0.0, hi, prob_wait_ - tail, excess(hi));
}

// p-quantile of T: Brent between max(wait, service) quantiles and E[T]/(1 − p).
double MMcKModel::ResponseQuantile(double p) const {
  const double service_quantile = -mean_service_ * std::log1p(-p);
  if (prob_wait_ == 0) return service_quantile;
  const double tail = 1 - p;
  auto excess = [&](double t) { return ResponseSurvival(t) - tail; };
  const double lo = std::max(WaitQuantile(p), service_quantile);
  const double f_lo = excess(lo);
  if (f_lo <= 0) return lo;
  const double hi = (mean_wait() + mean_service_) / tail * (1 + 1e-9);
  return BrentZero(excess, lo, hi, f_lo, excess(hi));
}

// All of QueueMetrics; always stable; figures of admitted jobs.
QueueMetrics MMcKModel::Metrics() const {
  QueueMetrics metrics;
  metrics.workers = c_;
  metrics.stable = true;
  metrics.utilization = utilization();
  metrics.probability_of_wait = prob_wait_;
  metrics.mean_queue_length = lq_;
  metrics.queue_length_p95 = QueueQuantile(0.95);
  metrics.mean_wait = mean_wait();
  metrics.mean_response = metrics.mean_wait + mean_service_;
  metrics.wait_p50 = WaitQuantile(0.50);
  metrics.wait_p95 = WaitQuantile(0.95);
  metrics.wait_p99 = WaitQuantile(0.99);
  metrics.response_p50 = ResponseQuantile(0.50);
  metrics.response_p95 = ResponseQuantile(0.95);
  metrics.response_p99 = ResponseQuantile(0.99);
  metrics.blocking_probability = blocking_;
  metrics.effective_arrival_rate = lambda_ * admitted_;
  metrics.method =
      "exact M/M/c/K (birth-death stationary distribution, closed-form geometric sums); "
      "admitted jobs: wait = Erlang(n-c+1, c mu) mixture, response = wait + exponential "
      "service, CDFs as Poisson-weighted sums, percentiles by Brent's method";
  return metrics;
}

// M/M/c/K figures at `servers` with K = pool.system_capacity.
QueueMetrics EvaluateMMcK(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b) {
  return MMcKModel(pool.arrival_rate, pool.mean_service_time, servers, pool.system_capacity,
                   erlang_b)
      .Metrics();
}

}  // namespace horizonscale::queueing::internal

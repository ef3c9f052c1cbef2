// M/M/c/K against closed forms (M/M/1/K, Erlang loss at K = c), a
// brute-force long-double evaluation of the birth-death chain (state
// probabilities, Erlang-mixture waits, numerically convolved responses), and
// the M/M/c limit for large K.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "queueing/queueing.h"
#include "tests/queueing/reference.h"

namespace horizonscale::queueing {
namespace {

using reference::ExpectRelativelyNear;
using reference::FactorialErlangC;
using reference::MustEvaluate;

PoolSpec MMcK(double lambda, double mu, int c, int64_t k) {
  PoolSpec pool;
  pool.model = Model::kMMcK;
  pool.arrival_rate = lambda;
  pool.mean_service_time = 1 / mu;
  pool.workers = c;
  pool.system_capacity = k;
  return pool;
}

// The chain solved directly: p_n ∝ Π a/min(n, c).
struct BruteForce {
  long double lambda, mu;
  int c, k;
  std::vector<long double> p;

  BruteForce(long double lambda_in, long double mu_in, int c_in, int k_in)
      : lambda(lambda_in), mu(mu_in), c(c_in), k(k_in) {
    const long double a = lambda / mu;
    long double term = 1;
    long double total = 0;
    for (int n = 0; n <= k; ++n) {
      p.push_back(term);
      total += term;
      term *= a / std::min(n + 1, c);
    }
    for (long double& x : p) x /= total;
  }
  long double Blocking() const { return p[k]; }
  long double Admitted() const { return 1 - p[k]; }
  long double ProbWait() const {
    long double s = 0;
    for (int n = c; n < k; ++n) s += p[n];
    return s / Admitted();
  }
  long double Lq() const {
    long double s = 0;
    for (int n = c + 1; n <= k; ++n) s += (n - c) * p[n];
    return s;
  }
  long double Wq() const { return Lq() / (lambda * Admitted()); }
  long double Utilization() const { return lambda * Admitted() / (c * mu); }
  int QueueP95() const {
    for (int q = 0;; ++q) {
      long double above = 0;
      for (int n = c + q + 1; n <= k; ++n) above += p[n];
      if (above <= 0.05L) return q;
    }
  }
  // P(W > t): Σ_{n=c}^{K−1} π_n P(Poisson(cμt) <= n − c).
  long double WaitSurvival(long double t) const {
    if (t <= 0) return ProbWait();
    const long double x = c * mu * t;
    long double pmf = std::exp(-x);
    long double cdf = pmf;
    long double s = 0;
    for (int n = c; n < k; ++n) {
      s += p[n] * cdf;
      pmf *= x / (n - c + 1);
      cdf += pmf;
    }
    return s / Admitted();
  }
  // P(T > t) = e^{−μt} + ∫_0^t μ e^{−μs} P(W > t − s) ds, composite Simpson
  // over s <= 40/μ (the rest weighs less than e^{−40}).
  long double ResponseSurvival(long double t) const {
    const int n = 2000;
    const long double upper = std::min(t, 40 / mu);
    const long double h = upper / n;
    auto f = [&](long double s) { return mu * std::exp(-mu * s) * WaitSurvival(t - s); };
    long double sum = f(0) + f(upper);
    for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * f(i * h);
    return std::exp(-mu * t) + sum * h / 3;
  }
  template <class F>
  static long double Quantile(F survival, long double p) {
    if (survival(0) <= 1 - p) return 0;
    long double lo = 0;
    long double hi = 1;
    while (survival(hi) > 1 - p) hi *= 2;
    while (hi - lo > 1e-13L * hi) {
      const long double mid = (lo + hi) / 2;
      (survival(mid) > 1 - p ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
  }
  long double WaitQuantile(long double q) const {
    return Quantile([&](long double t) { return WaitSurvival(t); }, q);
  }
  long double ResponseQuantile(long double q) const {
    return Quantile([&](long double t) { return ResponseSurvival(t); }, q);
  }
};

TEST(MMcKTest, MM1KClosedForm) {
  // p_n = (1−ρ)ρ^n / (1 − ρ^{K+1}), for ρ below, above and (limit) at 1.
  for (double rho : {0.8, 1.5, 0.999999}) {
    const int k = 10;
    const QueueMetrics m = MustEvaluate(MMcK(rho, 1, 1, k));
    auto pn = [&](int n) {
      return (1 - rho) * std::pow(static_cast<long double>(rho), n) /
             (1 - std::pow(static_cast<long double>(rho), k + 1));
    };
    ExpectRelativelyNear(m.blocking_probability, pn(k), 1e-9);
    long double lq = 0;
    for (int n = 2; n <= k; ++n) lq += (n - 1) * pn(n);
    ExpectRelativelyNear(m.mean_queue_length, lq, 1e-9);
    ExpectRelativelyNear(m.utilization, rho * (1 - pn(k)), 1e-9);
    ExpectRelativelyNear(m.probability_of_wait, (1 - pn(0) - pn(k)) / (1 - pn(k)), 1e-9);
    ExpectRelativelyNear(m.effective_arrival_rate, rho * (1 - pn(k)), 1e-9);
    EXPECT_TRUE(m.stable);
  }
  // ρ = 1 exactly: p_n = 1/(K+1).
  const QueueMetrics m = MustEvaluate(MMcK(2, 2, 1, 9));
  ExpectRelativelyNear(m.blocking_probability, 0.1L, 1e-13);
  ExpectRelativelyNear(m.mean_queue_length, 3.6L, 1e-13);  // Σ_{n=2}^{9} (n−1)/10
}

TEST(MMcKTest, ErlangLossWhenCapacityEqualsWorkers) {
  for (const auto& [a, c] : {std::pair{10.0, 13}, {2.0, 3}, {50.0, 40}, {900.0, 1000}}) {
    const QueueMetrics m = MustEvaluate(MMcK(a, 1, c, c));
    ExpectRelativelyNear(m.blocking_probability, ErlangB(a, c), 1e-12);
    EXPECT_EQ(m.probability_of_wait, 0);
    EXPECT_EQ(m.mean_queue_length, 0);
    EXPECT_EQ(m.queue_length_p95, 0);
    EXPECT_EQ(m.wait_p99, 0);
    ExpectRelativelyNear(m.response_p95, std::log(20.0L), 1e-14);
    ExpectRelativelyNear(m.utilization, a * (1 - ErlangB(a, c)) / c, 1e-12);
  }
  // 2/3 servers busy, 4/19 blocked: a = 2, c = K = 3.
  ExpectRelativelyNear(MustEvaluate(MMcK(2, 1, 3, 3)).blocking_probability, 4.0L / 19, 1e-14);
}

TEST(MMcKTest, MatchesBruteForceChain) {
  struct Case {
    double lambda, mu;
    int c, k;
  };
  for (const Case& t : {Case{4.5, 1, 5, 30}, Case{7, 1, 5, 30}, Case{2, 1, 3, 8}, Case{1, 1, 1, 40},
                        Case{0.7, 1, 1, 15}, Case{12, 0.5, 20, 60}, Case{30, 2, 4, 12},
                        // ρ = 20 with a long queue: P(K_w = k) ∝ ρ^k spans more
                        // than the double range across one Poisson window.
                        Case{60, 1, 3, 500}}) {
    SCOPED_TRACE(testing::Message()
                 << "lambda=" << t.lambda << " mu=" << t.mu << " c=" << t.c << " K=" << t.k);
    const QueueMetrics m = MustEvaluate(MMcK(t.lambda, t.mu, t.c, t.k));
    const BruteForce bf(t.lambda, t.mu, t.c, t.k);
    ExpectRelativelyNear(m.blocking_probability, bf.Blocking(), 1e-11);
    ExpectRelativelyNear(m.effective_arrival_rate, t.lambda * bf.Admitted(), 1e-12);
    ExpectRelativelyNear(m.probability_of_wait, bf.ProbWait(), 1e-11);
    ExpectRelativelyNear(m.mean_queue_length, bf.Lq(), 1e-11);
    ExpectRelativelyNear(m.mean_wait, bf.Wq(), 1e-11);
    ExpectRelativelyNear(m.mean_response, bf.Wq() + 1 / static_cast<long double>(t.mu), 1e-11);
    ExpectRelativelyNear(m.utilization, bf.Utilization(), 1e-11);
    EXPECT_EQ(m.queue_length_p95, bf.QueueP95());
    ExpectRelativelyNear(m.wait_p50, bf.WaitQuantile(0.5L), 1e-9);
    ExpectRelativelyNear(m.wait_p95, bf.WaitQuantile(0.95L), 1e-9);
    ExpectRelativelyNear(m.wait_p99, bf.WaitQuantile(0.99L), 1e-9);
    ExpectRelativelyNear(m.response_p50, bf.ResponseQuantile(0.5L), 1e-8);
    ExpectRelativelyNear(m.response_p95, bf.ResponseQuantile(0.95L), 1e-8);
    ExpectRelativelyNear(m.response_p99, bf.ResponseQuantile(0.99L), 1e-8);
  }
}

TEST(MMcKTest, LargeCapacityTendsToMMc) {
  for (const auto& [lambda, c] : {std::pair{7.0, 10}, {0.6, 1}, {180.0, 200}, {9'900.0, 10'000}}) {
    PoolSpec pool = MMcK(lambda, 1, c, c + 20'000);
    const QueueMetrics finite = MustEvaluate(pool);
    pool.model = Model::kMMc;
    const QueueMetrics infinite = MustEvaluate(pool);
    EXPECT_LT(finite.blocking_probability, 1e-30);
    ExpectRelativelyNear(finite.probability_of_wait, infinite.probability_of_wait, 1e-11);
    ExpectRelativelyNear(finite.mean_queue_length, infinite.mean_queue_length, 1e-10);
    ExpectRelativelyNear(finite.mean_wait, infinite.mean_wait, 1e-10);
    EXPECT_EQ(finite.queue_length_p95, infinite.queue_length_p95);
    ExpectRelativelyNear(finite.wait_p95, infinite.wait_p95, 1e-9);
    ExpectRelativelyNear(finite.wait_p99, infinite.wait_p99, 1e-9);
    ExpectRelativelyNear(finite.response_p50, infinite.response_p50, 1e-9);
    ExpectRelativelyNear(finite.response_p95, infinite.response_p95, 1e-9);
    ExpectRelativelyNear(finite.response_p99, infinite.response_p99, 1e-9);
  }
}

TEST(MMcKTest, HeavyOverloadWithHugeCapacityIsFinite) {
  // ρ = 1.1, K − c ≈ 10^6: ρ^{K−c} overflows any double; p_K → 1 − 1/ρ.
  const QueueMetrics m = MustEvaluate(MMcK(1100, 1, 1000, 1'000'000));
  EXPECT_TRUE(m.stable);
  ExpectRelativelyNear(m.blocking_probability, 1 - 1 / 1.1L, 1e-9);
  ExpectRelativelyNear(m.utilization, 1.0L, 1e-9);
  // Queue nearly full: Lq ≈ (K − c) − σ/(1 − σ) with σ = 1/ρ.
  ExpectRelativelyNear(m.mean_queue_length, 999'000 - 10.0L, 1e-6);
  ExpectRelativelyNear(m.mean_wait, (999'000 - 10.0L) / 1000, 1e-6);
  // W ~ Erlang(K_w, 1000) with K_w ≈ 999 000 − 10: mean ≈ 998.99 s, sd ≈ 1 s.
  EXPECT_NEAR(m.wait_p50, 998.99, 0.05);
  EXPECT_NEAR(m.wait_p99, 998.99 + 2.33, 0.1);
  EXPECT_GT(m.response_p95, m.wait_p95);
  for (double v : {m.probability_of_wait, m.queue_length_p95, m.wait_p50, m.response_p99}) {
    EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(MMcKTest, HundredThousandWorkersTenMillionCapacity) {
  const QueueMetrics m = MustEvaluate(MMcK(99'900, 1, 100'000, 10'000'000));
  for (double v :
       {m.utilization, m.probability_of_wait, m.mean_queue_length, m.queue_length_p95, m.mean_wait,
        m.wait_p95, m.response_p50, m.response_p95, m.response_p99, m.blocking_probability}) {
    EXPECT_TRUE(std::isfinite(v)) << v;
    EXPECT_GE(v, 0);
  }
  EXPECT_LT(m.blocking_probability, 1e-100);
  PoolSpec pool = MMcK(99'900, 1, 100'000, 10'000'000);
  pool.model = Model::kMMc;
  const QueueMetrics infinite = MustEvaluate(pool);
  ExpectRelativelyNear(m.mean_wait, infinite.mean_wait, 1e-9);
  ExpectRelativelyNear(m.response_p95, infinite.response_p95, 1e-9);
}

TEST(MMcKTest, NoArrivals) {
  const QueueMetrics m = MustEvaluate(MMcK(0, 2, 3, 10));
  EXPECT_EQ(m.blocking_probability, 0);
  EXPECT_EQ(m.probability_of_wait, 0);
  EXPECT_EQ(m.mean_queue_length, 0);
  EXPECT_EQ(m.mean_wait, 0);
  EXPECT_EQ(m.utilization, 0);
  EXPECT_EQ(m.mean_response, 0.5);
  ExpectRelativelyNear(m.response_p95, 0.5L * std::log(20.0L), 1e-14);
}

TEST(MMcKTest, FiguresAreMonotoneInWorkersWithCapacityFixed) {
  const int k = 40;
  QueueMetrics previous = MustEvaluate(MMcK(25, 1, 1, k));
  for (int c = 2; c <= k; ++c) {
    SCOPED_TRACE(c);
    const QueueMetrics m = MustEvaluate(MMcK(25, 1, c, k));
    EXPECT_LE(m.blocking_probability, previous.blocking_probability);
    EXPECT_LE(m.utilization, previous.utilization * (1 + 1e-12));
    EXPECT_LE(m.queue_length_p95, previous.queue_length_p95);
    EXPECT_LE(m.mean_queue_length, previous.mean_queue_length);
    EXPECT_LE(m.response_p95, previous.response_p95 * (1 + 1e-12));
    previous = m;
  }
}

// A response-time target astronomically far beyond the service time (a
// fuzzed EvaluateQueue: 1.8e-71 s per job, P95 target 0.25 s) is met at
// once: the survival is bounded instead of summed over ~1e35 Poisson terms,
// and no time scale overflows an integer (UBSan checks the casts).
TEST(MMcKTest, TargetFarBeyondTheServiceTimeIsMetWithoutSumming) {
  PoolSpec pool = MMcK(4.0, 1 / 1.7884966191224646e-71, 12, 30);
  CapacityTarget target;
  target.response_p95 = 0.25;
  target.max_backlog = 10;
  target.max_utilization = 0.9;
  absl::StatusOr<CapacityResult> result = FindMinimumWorkers(pool, target);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->achievable);
  EXPECT_EQ(result->workers, 1);
  for (int workers : {1, 4, 12, 30}) {
    pool.workers = workers;
    absl::StatusOr<QueueMetrics> metrics = Evaluate(pool);
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    EXPECT_LT(metrics->response_p95, 1e-60);
  }
}

}  // namespace
}  // namespace horizonscale::queueing

// M/M/1 and M/M/c against closed forms, exact rational values, the factorial
// formula and a brute-force numerical CDF of the response time.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "queueing/internal/erlang_c_family.h"
#include "queueing/queueing.h"
#include "tests/queueing/reference.h"

namespace horizonscale::queueing {
namespace {

using reference::ExpectRelativelyNear;
using reference::FactorialErlangC;
using reference::MustEvaluate;

PoolSpec MMc(double lambda, double mean_service, int c) {
  PoolSpec pool;
  pool.model = c == 1 ? Model::kMM1 : Model::kMMc;
  pool.arrival_rate = lambda;
  pool.mean_service_time = mean_service;
  pool.workers = c;
  return pool;
}

std::vector<double> Figures(const QueueMetrics& m) {
  return {m.utilization,
          m.probability_of_wait,
          m.mean_queue_length,
          m.queue_length_p95,
          m.mean_wait,
          m.mean_response,
          m.wait_p50,
          m.wait_p95,
          m.wait_p99,
          m.response_p50,
          m.response_p95,
          m.response_p99,
          m.blocking_probability,
          m.effective_arrival_rate};
}

// P(T <= t) for T = W + S, W = 0 w.p. 1 − C else Exp(θ), S ~ Exp(μ), by
// composite Simpson on the convolution integral (long double).
long double BruteForceResponseCdf(long double erlang_c, long double theta, long double mu,
                                  long double t) {
  const int n = 6000;
  const long double h = t / n;
  auto f = [&](long double w) { return theta * std::exp(-theta * w) * -std::expm1(-mu * (t - w)); };
  long double sum = f(0) + f(t);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4 : 2) * f(i * h);
  const long double integral = sum * h / 3;
  return (1 - erlang_c) * -std::expm1(-mu * t) + erlang_c * integral;
}

// The p-quantile of that CDF by bisection.
long double BruteForceResponseQuantile(long double erlang_c, long double theta, long double mu,
                                       long double p) {
  long double lo = 0;
  long double hi = 1;
  while (BruteForceResponseCdf(erlang_c, theta, mu, hi) < p) hi *= 2;
  for (int i = 0; i < 100 && hi - lo > 1e-13L * hi; ++i) {
    const long double mid = (lo + hi) / 2;
    (BruteForceResponseCdf(erlang_c, theta, mu, mid) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

TEST(MM1Test, ClosedForms) {
  // λ = 0.8, μ = 1: ρ = 0.8.
  const QueueMetrics m = MustEvaluate(MMc(0.8, 1.0, 1));
  EXPECT_TRUE(m.stable);
  ExpectRelativelyNear(m.utilization, 0.8L, 1e-15);
  ExpectRelativelyNear(m.probability_of_wait, 0.8L, 1e-15);
  ExpectRelativelyNear(m.mean_queue_length, 0.64L / 0.2L, 1e-13);  // ρ²/(1−ρ)
  ExpectRelativelyNear(m.mean_wait, 0.8L / 0.2L, 1e-13);           // ρ/(μ−λ)
  ExpectRelativelyNear(m.mean_response, 1 / 0.2L, 1e-13);          // 1/(μ−λ)
  // T ~ Exp(μ − λ): p = 1 − e^{−(μ−λ)t}.
  ExpectRelativelyNear(m.response_p50, std::log(2.0L) / 0.2L, 1e-12);
  ExpectRelativelyNear(m.response_p95, std::log(20.0L) / 0.2L, 1e-12);
  ExpectRelativelyNear(m.response_p99, std::log(100.0L) / 0.2L, 1e-12);
  // P(W > t) = ρ e^{−(μ−λ)t}.
  ExpectRelativelyNear(m.wait_p50, std::log(0.8L / 0.5L) / 0.2L, 1e-13);
  ExpectRelativelyNear(m.wait_p95, std::log(0.8L / 0.05L) / 0.2L, 1e-13);
  // P(N = n) = (1−ρ)ρ^n, Nq = max(N − 1, 0): P(Nq > k) = ρ^{k+2};
  // 0.8^13 = 0.0550 > 0.05 >= 0.8^14 = 0.0440, so k + 2 = 14.
  EXPECT_EQ(m.queue_length_p95, 12);
  EXPECT_EQ(m.blocking_probability, 0);
  EXPECT_EQ(m.effective_arrival_rate, 0.8);
  EXPECT_FALSE(m.method.empty());
}

TEST(MM1Test, ResponseIsExponentialForManyLoads) {
  for (double rho : {0.01, 0.3, 0.5, 0.9, 0.99}) {
    const double mu = 4;
    const QueueMetrics m = MustEvaluate(MMc(rho * mu, 1 / mu, 1));
    ExpectRelativelyNear(m.response_p95, std::log(20.0L) / (mu - rho * mu), 1e-12);
    ExpectRelativelyNear(m.response_p50, std::log(2.0L) / (mu - rho * mu), 1e-12);
  }
}

TEST(MMcTest, ExactRationalValues) {
  // M/M/2, λ = μ = 1: C = 1/3, Wq = C/(cμ − λ) = 1/3, Lq = 1/3, W = 4/3.
  QueueMetrics m = MustEvaluate(MMc(1, 1, 2));
  ExpectRelativelyNear(m.probability_of_wait, 1.0L / 3, 1e-14);
  ExpectRelativelyNear(m.mean_wait, 1.0L / 3, 1e-14);
  ExpectRelativelyNear(m.mean_queue_length, 1.0L / 3, 1e-14);
  ExpectRelativelyNear(m.mean_response, 4.0L / 3, 1e-14);
  ExpectRelativelyNear(m.utilization, 0.5L, 1e-15);
  // M/M/3, λ = 2, μ = 1: C = 4/9, Wq = 4/9, Lq = 8/9.
  m = MustEvaluate(MMc(2, 1, 3));
  ExpectRelativelyNear(m.probability_of_wait, 4.0L / 9, 1e-14);
  ExpectRelativelyNear(m.mean_wait, 4.0L / 9, 1e-14);
  ExpectRelativelyNear(m.mean_queue_length, 8.0L / 9, 1e-14);
}

TEST(MMcTest, MeanFiguresMatchFactorialFormula) {
  for (int c : {2, 3, 7, 20, 60}) {
    for (double rho : {0.1, 0.5, 0.85, 0.97}) {
      const double mu = 2.5;
      const double lambda = rho * c * mu;
      const QueueMetrics m = MustEvaluate(MMc(lambda, 1 / mu, c));
      const long double a = static_cast<long double>(lambda) / mu;
      const long double erlang_c = FactorialErlangC(a, c);
      const long double r = a / c;
      ExpectRelativelyNear(m.probability_of_wait, erlang_c, 1e-11);
      ExpectRelativelyNear(m.mean_queue_length, erlang_c * r / (1 - r), 1e-11);
      ExpectRelativelyNear(m.mean_wait, erlang_c / (c * mu - lambda), 1e-11);
      ExpectRelativelyNear(m.mean_response, erlang_c / (c * mu - lambda) + 1 / mu, 1e-11);
      // Wait percentiles: P(W > t) = C e^{−θt}.
      const long double theta = c * mu - lambda;
      for (const auto& [p, q] :
           {std::pair{0.5, m.wait_p50}, {0.95, m.wait_p95}, {0.99, m.wait_p99}}) {
        if (erlang_c <= 1 - p) {
          EXPECT_EQ(q, 0);
        } else {
          ExpectRelativelyNear(q, std::log(erlang_c / (1 - p)) / theta, 1e-11);
        }
      }
    }
  }
}

TEST(MMcTest, QueueLengthP95MatchesStateProbabilities) {
  for (int c : {1, 4, 16}) {
    for (double rho : {0.3, 0.75, 0.9, 0.98}) {
      const double a = rho * c;
      const QueueMetrics m = MustEvaluate(MMc(a, 1, c));
      // p_n from the definition; P(Nq > k) = Σ_{n > c + k} p_n.
      std::vector<long double> p;
      long double term = 1;
      long double total = 0;
      for (int n = 0; n < 20000; ++n) {
        p.push_back(term);
        total += term;
        term *= n < c ? a / (n + 1) : a / c;
      }
      long double above = total;  // Σ_{n >= 0}
      for (int n = 0; n <= c; ++n) above -= p[n];
      int k = 0;
      while (above / total > 0.05L) {
        above -= p[c + k + 1];
        ++k;
      }
      EXPECT_EQ(m.queue_length_p95, k) << "c=" << c << " rho=" << rho;
    }
  }
}

TEST(MMcTest, ResponsePercentilesMatchBruteForceIntegration) {
  struct Case {
    double lambda, mu;
    int c;
  };
  // θ = cμ − λ above, equal to and below μ.
  for (const Case& k : {Case{7.5, 1.0, 10}, Case{1.0, 1.0, 2}, Case{0.5, 1.0, 1},
                        Case{18.0, 2.0, 10}, Case{95, 1.0, 100}, Case{1.0 - 1e-7, 1.0, 2}}) {
    const QueueMetrics m = MustEvaluate(MMc(k.lambda, 1 / k.mu, k.c));
    const long double erlang_c = FactorialErlangC(static_cast<long double>(k.lambda) / k.mu, k.c);
    const long double theta = k.c * static_cast<long double>(k.mu) - k.lambda;
    ExpectRelativelyNear(m.response_p50, BruteForceResponseQuantile(erlang_c, theta, k.mu, 0.50L),
                         1e-9);
    ExpectRelativelyNear(m.response_p95, BruteForceResponseQuantile(erlang_c, theta, k.mu, 0.95L),
                         1e-9);
    ExpectRelativelyNear(m.response_p99, BruteForceResponseQuantile(erlang_c, theta, k.mu, 0.99L),
                         1e-9);
  }
}

TEST(MMcTest, RhoWithinOneBillionthOfOneIsFiniteAndExact) {
  // c − λ = 1e-7 exactly in double; ρ = 1 − 1e-9.
  const double lambda = 100 - 1e-7;
  const QueueMetrics m = MustEvaluate(MMc(lambda, 1, 100));
  EXPECT_TRUE(m.stable);
  for (double v : Figures(m)) EXPECT_TRUE(std::isfinite(v)) << v;
  const long double erlang_c = FactorialErlangC(lambda, 100);
  const long double theta = 100 - static_cast<long double>(lambda);
  ExpectRelativelyNear(m.probability_of_wait, erlang_c, 1e-12);
  ExpectRelativelyNear(m.mean_wait, erlang_c / theta, 1e-9);
  ExpectRelativelyNear(m.mean_queue_length, erlang_c * lambda / theta, 1e-9);
  ExpectRelativelyNear(m.wait_p95, std::log(erlang_c / 0.05L) / theta, 1e-9);
  EXPECT_GT(m.mean_wait, 1e6);
  // The response p95 solves P(T > t) = 0.05 with the textbook formula
  // (no cancellation here: θ ≪ μ).
  const long double t = m.response_p95;
  const long double mu = 1;
  const long double tail =
      (1 - erlang_c) * std::exp(-mu * t) +
      erlang_c * (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
  EXPECT_NEAR(static_cast<double>(tail), 0.05, 1e-10);
  EXPECT_GE(m.response_p95, m.wait_p95);
  EXPECT_TRUE(std::isfinite(m.queue_length_p95));
  EXPECT_GT(m.queue_length_p95, 1e9);
}

TEST(MMcTest, UnstableIsInfiniteNeverNaN) {
  for (double lambda : {10.0, 10.5, 1e6}) {
    const QueueMetrics m = MustEvaluate(MMc(lambda, 1, 10));
    EXPECT_FALSE(m.stable);
    EXPECT_EQ(m.probability_of_wait, 1);
    for (double v : Figures(m)) EXPECT_FALSE(std::isnan(v));
    for (double v :
         {m.mean_queue_length, m.queue_length_p95, m.mean_wait, m.mean_response, m.wait_p50,
          m.wait_p95, m.wait_p99, m.response_p50, m.response_p95, m.response_p99}) {
      EXPECT_EQ(v, HUGE_VAL);
    }
    EXPECT_NEAR(m.utilization, lambda / 10, 1e-12 * lambda);
  }
  const QueueMetrics m1 = MustEvaluate(MMc(2, 0.5, 1));  // M/M/1 at ρ = 1
  EXPECT_FALSE(m1.stable);
  EXPECT_EQ(m1.response_p95, HUGE_VAL);
}

TEST(MMcTest, NoArrivalsMeansNoWaiting) {
  for (int c : {1, 5, 100'000}) {
    const QueueMetrics m = MustEvaluate(MMc(0, 0.25, c));
    EXPECT_TRUE(m.stable);
    EXPECT_EQ(m.utilization, 0);
    EXPECT_EQ(m.probability_of_wait, 0);
    EXPECT_EQ(m.mean_queue_length, 0);
    EXPECT_EQ(m.queue_length_p95, 0);
    EXPECT_EQ(m.mean_wait, 0);
    EXPECT_EQ(m.wait_p99, 0);
    EXPECT_EQ(m.mean_response, 0.25);
    // Response = service time ~ Exp(4).
    ExpectRelativelyNear(m.response_p50, 0.25L * std::log(2.0L), 1e-14);
    ExpectRelativelyNear(m.response_p95, 0.25L * std::log(20.0L), 1e-14);
    ExpectRelativelyNear(m.response_p99, 0.25L * std::log(100.0L), 1e-14);
  }
}

TEST(MMcTest, HundredThousandWorkersFiniteAndSane) {
  for (double lambda : {50'000.0, 99'000.0, 99'990.0}) {
    const QueueMetrics m = MustEvaluate(MMc(lambda, 1, 100'000));
    EXPECT_TRUE(m.stable);
    for (double v : Figures(m)) EXPECT_TRUE(std::isfinite(v)) << v;
    EXPECT_GE(m.probability_of_wait, 0);
    EXPECT_LT(m.probability_of_wait, 1);
    ExpectRelativelyNear(m.utilization, lambda / 100'000, 1e-15);
    // Independent Erlang C: B from Poisson masses in long double.
    const long double a = lambda;
    const int c = 100'000;
    long double sum = 0;
    const long double log_top = c * std::log(a) - a - std::lgamma(c + 1.0L);
    for (int n = 0; n <= c; ++n)
      sum += std::exp(n * std::log(a) - a - std::lgamma(n + 1.0L) - log_top);
    const long double b = 1 / sum;
    const long double erlang_c = b / (1 - a / c * (1 - b));
    ExpectRelativelyNear(m.probability_of_wait, erlang_c, 1e-9);
    ExpectRelativelyNear(m.mean_wait, erlang_c / (c - a), 1e-9);
    // Response percentiles at least those of the service time alone.
    EXPECT_GE(m.response_p95, std::log(20.0) * (1 - 1e-12));
    EXPECT_LE(m.response_p95, m.wait_p99 + std::log(40.0) + 1e-9);
  }
}

TEST(MMcTest, FiguresAreMonotoneInWorkers) {
  const double lambda = 37.3;
  QueueMetrics previous = MustEvaluate(MMc(lambda, 1, 38));
  for (int c = 39; c <= 90; ++c) {
    const QueueMetrics m = MustEvaluate(MMc(lambda, 1, c));
    EXPECT_LT(m.utilization, previous.utilization);
    EXPECT_LE(m.probability_of_wait, previous.probability_of_wait);
    EXPECT_LE(m.mean_queue_length, previous.mean_queue_length);
    EXPECT_LE(m.queue_length_p95, previous.queue_length_p95);
    EXPECT_LE(m.mean_wait, previous.mean_wait);
    EXPECT_LE(m.wait_p95, previous.wait_p95);
    EXPECT_LE(m.response_p50, previous.response_p50);
    EXPECT_LE(m.response_p95, previous.response_p95);
    EXPECT_LE(m.response_p99, previous.response_p99);
    previous = m;
  }
}

// The p95 of the number waiting is the exact integer of its definition, and
// stays a bounded computation however close to 1 the utilization is (a
// fuzzed request with ρ within 1e-16 of 1 once looped for ever here).
TEST(GeometricQueueQuantileTest, ExactIntegerAndBoundedNearSaturation) {
  for (double erlang_c : {0.1, 0.5, 0.99}) {
    for (double rho : {0.5, 0.9, 0.999, 0.999999}) {
      int64_t brute = 0;  // smallest k with C ρ^{k+1} <= 0.05
      while (erlang_c * std::exp((brute + 1) * std::log(rho)) > 0.05) ++brute;
      EXPECT_EQ(internal::GeometricQueueQuantile(erlang_c, std::log(rho), 0.95),
                static_cast<double>(brute))
          << "C=" << erlang_c << " rho=" << rho;
    }
  }
  for (double log_ratio : {-1e-17, -1e-15, -1e-12}) {
    const double k = internal::GeometricQueueQuantile(0.9, log_ratio, 0.95);
    EXPECT_TRUE(std::isfinite(k));
    EXPECT_NEAR(k, std::log(0.05 / 0.9) / log_ratio, 1e-6 * k) << log_ratio;
  }
}

}  // namespace
}  // namespace horizonscale::queueing

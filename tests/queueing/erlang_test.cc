// Erlang B and C against published table values, exact rational arithmetic,
// the factorial formula in long double and, for large c, an independent
// Poisson-sum evaluation.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "queueing/queueing.h"
#include "tests/queueing/reference.h"

namespace horizonscale::queueing {
namespace {

using reference::ExpectRelativelyNear;
using reference::FactorialErlangC;
using reference::MustEvaluate;

// B(a, c) = (a^c/c!) / Σ_{k<=c} a^k/k!, straight from the definition.
long double FactorialErlangB(long double a, int c) {
  long double term = 1;
  long double sum = 1;
  for (int k = 1; k <= c; ++k) {
    term *= a / k;
    sum += term;
  }
  return term / sum;
}

// B(a, c) = P(Poisson(a) = c) / P(Poisson(a) <= c), each mass from lgammal,
// summed in long double: independent of any recursion.
long double PoissonErlangB(long double a, int c) {
  auto log_pmf = [&](int n) { return n * std::log(a) - a - std::lgamma(n + 1.0L); };
  const long double log_top = log_pmf(c);
  long double sum = 0;
  for (int n = 0; n <= c; ++n) sum += std::exp(log_pmf(n) - log_top);
  return 1 / sum;
}

TEST(ErlangBTest, PublishedTableValues) {
  // Erlang B tables: E_10(10) = 0.2146 (4 decimals, as printed).
  EXPECT_NEAR(ErlangB(10, 10), 0.2146, 5e-5);
  // a = 2, c = 3: (8/6) / (1 + 2 + 2 + 8/6) = 4/19 exactly.
  ExpectRelativelyNear(ErlangB(2, 3), 4.0L / 19, 1e-14);
  // a = 1, c = 2: (1/2) / (1 + 1 + 1/2) = 1/5.
  ExpectRelativelyNear(ErlangB(1, 2), 0.2L, 1e-14);
  // a = 1, c = 1: 1/2.
  ExpectRelativelyNear(ErlangB(1, 1), 0.5L, 1e-15);
}

TEST(ErlangBTest, MatchesFactorialFormulaForSmallC) {
  for (double a : {0.01, 0.5, 1.0, 2.5, 7.0, 10.0, 19.7, 30.0, 55.5}) {
    for (int c : {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 120}) {
      ExpectRelativelyNear(ErlangB(a, c), FactorialErlangB(a, c), 1e-12);
    }
  }
}

TEST(ErlangBTest, LargeCMatchesPoissonSum) {
  for (const auto& [a, c] : {std::pair<double, int>{99'000, 100'000},
                             {100'000, 100'000},
                             {120'000, 100'000},
                             {9'500, 10'000},
                             {50'000, 50'300}}) {
    const double b = ErlangB(a, c);
    ASSERT_TRUE(std::isfinite(b));
    ExpectRelativelyNear(b, PoissonErlangB(a, c), 1e-9);
  }
}

TEST(ErlangBTest, EdgeCases) {
  EXPECT_EQ(ErlangB(5, 0), 1.0);
  EXPECT_EQ(ErlangB(0, 3), 0.0);
  EXPECT_EQ(ErlangB(0, 0), 1.0);
  // Tiny load relative to c: B underflows to 0, never NaN.
  EXPECT_EQ(ErlangB(1.0, 100'000), 0.0);
  EXPECT_TRUE(std::isnan(ErlangB(-1, 3)));
  EXPECT_TRUE(std::isnan(ErlangB(std::numeric_limits<double>::quiet_NaN(), 3)));
  EXPECT_TRUE(std::isnan(ErlangB(1, -1)));
  // Heavily overloaded: B → 1 − c/a.
  EXPECT_NEAR(ErlangB(1e6, 10), 1 - 10 / 1e6, 1e-9);
}

TEST(ErlangCTest, ExactRationalValues) {
  // M/M/2, λ = μ = 1: a = 1, ρ = 1/2, C = (1/5) / (1 − (1/2)(4/5)) = 1/3.
  ExpectRelativelyNear(ErlangC(1, 2), 1.0L / 3, 1e-14);
  // a = 2, c = 3: C = (4/19) / (1 − (2/3)(15/19)) = 4/9.
  ExpectRelativelyNear(ErlangC(2, 3), 4.0L / 9, 1e-14);
  // M/M/1: C = ρ.
  ExpectRelativelyNear(ErlangC(0.8, 1), 0.8L, 1e-15);
}

TEST(ErlangCTest, MatchesFactorialFormulaForSmallC) {
  for (int c : {1, 2, 3, 5, 10, 25, 50, 100}) {
    for (double rho : {0.05, 0.3, 0.5, 0.8, 0.95, 0.999}) {
      const double a = rho * c;
      ExpectRelativelyNear(ErlangC(a, c), FactorialErlangC(a, c), 1e-11);
    }
  }
}

TEST(ErlangCTest, OneWhenOverloadedAndFiniteNearOne) {
  EXPECT_EQ(ErlangC(10, 10), 1.0);
  EXPECT_EQ(ErlangC(11, 10), 1.0);
  EXPECT_EQ(ErlangC(3, 0), 1.0);
  const double c = ErlangC(100 * (1 - 1e-9), 100);
  EXPECT_GT(c, 0.99999);
  EXPECT_LE(c, 1.0);
  ExpectRelativelyNear(c, FactorialErlangC(100 * (1 - 1e-9L), 100), 1e-9);
}

TEST(ErlangCTest, LargeCIsFiniteAndBelowOne) {
  const double c = ErlangC(99'900, 100'000);
  EXPECT_GT(c, 0);
  EXPECT_LT(c, 1);
  const long double b = PoissonErlangB(99'900, 100'000);
  const long double rho = 99'900.0L / 100'000;
  ExpectRelativelyNear(c, b / (1 - rho * (1 - b)), 1e-9);
}

}  // namespace
}  // namespace horizonscale::queueing

namespace horizonscale::queueing {
namespace {

TEST(ErlangCTest, PublishedCallCentreTable) {
  // Erlang C tables (probability of waiting, 4 decimals as printed) for an
  // offered load of 10 Erlangs, e.g. 200 calls/h at 3-minute handling time.
  const struct {
    int agents;
    double probability_of_wait;
  } table[] = {{11, 0.6821}, {12, 0.4494}, {13, 0.2853}, {14, 0.1741}, {15, 0.1020}};
  for (const auto& row : table) {
    EXPECT_NEAR(ErlangC(10, row.agents), row.probability_of_wait, 5e-5) << row.agents;
    // The same through the M/M/c model: 200 calls/h, 180 s each.
    PoolSpec pool;
    pool.model = Model::kMMc;
    pool.arrival_rate = 200.0 / 3600;
    pool.mean_service_time = 180;
    pool.service_time_stddev = 180;
    pool.workers = row.agents;
    absl::StatusOr<QueueMetrics> metrics = Evaluate(pool);
    ASSERT_TRUE(metrics.ok());
    EXPECT_NEAR(metrics->probability_of_wait, row.probability_of_wait, 5e-5) << row.agents;
    // Mean wait C / (cμ − λ): at 12 agents 0.4494 / (2/180 s) ≈ 40.4 s.
    EXPECT_NEAR(metrics->mean_wait, ErlangC(10, row.agents) * 180 / (row.agents - 10), 1e-9);
  }
}

}  // namespace
}  // namespace horizonscale::queueing

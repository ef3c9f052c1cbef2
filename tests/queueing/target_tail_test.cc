// CapacityTarget::tail (an SLO's error budget) and MissProbability against
// the exact M/M/c response-time and queue-length laws, computed here from
// the textbook formulas (Erlang C by its factorial sum, Gross & Harris
// §2.3), independently of the library.
#include <cmath>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

// Erlang C for offered load a and c servers: the textbook sum, in long double.
double TextbookErlangC(double a, int c) {
  long double term = 1, sum = 0;  // a^k / k!
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const long double last = term * c / (c - a);  // a^c / c! · c/(c − a)
  return static_cast<double>(last / (sum + last));
}

// P(T > t) for M/M/c: (1 − C) e^{−μt} + C (θ e^{−μt} − μ e^{−θt}) / (θ − μ),
// θ = cμ − λ (θ ≠ μ in the cases below).
double TextbookResponseSurvival(double lambda, double mu, int c, double t) {
  const double erlang_c = TextbookErlangC(lambda / mu, c);
  const double theta = c * mu - lambda;
  return (1 - erlang_c) * std::exp(-mu * t) +
         erlang_c * (theta * std::exp(-mu * t) - mu * std::exp(-theta * t)) / (theta - mu);
}

// P(Nq > k) for M/M/c: C ρ^{k+1}.
double TextbookQueueTail(double lambda, double mu, int c, int k) {
  return TextbookErlangC(lambda / mu, c) * std::pow(lambda / (c * mu), k + 1);
}

PoolSpec MMc(double lambda, double mean_service) {
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.arrival_rate = lambda;
  pool.mean_service_time = mean_service;
  return pool;
}

TEST(TargetTailTest, MM1ResponseTailIsExponential) {
  // M/M/1 at λ 0.5, μ 1: P(T > t) = e^{−0.5 t}; the 99.9th percentile is
  // 2 ln 1000 = 13.8155 s.
  PoolSpec pool = MMc(0.5, 1.0);
  CapacityTarget target;
  target.tail = 0.001;
  target.response_p95 = 13.9;
  absl::StatusOr<CapacityResult> result = FindMinimumWorkers(pool, target);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->workers, 1);
  target.response_p95 = 13.7;
  result = FindMinimumWorkers(pool, target);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->workers, 2);
  pool.workers = 1;
  EXPECT_NEAR(MissProbability(pool, target), std::exp(-0.5 * 13.7), 1e-12);
}

TEST(TargetTailTest, LeastWorkersMatchTheExactResponseLaw) {
  // For each budget, the least c with P(T > target) <= budget by a scan of
  // the textbook law, against FindMinimumWorkers.
  // λ 395/s, μ 10/s (a = 39.5; θ = cμ − λ never equals μ), target 1 s.
  const double lambda = 395, mu = 10, response_target = 1.0;
  for (double budget : {0.2, 0.05, 0.01, 0.001, 1e-4}) {
    int expected = 0;
    for (int c = 40; c < 200 && expected == 0; ++c) {
      if (TextbookResponseSurvival(lambda, mu, c, response_target) <= budget) expected = c;
    }
    ASSERT_GT(expected, 0);
    CapacityTarget target;
    target.tail = budget;
    target.response_p95 = response_target;
    absl::StatusOr<CapacityResult> result = FindMinimumWorkers(MMc(lambda, 1 / mu), target);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_TRUE(result->achievable) << result->reason;
    EXPECT_EQ(result->workers, expected) << "budget " << budget;
  }
}

TEST(TargetTailTest, SmallerBudgetNeedsMoreWorkers) {
  CapacityTarget loose, tight;
  // λ 195/s at 50 ms, target 0.4 s: P(T > 0.4) is 0.164 at 10 workers,
  // 0.00105 at 11, 0.00044 at 12 (textbook law).
  loose.response_p95 = tight.response_p95 = 0.4;
  loose.tail = 0.05;
  tight.tail = 0.0005;
  const PoolSpec pool = MMc(195, 0.05);
  absl::StatusOr<CapacityResult> a = FindMinimumWorkers(pool, loose);
  absl::StatusOr<CapacityResult> b = FindMinimumWorkers(pool, tight);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->workers, 11);
  EXPECT_EQ(b->workers, 12);
}

TEST(TargetTailTest, BacklogTargetUsesTheBudgetAsTimeShare) {
  // P(Nq > 20) <= budget, scanned on the textbook law.
  const double lambda = 9, mu = 1;
  for (double budget : {0.05, 0.001}) {
    int expected = 0;
    for (int c = 10; c < 100 && expected == 0; ++c) {
      if (TextbookQueueTail(lambda, mu, c, 20) <= budget) expected = c;
    }
    CapacityTarget target;
    target.tail = budget;
    target.max_backlog = 20;
    absl::StatusOr<CapacityResult> result = FindMinimumWorkers(MMc(lambda, 1 / mu), target);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->workers, expected) << "budget " << budget;
  }
}

TEST(TargetTailTest, ResponseTargetBelowTheServiceQuantileIsImpossible) {
  // Exponential service of mean 1 s: its 99.9th percentile is ln 1000 = 6.9 s.
  CapacityTarget target;
  target.tail = 0.001;
  target.response_p95 = 6.5;
  absl::StatusOr<CapacityResult> result = FindMinimumWorkers(MMc(1, 1), target);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->achievable);
  EXPECT_NE(result->reason.find("p99.9 of the service time alone"), std::string::npos)
      << result->reason;
}

TEST(TargetTailTest, MissProbabilityIsTheLargerTailOfTheEnforcedTargets) {
  PoolSpec pool = MMc(40, 1);
  pool.workers = 45;
  CapacityTarget target;
  target.response_p95 = 1.5;
  const double response = TextbookResponseSurvival(40, 1, 45, 1.5);
  ASSERT_GT(response, 0.2);
  EXPECT_NEAR(MissProbability(pool, target), response, 1e-9);
  target.max_backlog = 2.7;  // P(Nq > 2)
  const double queue = TextbookQueueTail(40, 1, 45, 2);
  EXPECT_NEAR(MissProbability(pool, target), std::max(response, queue), 1e-9);
  target.response_p95 = 0;
  EXPECT_NEAR(MissProbability(pool, target), queue, 1e-9);
  target.max_backlog = -1;
  EXPECT_EQ(MissProbability(pool, target), 0);
  target.response_p95 = 1.5;
  pool.workers = 40;  // a = c: unstable
  EXPECT_EQ(MissProbability(pool, target), 1);
  pool.arrival_rate = std::nan("");
  EXPECT_TRUE(std::isnan(MissProbability(pool, target)));
}

TEST(TargetTailTest, TailOutsideTheOpenUnitIntervalIsInvalid) {
  for (double tail : {0.0, 1.0, -0.1, std::nan("")}) {
    CapacityTarget target;
    target.tail = tail;
    absl::StatusOr<CapacityResult> result = FindMinimumWorkers(MMc(1, 1), target);
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.status().message().find("tail"), std::string::npos);
  }
}

}  // namespace
}  // namespace horizonscale::queueing

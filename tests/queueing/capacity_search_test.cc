// FindMinimumWorkers against a brute-force linear scan of Evaluate, plus the
// impossible / capped / boundary cases and the reasons they report.
#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

CapacityResult MustFind(const PoolSpec& pool, const CapacityTarget& target) {
  absl::StatusOr<CapacityResult> result = FindMinimumWorkers(pool, target);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : CapacityResult{};
}

QueueMetrics MustEvaluateAt(PoolSpec pool, int c) {
  pool.workers = c;
  absl::StatusOr<QueueMetrics> metrics = Evaluate(pool);
  EXPECT_TRUE(metrics.ok()) << metrics.status();
  return metrics.ok() ? *metrics : QueueMetrics{};
}

bool ResponseEnforced(const CapacityTarget& t) {
  return t.response_p95 > 0 && std::isfinite(t.response_p95);
}

// Does c meet the target, judged on Evaluate's figures?
bool Meets(const QueueMetrics& m, const CapacityTarget& t, Model model) {
  if (!m.stable) return false;
  if (m.utilization > t.max_utilization) return false;
  if (t.max_backlog >= 0 && std::isfinite(t.max_backlog) && m.queue_length_p95 > t.max_backlog) {
    return false;
  }
  if (ResponseEnforced(t) && m.response_p95 > t.response_p95) return false;
  if (model == Model::kMMcK && m.blocking_probability > t.max_blocking) return false;
  return true;
}

int SearchCap(const PoolSpec& pool, const CapacityTarget& t) {
  if (pool.model == Model::kMM1) return 1;
  if (pool.model == Model::kMMcK) {
    return static_cast<int>(std::min<int64_t>(t.max_workers, pool.system_capacity));
  }
  return t.max_workers;
}

// 0 when no c in [1, cap] meets the target.
int BruteForce(const PoolSpec& pool, const CapacityTarget& t) {
  const int cap = SearchCap(pool, t);
  for (int c = 1; c <= cap; ++c) {
    if (Meets(MustEvaluateAt(pool, c), t, pool.model)) return c;
  }
  return 0;
}

// Whether c's response_p95 sits within root-finding tolerance of the target
// (where the search's P(T > target) <= 5 % and Evaluate's solved percentile
// may legitimately disagree).
bool Borderline(const PoolSpec& pool, int c, const CapacityTarget& t) {
  if (c < 1 || !ResponseEnforced(t)) return false;
  const QueueMetrics m = MustEvaluateAt(pool, c);
  return std::fabs(m.response_p95 - t.response_p95) <= 1e-9 * t.response_p95;
}

TEST(CapacitySearchTest, MatchesBruteForceOnRandomInputs) {
  std::mt19937_64 rng(20240611);
  std::uniform_real_distribution<double> unit(0, 1);
  int achievable_cases = 0;
  for (int i = 0; i < 400; ++i) {
    PoolSpec pool;
    const int model_pick = static_cast<int>(unit(rng) * 4);
    pool.model = model_pick == 0   ? Model::kMM1
                 : model_pick == 1 ? Model::kMMc
                 : model_pick == 2 ? Model::kMGc
                                   : Model::kMMcK;
    pool.mean_service_time = std::exp(std::log(0.001) + unit(rng) * std::log(2000.0));
    const double offered =
        pool.model == Model::kMM1 ? unit(rng) * 1.2 : std::exp(std::log(0.05) + unit(rng) * 5.5);
    pool.arrival_rate = offered / pool.mean_service_time;
    pool.service_time_stddev = pool.mean_service_time * (unit(rng) < 0.2 ? 0.0 : unit(rng) * 3);
    pool.system_capacity = 1 + static_cast<int64_t>(unit(rng) * 400);
    pool.workers = 0;  // ignored by the search
    CapacityTarget target;
    target.response_p95 = unit(rng) < 0.2 ? 0 : pool.mean_service_time * (1 + unit(rng) * 14);
    target.max_backlog = unit(rng) < 0.5 ? -1 : std::floor(unit(rng) * 30);
    target.max_utilization = unit(rng) < 0.4 ? 1 : 0.5 + 0.5 * unit(rng);
    target.max_workers = 1 + static_cast<int>(unit(rng) * 250);
    target.max_blocking = unit(rng) < 0.5 ? 1 : std::pow(10, -4 + 3 * unit(rng));
    SCOPED_TRACE(testing::Message()
                 << "case " << i << " model=" << static_cast<int>(pool.model)
                 << " lambda=" << pool.arrival_rate << " s=" << pool.mean_service_time
                 << " sd=" << pool.service_time_stddev << " K=" << pool.system_capacity
                 << " p95=" << target.response_p95 << " backlog=" << target.max_backlog
                 << " util=" << target.max_utilization << " max=" << target.max_workers
                 << " blocking=" << target.max_blocking);
    const CapacityResult result = MustFind(pool, target);
    const int expected = BruteForce(pool, target);
    if (expected == 0) {
      EXPECT_FALSE(result.achievable) << result.reason;
      EXPECT_EQ(result.workers, SearchCap(pool, target));
    } else {
      ++achievable_cases;
      if (result.workers != expected) {
        // Only a percentile within solver tolerance of the target may differ.
        EXPECT_TRUE(Borderline(pool, expected, target) || Borderline(pool, result.workers, target))
            << "search " << result.workers << " vs brute force " << expected;
      } else {
        EXPECT_TRUE(result.achievable) << result.reason;
      }
    }
    EXPECT_EQ(result.metrics.workers, result.workers);
    EXPECT_FALSE(result.reason.empty());
    const QueueMetrics direct = MustEvaluateAt(pool, result.workers);
    EXPECT_EQ(result.metrics.response_p95, direct.response_p95);
    EXPECT_EQ(result.metrics.queue_length_p95, direct.queue_length_p95);
  }
  EXPECT_GT(achievable_cases, 100);  // the generator exercises both outcomes
}

TEST(CapacitySearchTest, TypicalPlannerCase) {
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.arrival_rate = 200;
  pool.mean_service_time = 0.05;
  CapacityTarget target;
  target.response_p95 = 0.2;
  const CapacityResult result = MustFind(pool, target);
  EXPECT_TRUE(result.achievable);
  EXPECT_EQ(result.workers, BruteForce(pool, target));
  EXPECT_LE(result.metrics.response_p95, 0.2);
  EXPECT_GT(MustEvaluateAt(pool, result.workers - 1).response_p95, 0.2);
  EXPECT_NE(result.reason.find("response_p95"), std::string::npos) << result.reason;
}

TEST(CapacitySearchTest, TargetBelowServiceTimeIsImpossible) {
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.arrival_rate = 200;
  pool.mean_service_time = 0.05;  // service p95 = 0.05 ln 20 = 0.1498 s
  CapacityTarget target;
  target.response_p95 = 0.1;
  const CapacityResult result = MustFind(pool, target);
  EXPECT_FALSE(result.achievable);
  EXPECT_EQ(result.workers, kMaxWorkers);
  EXPECT_EQ(result.metrics.workers, kMaxWorkers);
  EXPECT_NE(result.reason.find("service time"), std::string::npos) << result.reason;
  // Same for M/G/c with its own (gamma) service p95, and M/M/c/K.
  pool.model = Model::kMGc;
  pool.service_time_stddev = 0.01;
  target.response_p95 = 0.06;  // gamma(25) p95 ≈ 0.0666 s
  EXPECT_FALSE(MustFind(pool, target).achievable);
  pool.model = Model::kMMcK;
  pool.system_capacity = 500;
  target.response_p95 = 0.14;
  const CapacityResult finite = MustFind(pool, target);
  EXPECT_FALSE(finite.achievable);
  EXPECT_EQ(finite.workers, 500);  // capped at K
}

TEST(CapacitySearchTest, MaxWorkersTooLow) {
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.arrival_rate = 200;
  pool.mean_service_time = 0.05;  // a = 10
  CapacityTarget target;
  target.response_p95 = 0.2;
  target.max_workers = 8;  // unstable
  CapacityResult result = MustFind(pool, target);
  EXPECT_FALSE(result.achievable);
  EXPECT_EQ(result.workers, 8);
  EXPECT_FALSE(result.metrics.stable);
  EXPECT_EQ(result.metrics.response_p95, HUGE_VAL);
  EXPECT_NE(result.reason.find("unstable"), std::string::npos) << result.reason;
  // Stable but too slow.
  const int needed = MustFind(pool, CapacityTarget{.response_p95 = 0.2}).workers;
  target.max_workers = needed - 1;
  result = MustFind(pool, target);
  EXPECT_FALSE(result.achievable);
  EXPECT_EQ(result.workers, needed - 1);
  EXPECT_TRUE(result.metrics.stable);
  EXPECT_NE(result.reason.find("response_p95"), std::string::npos) << result.reason;
}

TEST(CapacitySearchTest, UtilizationBoundIsExactAtTheBoundary) {
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.arrival_rate = 8;
  pool.mean_service_time = 1;
  CapacityTarget target;
  target.max_utilization = 0.8;  // 8/10 = 0.8 is allowed
  CapacityResult result = MustFind(pool, target);
  EXPECT_EQ(result.workers, 10);
  EXPECT_NE(result.reason.find("max_utilization"), std::string::npos) << result.reason;
  pool.arrival_rate = 10;  // 10/12 > 0.8 >= 10/13
  EXPECT_EQ(MustFind(pool, target).workers, 13);
  // Stability alone: a = 10 needs 11.
  target.max_utilization = 1;
  result = MustFind(pool, target);
  EXPECT_EQ(result.workers, 11);
  EXPECT_NE(result.reason.find("stability"), std::string::npos) << result.reason;
}

TEST(CapacitySearchTest, NoArrivalsNeedOneWorker) {
  PoolSpec pool;
  pool.model = Model::kMGc;
  pool.arrival_rate = 0;
  pool.mean_service_time = 1;
  pool.service_time_stddev = 0.5;
  CapacityTarget target;
  target.response_p95 = 10;
  target.max_backlog = 0;
  const CapacityResult result = MustFind(pool, target);
  EXPECT_TRUE(result.achievable);
  EXPECT_EQ(result.workers, 1);
  EXPECT_EQ(result.reason, "1 worker meets every target");
}

TEST(CapacitySearchTest, SingleServerModelOnlyConsidersOne) {
  PoolSpec pool;
  pool.model = Model::kMM1;
  pool.arrival_rate = 0.5;
  pool.mean_service_time = 1;  // T ~ Exp(0.5): p95 = 2 ln 20 = 5.99 s
  CapacityTarget target;
  target.response_p95 = 6;
  EXPECT_TRUE(MustFind(pool, target).achievable);
  target.response_p95 = 5;
  const CapacityResult result = MustFind(pool, target);
  EXPECT_FALSE(result.achievable);
  EXPECT_EQ(result.workers, 1);
}

TEST(CapacitySearchTest, HundredThousandScale) {
  for (Model model : {Model::kMMc, Model::kMGc}) {
    PoolSpec pool;
    pool.model = model;
    pool.arrival_rate = 99'000;
    pool.mean_service_time = 1;
    pool.service_time_stddev = 0.7;
    CapacityTarget target;
    target.response_p95 = model == Model::kMMc ? 3.1 : 2.5;
    target.max_backlog = 10;
    const CapacityResult result = MustFind(pool, target);
    ASSERT_TRUE(result.achievable) << result.reason;
    EXPECT_GT(result.workers, 99'000);
    EXPECT_TRUE(Meets(MustEvaluateAt(pool, result.workers), target, model));
    EXPECT_FALSE(Meets(MustEvaluateAt(pool, result.workers - 1), target, model));
  }
}

TEST(CapacitySearchTest, FiniteCapacityWithBlockingTarget) {
  PoolSpec pool;
  pool.model = Model::kMMcK;
  pool.arrival_rate = 50;
  pool.mean_service_time = 1;
  pool.system_capacity = 80;
  CapacityTarget target;
  target.response_p95 = 5;
  // Without a blocking ceiling a small, saturated pool already "meets" the
  // latency of the jobs it admits.
  const CapacityResult loose = MustFind(pool, target);
  EXPECT_EQ(loose.workers, BruteForce(pool, target));
  target.max_blocking = 0.001;
  const CapacityResult strict = MustFind(pool, target);
  EXPECT_TRUE(strict.achievable);
  EXPECT_EQ(strict.workers, BruteForce(pool, target));
  EXPECT_LE(strict.metrics.blocking_probability, 0.001);
  EXPECT_GT(strict.workers, loose.workers);
}

}  // namespace
}  // namespace horizonscale::queueing

namespace horizonscale::queueing {
namespace {

TEST(MeetsTarget, AgreesWithTheSearchAnswer) {
  // The planner case: λ = 200/s, 0.05 s, P95 <= 0.2 s → 12 workers.
  PoolSpec pool;
  pool.model = Model::kMMc;
  pool.arrival_rate = 200;
  pool.mean_service_time = 0.05;
  pool.service_time_stddev = 0.05;
  CapacityTarget target;
  target.response_p95 = 0.2;
  target.max_backlog = 5;
  for (Model model : {Model::kMMc, Model::kMGc}) {
    pool.model = model;
    absl::StatusOr<CapacityResult> result =
        FindMinimumWorkers(pool, target, ResultDetail::kWorkersOnly);
    ASSERT_TRUE(result.ok() && result->achievable);
    pool.workers = result->workers;
    EXPECT_TRUE(MeetsTarget(pool, target));
    pool.workers = result->workers - 1;
    EXPECT_FALSE(MeetsTarget(pool, target));
    pool.workers = result->workers + 10;
    EXPECT_TRUE(MeetsTarget(pool, target));
  }
  pool.arrival_rate = -1;  // invalid input is "not met", not a crash
  EXPECT_FALSE(MeetsTarget(pool, target));
}

}  // namespace
}  // namespace horizonscale::queueing

// FindCostOptimalWorkers against a brute-force scan of MissProbability, and
// its two limits: free violations buy the least stable pool, priceless ones
// at least the pool that meets the target.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

PoolSpec Pool(Model model, double lambda, double mean_service, double stddev = 0) {
  PoolSpec pool;
  pool.model = model;
  pool.arrival_rate = lambda;
  pool.mean_service_time = mean_service;
  pool.service_time_stddev = stddev;
  return pool;
}

// The argmin over the stable c <= max_workers of c·w + v·MissProbability(c).
CostOptimum BruteForce(PoolSpec pool, const CapacityTarget& target, double w, double v) {
  CostOptimum best;
  best.expected_cost_per_hour = std::numeric_limits<double>::infinity();
  for (int c = 1; c <= target.max_workers; ++c) {
    if (pool.model != Model::kMMcK && pool.arrival_rate * pool.mean_service_time >= c) continue;
    pool.workers = c;
    const double miss = MissProbability(pool, target);
    const double total = c * w + v * miss;
    if (total < best.expected_cost_per_hour) best = {c, miss, total};
  }
  return best;
}

TEST(CostOptimalTest, MatchesABruteForceScan) {
  CapacityTarget target;
  target.max_workers = 400;
  target.response_p95 = 0.3;
  for (Model model : {Model::kMMc, Model::kMGc}) {
    for (double v : {1.0, 100.0, 1e4, 1e7}) {
      const PoolSpec pool = Pool(model, 180, 0.1, 0.05);
      absl::StatusOr<CostOptimum> found = FindCostOptimalWorkers(pool, target, 0.5, v);
      ASSERT_TRUE(found.ok()) << found.status();
      const CostOptimum expected = BruteForce(pool, target, 0.5, v);
      EXPECT_EQ(found->workers, expected.workers) << "violation cost " << v;
      EXPECT_NEAR(found->expected_cost_per_hour, expected.expected_cost_per_hour, 1e-9);
      EXPECT_NEAR(found->miss_probability, expected.miss_probability, 1e-12);
    }
  }
}

TEST(CostOptimalTest, BacklogTargetAndMMcK) {
  CapacityTarget target;
  target.max_workers = 60;
  target.max_backlog = 5;
  PoolSpec pool = Pool(Model::kMMcK, 30, 1);
  pool.system_capacity = 80;
  absl::StatusOr<CostOptimum> found = FindCostOptimalWorkers(pool, target, 1, 500);
  ASSERT_TRUE(found.ok()) << found.status();
  const CostOptimum expected = BruteForce(pool, target, 1, 500);
  EXPECT_EQ(found->workers, expected.workers);
}

TEST(CostOptimalTest, FreeViolationsBuyTheLeastStablePool) {
  CapacityTarget target;
  target.response_p95 = 0.2;
  absl::StatusOr<CostOptimum> found =
      FindCostOptimalWorkers(Pool(Model::kMMc, 200, 0.05), target, 0.5, 0);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->workers, 11);  // a = 10: the least stable count
}

TEST(CostOptimalTest, PricelessViolationsBuyAtLeastThePoolMeetingTheTarget) {
  CapacityTarget target;
  target.response_p95 = 0.2;
  const PoolSpec pool = Pool(Model::kMMc, 200, 0.05);
  absl::StatusOr<CapacityResult> meeting = FindMinimumWorkers(pool, target);
  absl::StatusOr<CostOptimum> found = FindCostOptimalWorkers(pool, target, 0.5, 1e9);
  ASSERT_TRUE(meeting.ok() && found.ok());
  EXPECT_GE(found->workers, meeting->workers);
  EXPECT_LE(found->miss_probability, target.tail);
}

TEST(CostOptimalTest, NoStableCountGivesMaxWorkersMissingAlways) {
  CapacityTarget target;
  target.max_workers = 5;
  absl::StatusOr<CostOptimum> found =
      FindCostOptimalWorkers(Pool(Model::kMMc, 10, 1), target, 2, 100);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->workers, 5);
  EXPECT_EQ(found->miss_probability, 1);
  EXPECT_EQ(found->expected_cost_per_hour, 110);
}

TEST(CostOptimalTest, RejectsBadCosts) {
  const CapacityTarget target;
  for (double bad : {-1.0, std::nan(""), std::numeric_limits<double>::infinity()}) {
    absl::StatusOr<CostOptimum> found =
        FindCostOptimalWorkers(Pool(Model::kMMc, 1, 1), target, bad, 1);
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.status().message().find("worker_cost_per_hour"), std::string::npos);
    found = FindCostOptimalWorkers(Pool(Model::kMMc, 1, 1), target, 1, bad);
    ASSERT_FALSE(found.ok());
    EXPECT_NE(found.status().message().find("violation_cost_per_hour"), std::string::npos);
  }
}

}  // namespace
}  // namespace horizonscale::queueing

// From a plan to the HPA's metric: the step schedule, and the tolerance
// rule checked against the HPA's own formula.
#include "server/keda/replica_metric.h"

#include <cmath>

#include <gtest/gtest.h>

#include "server/common/proto_time.h"

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

v1::CapacityPlan Plan(int current, std::vector<std::pair<absl::Duration, int>> steps) {
  v1::CapacityPlan plan;
  plan.set_current_workers(current);
  for (const auto& [at, workers] : steps) {
    v1::ScalingStep* step = plan.add_steps();
    *step->mutable_schedule_time() = ToProtoTimestamp(kT0 + at);
    step->set_to_workers(workers);
  }
  return plan;
}

// What the HPA does with an AverageValue target of 1 (Kubernetes'
// replica_calculator: keep `current` within the tolerance, else
// ceil(metric / target)).
int HpaReplicas(int64_t metric, int current, double tolerance) {
  const double ratio = static_cast<double>(metric) / current;
  if (std::abs(1.0 - ratio) <= tolerance) return current;
  return static_cast<int>(std::ceil(static_cast<double>(metric)));
}

TEST(PlannedWorkersAt, FollowsTheStepSchedule) {
  const v1::CapacityPlan plan = Plan(10, {{absl::ZeroDuration(), 14}, {absl::Minutes(20), 9}});
  EXPECT_EQ(PlannedWorkersAt(plan, kT0 - absl::Seconds(1)), 10);
  EXPECT_EQ(PlannedWorkersAt(plan, kT0), 14);
  EXPECT_EQ(PlannedWorkersAt(plan, kT0 + absl::Minutes(19)), 14);
  EXPECT_EQ(PlannedWorkersAt(plan, kT0 + absl::Minutes(20)), 9);
  EXPECT_EQ(PlannedWorkersAt(Plan(3, {}), kT0), 3);
}

TEST(HpaMetric, LargeChangesAreReportedAsPlanned) {
  EXPECT_EQ(HpaMetric(30, 20, 0.1), 30);
  EXPECT_EQ(HpaMetric(10, 20, 0.1), 10);
  EXPECT_EQ(HpaMetric(5, std::nullopt, 0.1), 5);
  EXPECT_EQ(HpaMetric(0, 3, 0.1), 0);
  EXPECT_EQ(HpaMetric(4, 0, 0.1), 4);
}

TEST(HpaMetric, ASmallScaleUpIsNotSwallowed) {
  // For every pool size and planned scale-up, the HPA lands at or above the
  // plan, and above it by no more than the tolerance needs.
  for (int current = 1; current <= 200; ++current) {
    for (int planned = current + 1; planned <= current * 2 + 2; ++planned) {
      const int64_t metric = HpaMetric(planned, current, 0.1);
      const int replicas = HpaReplicas(metric, current, 0.1);
      ASSERT_GE(replicas, planned) << current << " -> " << planned;
      ASSERT_LE(replicas, std::max<double>(planned, std::floor(current * 1.1) + 1))
          << current << " -> " << planned;
    }
  }
  EXPECT_EQ(HpaMetric(21, 20, 0.1), 23);  // 21/20 is within 10 %: 23 crosses it
}

TEST(HpaMetric, ZeroToleranceReportsThePlan) { EXPECT_EQ(HpaMetric(21, 20, 0), 21); }

TEST(HpaMetric, ASmallScaleDownIsLeftToTheHpa) {
  // Reported as planned; the HPA keeps the current pool (the safe side).
  EXPECT_EQ(HpaMetric(19, 20, 0.1), 19);
  EXPECT_EQ(HpaReplicas(19, 20, 0.1), 20);
}

}  // namespace
}  // namespace horizonscale::server

// A run that starts with jobs already waiting: served first, timed from the
// start, counted in the backlog and in the event estimate, not as arrivals.
#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::FixedPlan;
using testing::MustSimulate;

TEST(InitialBacklogTest, DeterministicDrainByHand) {
  // 100 jobs of exactly 1 s on 10 workers, nothing arriving: 10 start every
  // second, the last batch ends at 10 s. At the end of the first 5-s window
  // 50 have started (at 0, 1, ..., 4 s), so 50 wait.
  Scenario scenario = ConstantScenario(0, absl::Seconds(20), absl::Seconds(5));
  scenario.initial_backlog = 100;
  const RunResult result =
      MustSimulate(scenario, FixedPlan(10), Config(ServiceDistribution::kDeterministic, 1, 0, 1));
  ASSERT_EQ(result.timeline.size(), 4U);
  EXPECT_EQ(result.timeline[0].backlog, 50);
  EXPECT_EQ(result.timeline[1].backlog, 0);
  EXPECT_EQ(result.summary.jobs_completed, 100);
  EXPECT_EQ(result.summary.jobs_arrived, 0);
  EXPECT_EQ(result.summary.max_backlog, 90);
  // Response times 1, 2, ..., 10 s, ten jobs each: mean 5.5 s.
  EXPECT_NEAR(result.summary.average_latency, 5.5, 1e-9);
}

TEST(InitialBacklogTest, BacklogJobsGoFirstAndCountInTheEstimate) {
  Scenario scenario = ConstantScenario(10, absl::Minutes(10));
  const int64_t without = EstimateEvents(scenario);
  scenario.initial_backlog = 1000;
  EXPECT_EQ(EstimateEvents(scenario), without + 2000);
  // 20 workers at 1 s against 10 jobs/s drain 1000 jobs at 10/s: ~100 s.
  const RunResult result =
      MustSimulate(scenario, FixedPlan(20), Config(ServiceDistribution::kExponential, 1, 1, 3));
  EXPECT_GT(result.timeline[0].backlog, 300);
  EXPECT_EQ(result.timeline[3].backlog, 0);
}

TEST(InitialBacklogTest, OutOfRangeIsInvalid) {
  Scenario scenario = ConstantScenario(1, absl::Minutes(1));
  for (int64_t bad : {int64_t{-1}, kMaxInitialBacklog + 1}) {
    scenario.initial_backlog = bad;
    const absl::Status status =
        ValidateScenario(scenario, Config(ServiceDistribution::kExponential, 1, 1, 1));
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.message().find("initial_backlog"), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace horizonscale::simulator

// The pool follows the plan: step times, provisioning delay, scale-down that
// lets busy workers finish, cancelled provisioning, steps before the start,
// billing by the documented rule, and job conservation.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::MustSimulate;

// End of window k (seconds) for 60-s windows.
double WindowEnd(size_t k) { return 60.0 * static_cast<double>(k + 1); }

TEST(PlanTest, ScaleUpServesAfterProvisioningDelay) {
  // 2 workers, then 8 requested at 600 s; they serve from 720 s.
  const Scenario scenario = ConstantScenario(5, absl::Seconds(1800));
  PoolPlan plan;
  plan.initial_workers = 2;
  plan.steps.push_back({scenario.start + absl::Seconds(600), 8});
  SimulationConfig config = Config(ServiceDistribution::kExponential, 1, 1, 7);
  config.provisioning_delay = absl::Seconds(120);
  config.worker_cost_per_hour = 0.5;

  const RunResult result = MustSimulate(scenario, plan, config);
  ASSERT_EQ(result.timeline.size(), 30U);
  for (size_t k = 0; k < result.timeline.size(); ++k) {
    // A worker that becomes ready exactly at a window's end counts in the next.
    const int expected = WindowEnd(k) <= 720 ? 2 : 8;
    EXPECT_EQ(result.timeline[k].workers, expected) << "window " << k;
  }
  // Overloaded before (λ = 5 > 2μ): every present worker busy all window.
  EXPECT_NEAR(result.timeline[5].utilization, 1.0, 1e-9);
  // Billing from the step time: 2 × 1800 + 6 × (1800 − 600) worker-seconds.
  EXPECT_NEAR(result.summary.worker_cost, (2 * 1800.0 + 6 * 1200.0) / 3600 * 0.5, 1e-9);
}

TEST(PlanTest, ScaleDownLetsBusyWorkersFinish) {
  // Deterministic 100-s jobs, λ = 1/s: every worker is always busy. At
  // 1230 s the target drops from 5 to 1: the 4 leavers finish their job
  // (within 100 s) and then leave.
  const Scenario scenario = ConstantScenario(1, absl::Seconds(1800));
  PoolPlan plan;
  plan.initial_workers = 5;
  plan.steps.push_back({scenario.start + absl::Seconds(1230), 1});
  const SimulationConfig config = Config(ServiceDistribution::kDeterministic, 100, 0, 3);

  internal::Diagnostics diagnostics;
  const RunResult result = MustSimulate(scenario, plan, config, &diagnostics);
  int previous = 5;
  for (size_t k = 0; k < result.timeline.size(); ++k) {
    const Window& window = result.timeline[k];
    if (WindowEnd(k) <= 1230) {
      EXPECT_EQ(window.workers, 5) << "window " << k;
    } else if (WindowEnd(k) >= 1330) {
      EXPECT_EQ(window.workers, 1) << "window " << k;
    } else {
      EXPECT_GE(window.workers, 1);
      EXPECT_LE(window.workers, previous);
    }
    previous = window.workers;
  }
  // No job lost: arrived = completed + waiting + in service.
  const Summary& summary = result.summary;
  EXPECT_EQ(summary.jobs_arrived,
            summary.jobs_completed + diagnostics.waiting_at_end + diagnostics.in_service_at_end);
  EXPECT_EQ(result.timeline.back().backlog, diagnostics.waiting_at_end);
  EXPECT_EQ(diagnostics.in_service_at_end, 1);  // the one worker left is busy
  // No job interrupted: every completed job got its full 100 s.
  for (const Window& window : result.timeline) {
    if (window.completions > 0) {
      EXPECT_GE(window.p95_latency, 100.0);
    }
  }
  // Leavers are paid until their job ends: between 0 and 100 s each.
  const double paid_floor = 5 * 1230.0 + 1 * 570.0;
  EXPECT_GE(diagnostics.paid_seconds, paid_floor);
  EXPECT_LE(diagnostics.paid_seconds, paid_floor + 4 * 100.0);
  // Totals agree with the timeline.
  int64_t arrivals = 0;
  int64_t completions = 0;
  for (const Window& window : result.timeline) {
    arrivals += window.arrivals;
    completions += window.completions;
  }
  EXPECT_EQ(arrivals, summary.jobs_arrived);
  EXPECT_EQ(completions, summary.jobs_completed);
}

TEST(PlanTest, ScaleDownRemovesIdleWorkersAtOnce) {
  // Light load on 10 workers; drop to 3 at 600 s: the idle ones leave at
  // once, so the window ending at 660 s shows at most 3 + the busy ones, and
  // billing drops immediately for the idle ones.
  const Scenario scenario = ConstantScenario(0.5, absl::Seconds(1200));
  PoolPlan plan;
  plan.initial_workers = 10;
  plan.steps.push_back({scenario.start + absl::Seconds(600), 3});
  internal::Diagnostics diagnostics;
  const RunResult result = MustSimulate(
      scenario, plan, Config(ServiceDistribution::kExponential, 0.5, 1, 5), &diagnostics);
  EXPECT_EQ(result.timeline[9].workers, 10);
  EXPECT_LE(result.timeline[10].workers, 4);
  EXPECT_EQ(result.timeline.back().workers, 3);
  EXPECT_LE(diagnostics.paid_seconds, 10 * 600.0 + 3 * 600.0 + 7 * 10.0);
}

TEST(PlanTest, ScaleDownCancelsProvisioningFirst) {
  // Up to 10 at 600 s (delay 300 s), back to 2 at 700 s before they serve:
  // the 8 never serve and are paid for 100 s each.
  const Scenario scenario = ConstantScenario(1, absl::Seconds(1800));
  PoolPlan plan;
  plan.initial_workers = 2;
  plan.steps.push_back({scenario.start + absl::Seconds(600), 10});
  plan.steps.push_back({scenario.start + absl::Seconds(700), 2});
  SimulationConfig config = Config(ServiceDistribution::kExponential, 0.5, 1, 9);
  config.provisioning_delay = absl::Seconds(300);
  internal::Diagnostics diagnostics;
  const RunResult result = MustSimulate(scenario, plan, config, &diagnostics);
  for (const Window& window : result.timeline) EXPECT_EQ(window.workers, 2);
  EXPECT_NEAR(diagnostics.paid_seconds, 2 * 1800.0 + 8 * 100.0, 1e-6);
}

TEST(PlanTest, StepsBeforeTheStartSetTheInitialPool) {
  // A step an hour before the start applies at once (already provisioned).
  const Scenario scenario = ConstantScenario(1, absl::Seconds(600));
  PoolPlan plan;
  plan.initial_workers = 1;
  plan.steps.push_back({scenario.start - absl::Hours(1), 4});
  SimulationConfig config = Config(ServiceDistribution::kExponential, 0.5, 1, 9);
  config.provisioning_delay = absl::Seconds(300);
  const RunResult result = MustSimulate(scenario, plan, config);
  for (const Window& window : result.timeline) EXPECT_EQ(window.workers, 4);
}

TEST(PlanTest, ZeroWorkersServeNothing) {
  const Scenario scenario = ConstantScenario(2, absl::Seconds(600));
  internal::Diagnostics diagnostics;
  const RunResult result =
      MustSimulate(scenario, testing::FixedPlan(0),
                   Config(ServiceDistribution::kExponential, 1, 1, 1), &diagnostics);
  EXPECT_EQ(result.summary.jobs_completed, 0);
  EXPECT_EQ(result.summary.max_backlog, result.summary.jobs_arrived);
  EXPECT_EQ(result.summary.worker_cost, 0);
  EXPECT_EQ(result.summary.efficiency_score, 0);
  EXPECT_EQ(result.timeline.back().utilization, 0);
}

}  // namespace
}  // namespace horizonscale::simulator

// Cancellation: the callback is polled during the run and a cancelled run
// returns CANCELLED promptly.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::FixedPlan;

TEST(CancellationTest, StopsPromptlyWhenTheFlagIsSet) {
  // 2000 jobs/s for ~28 h: ~4·10^8 events, tens of seconds of work.
  const Scenario scenario = ConstantScenario(2000, absl::Seconds(100'000));
  const SimulationConfig config = Config(ServiceDistribution::kExponential, 0.01, 1, 1);
  std::atomic<bool> stop{false};
  std::atomic<int64_t> set_at_ns{0};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    set_at_ns = std::chrono::steady_clock::now().time_since_epoch().count();
    stop = true;
  });
  const absl::StatusOr<RunResult> result =
      Simulate(scenario, FixedPlan(30), config, [&] { return stop.load(); });
  const int64_t returned_ns = std::chrono::steady_clock::now().time_since_epoch().count();
  canceller.join();
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled) << result.status();
  const auto latency_ms = static_cast<double>(returned_ns - set_at_ns.load()) / 1e6;
  std::printf("returned %.3f ms after the flag\n", latency_ms);
  EXPECT_LT(latency_ms, 100);
}

TEST(CancellationTest, CancelledBeforeTheStart) {
  const absl::StatusOr<RunResult> result =
      Simulate(ConstantScenario(1, absl::Hours(1)), FixedPlan(1),
               Config(ServiceDistribution::kExponential, 1, 1, 1), [] { return true; });
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
}

TEST(CancellationTest, PolledEveryFewThousandEvents) {
  int64_t polls = 0;
  const absl::StatusOr<RunResult> result =
      Simulate(ConstantScenario(100, absl::Seconds(1000)), FixedPlan(200),
               Config(ServiceDistribution::kExponential, 1, 1, 1), [&] {
                 ++polls;
                 return false;
               });
  ASSERT_TRUE(result.ok()) << result.status();
  // ~2·10^5 events: polled at least every 5000 events, at most every 1000.
  const int64_t events = result->summary.events;
  EXPECT_GE(polls, events / 5000);
  EXPECT_LE(polls, events / 1000 + 2);
}

}  // namespace
}  // namespace horizonscale::simulator

// SummaryIntervals on replications whose interval is computed by hand.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "simulator/simulator.h"

namespace horizonscale::simulator {
namespace {

TEST(SummaryIntervalsTest, HandComputedInterval) {
  // p95_latency over 10 replications: 1..10 → mean 5.5, s = √(55/6),
  // half-width t_{0.975,9} · s / √10 = 2.262157 · 3.027650 / 3.162278 = 2.165851.
  std::vector<Summary> replications(10);
  for (int i = 0; i < 10; ++i) {
    replications[i].p95_latency = i + 1;
    replications[i].jobs_arrived = 100;
  }
  const std::vector<MetricInterval> intervals = SummaryIntervals(replications);
  ASSERT_EQ(intervals.size(), 12U);
  const MetricInterval* p95 = nullptr;
  for (const MetricInterval& interval : intervals) {
    if (interval.metric == "p95_latency") p95 = &interval;
    EXPECT_EQ(interval.level, 0.95);
  }
  ASSERT_NE(p95, nullptr);
  const double half = 2.2621571627982 * std::sqrt(55.0 / 6) / std::sqrt(10.0);
  EXPECT_NEAR(p95->mean, 5.5, 1e-12);
  EXPECT_NEAR(p95->lower, 5.5 - half, 1e-9);
  EXPECT_NEAR(p95->upper, 5.5 + half, 1e-9);
  EXPECT_NEAR(half, 2.1658506, 1e-6);
  // A constant figure has a zero-width interval.
  for (const MetricInterval& interval : intervals) {
    if (interval.metric == "jobs_arrived") {
      EXPECT_EQ(interval.lower, 100);
      EXPECT_EQ(interval.upper, 100);
    }
  }
}

TEST(SummaryIntervalsTest, TooFewReplicationsOrBadLevel) {
  EXPECT_TRUE(SummaryIntervals({}).empty());
  EXPECT_TRUE(SummaryIntervals({Summary{}}).empty());
  EXPECT_TRUE(SummaryIntervals({Summary{}, Summary{}}, 1.0).empty());
  EXPECT_EQ(SummaryIntervals({Summary{}, Summary{}}, 0.9).size(), 12U);
}

}  // namespace
}  // namespace horizonscale::simulator

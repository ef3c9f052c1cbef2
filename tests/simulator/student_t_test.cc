// Student-t quantiles against published table values, and SummaryIntervals
// on replications whose interval is computed by hand.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/forecast.h"

#include "simulator/internal/student_t.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator {
namespace {

using internal::StudentTQuantile;

TEST(StudentTTest, TableValues) {
  // Printed tables (3 decimals).
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.706, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.262, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.042, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.95, 4), 2.132, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.995, 3), 5.841, 5e-4);
  EXPECT_NEAR(StudentTQuantile(0.9995, 10), 4.587, 5e-4);
  // More digits (R's qt), to 1e-6 as required.
  EXPECT_NEAR(StudentTQuantile(0.975, 1), 12.7062047361747, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 2), 4.30265272974946, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 9), 2.26215716279820, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.975, 30), 2.04227245630124, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.995, 5), 4.03214298355522, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.95, 2), 2.91998558035372, 1e-6);
  EXPECT_NEAR(StudentTQuantile(0.9, 3), 1.63774435369621, 1e-6);
}

TEST(StudentTTest, LimitsAndSymmetry) {
  // df = 1 is Cauchy: tan(π(p − 1/2)).
  for (double p : {0.6, 0.9, 0.99, 0.999}) {
    EXPECT_NEAR(StudentTQuantile(p, 1), std::tan(M_PI * (p - 0.5)),
                1e-9 * std::tan(M_PI * (p - 0.5)));
  }
  // Large df tends to the normal: z_{0.975} = 1.959963984540054.
  EXPECT_NEAR(StudentTQuantile(0.975, 1e7), 1.959963984540054, 1e-6);
  EXPECT_NEAR(forecast::NormalQuantile(0.975), 1.959963984540054, 1e-12);
  for (double df : {1.0, 3.0, 7.5, 40.0}) {
    EXPECT_EQ(StudentTQuantile(0.5, df), 0);
    EXPECT_NEAR(StudentTQuantile(0.1, df), -StudentTQuantile(0.9, df), 1e-12);
    // The tail at the quantile is the probability it was asked for.
    EXPECT_NEAR(internal::StudentTUpperTail(StudentTQuantile(0.99, df), df), 0.01, 1e-13);
  }
  EXPECT_TRUE(std::isnan(StudentTQuantile(1.0, 3)));
  EXPECT_TRUE(std::isnan(StudentTQuantile(0.9, 0)));
}

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

#include "forecast/internal/seasonality.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <numbers>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace horizonscale::forecast {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;

// y_t = shape(t) + N(0, noise²), with a fixed seed.
std::vector<double> Series(int n, const std::function<double(int)>& shape, double noise,
                           uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> values(static_cast<size_t>(n));
  for (int t = 0; t < n; ++t) values[static_cast<size_t>(t)] = shape(t) + noise * normal(random);
  return values;
}

TEST(Autocorrelation, MatchesAHandComputation) {
  // Deviations from the mean 3: −2, −1, 0, 1, 2; Σ dev² = 10.
  // r1 = (2 + 0 + 0 + 2) / 10, r2 = (0 − 1 + 0) / 10, r3 = (−2 − 2) / 10,
  // r4 = −4 / 10. max_lag 10 is capped at n − 1 = 4.
  const std::vector<double> values = {1, 2, 3, 4, 5};
  const std::vector<double> acf = Autocorrelation(values, 10);
  const std::vector<double> expected = {1, 0.4, -0.1, -0.4, -0.4};
  ASSERT_EQ(acf.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(acf[k], expected[k], 1e-15) << k;
}

TEST(Autocorrelation, AlternatingSeries) {
  // Deviations −1, 1, −1, 1; Σ dev² = 4: r1 = −3/4, r2 = 2/4, r3 = −1/4.
  const std::vector<double> values = {2, 4, 2, 4};
  const std::vector<double> acf = Autocorrelation(values, 3);
  ASSERT_EQ(acf.size(), 4u);
  EXPECT_DOUBLE_EQ(acf[0], 1);
  EXPECT_DOUBLE_EQ(acf[1], -0.75);
  EXPECT_DOUBLE_EQ(acf[2], 0.5);
  EXPECT_DOUBLE_EQ(acf[3], -0.25);
}

TEST(Autocorrelation, ConstantAndDegenerateInputs) {
  const std::vector<double> constant(50, 0.1);
  const std::vector<double> acf = Autocorrelation(constant, 5);
  EXPECT_EQ(acf, (std::vector<double>{1, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(Autocorrelation({}, 5).empty());
  EXPECT_EQ(Autocorrelation(constant, 0), std::vector<double>{1});
  EXPECT_EQ(Autocorrelation(constant, -3), std::vector<double>{1});
}

TEST(DetectSeasonalPeriod, HourlyDataWithADailyCycle) {
  // Four weeks of hourly data: business hours busy, a lunch peak, noise.
  const auto daily = [](int t) {
    const int hour = t % 24;
    return 100.0 + (hour >= 9 && hour < 17 ? 50 : 0) + (hour == 12 ? 30 : 0);
  };
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(DetectSeasonalPeriod(Series(24 * 28, daily, 5, seed), 200), 24) << seed;
  }
  const auto sine = [](int t) { return 100 + 20 * std::sin(kTwoPi * t / 24); };
  EXPECT_EQ(DetectSeasonalPeriod(Series(24 * 14, sine, 2, 7), 200), 24);
}

TEST(DetectSeasonalPeriod, DailyDataWithAWeeklyCycle) {
  // A year of daily data, weekends quieter, with and without growth.
  const auto weekly = [](int t) { return 50.0 + (t % 7 < 5 ? 10 : -25); };
  const auto growing = [&](int t) { return weekly(t) + 0.5 * t; };
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    EXPECT_EQ(DetectSeasonalPeriod(Series(365, weekly, 3, seed), 60), 7) << seed;
    EXPECT_EQ(DetectSeasonalPeriod(Series(365, growing, 3, seed), 60), 7) << seed;
  }
}

TEST(DetectSeasonalPeriod, StrongNoiseStillGivesTheDailyPeriod) {
  // Seasonal variance 1.5² / 2 = 1.125 against noise variance 1: the ACF
  // peak is only ~0.5 high and jagged; a month of hourly data.
  const auto sine = [](int t) { return 1.5 * std::sin(kTwoPi * t / 24); };
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EXPECT_EQ(DetectSeasonalPeriod(Series(24 * 30, sine, 1, seed), 200), 24) << seed;
  }
}

TEST(DetectSeasonalPeriod, ADailyCycleOnAWanderingLevel) {
  // A random walk level plus a daily cycle: the ACF's troughs stay above
  // zero, the peaks still stand out.
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<double> normal(0, 1);
    std::vector<double> values(1000);
    double level = 0;
    for (size_t t = 0; t < values.size(); ++t) {
      level += 0.3 * normal(random);
      values[t] = level + 3 * std::sin(kTwoPi * static_cast<double>(t) / 24) + normal(random);
    }
    EXPECT_EQ(DetectSeasonalPeriod(values, 200), 24) << seed;
  }
}

TEST(DetectSeasonalPeriod, ALongNoiseFreePeriodExactly) {
  // Six cycles of a smooth weekly (168-step) cycle: the ACF top is so flat
  // that its raw maximum is off by one; the comb refinement restores 168.
  const auto sine = [](int t) { return 10 * std::sin(kTwoPi * t / 168); };
  EXPECT_EQ(DetectSeasonalPeriod(Series(1000, sine, 0, 1), 400), 168);
}

TEST(DetectSeasonalPeriod, AlternatingSeriesHasPeriodTwo) {
  const auto alternating = [](int t) { return t % 2 == 0 ? -1.0 : 1.0; };
  EXPECT_EQ(DetectSeasonalPeriod(Series(100, alternating, 0.3, 3), 20), 2);
}

TEST(DetectSeasonalPeriod, PrefersThePeriodToItsMultiples) {
  // Peaks at 24, 48, 72, ... are nearly equally high: 24 wins.
  const auto sine = [](int t) { return std::sin(kTwoPi * t / 24); };
  EXPECT_EQ(DetectSeasonalPeriod(Series(24 * 40, sine, 0.05, 1), 400), 24);
}

TEST(DetectSeasonalPeriod, KeepsAPeriodWhoseHalvesDiffer) {
  // Period 48 with a strong 24-step harmonic: 24 is a peak but clearly lower.
  const auto shape = [](int t) {
    return 3 * std::sin(kTwoPi * t / 24) + 1.5 * std::sin(kTwoPi * t / 48);
  };
  EXPECT_EQ(DetectSeasonalPeriod(Series(960, shape, 1, 2), 200), 48);
}

TEST(DetectSeasonalPeriod, WhiteNoiseHasNoPeriod) {
  const auto zero = [](int) { return 0.0; };
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    EXPECT_EQ(DetectSeasonalPeriod(Series(500, zero, 1, seed), 200), 0) << seed;
  }
}

TEST(DetectSeasonalPeriod, RandomWalkHasNoPeriod) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    std::vector<double> walk = Series(
        500, [](int) { return 0.0; }, 1, seed);
    for (size_t t = 1; t < walk.size(); ++t) walk[t] += walk[t - 1];
    EXPECT_EQ(DetectSeasonalPeriod(walk, 250), 0) << seed;
  }
}

TEST(DetectSeasonalPeriod, TrendsAndConstantsHaveNoPeriod) {
  EXPECT_EQ(DetectSeasonalPeriod(Series(
                                     500, [](int t) { return 3 + 0.7 * t; }, 0, 1),
                                 200),
            0);
  EXPECT_EQ(DetectSeasonalPeriod(Series(
                                     500, [](int t) { return 1e6 + 0.1 * t; }, 0, 1),
                                 200),
            0);
  EXPECT_EQ(DetectSeasonalPeriod(std::vector<double>(500, 0.1), 200), 0);
  EXPECT_EQ(DetectSeasonalPeriod(std::vector<double>(500, 0.0), 200), 0);
}

TEST(DetectSeasonalPeriod, RespectsMaxPeriodAndShortInput) {
  // Period 12 with max_period 10: lag 10 is on the way up, not a peak.
  const auto sine = [](int t) { return std::sin(kTwoPi * t / 12); };
  EXPECT_EQ(DetectSeasonalPeriod(Series(300, sine, 0.1, 1), 10), 0);
  EXPECT_EQ(DetectSeasonalPeriod(Series(300, sine, 0.1, 1), 12), 12);
  // Only n / 2 lags are searched: 20 values cannot show period 12.
  EXPECT_EQ(DetectSeasonalPeriod(Series(20, sine, 0, 1), 100), 0);
  EXPECT_EQ(DetectSeasonalPeriod(std::vector<double>{1, 2, 1}, 10), 0);
  EXPECT_EQ(DetectSeasonalPeriod(Series(300, sine, 0.1, 1), 1), 0);
}

TEST(DetectSeasonalPeriods, ADayAndAWeekInHourlyData) {
  // Six weeks of hours: a daily cycle, a quieter weekend, noise.
  const auto load = [](int t) {
    const bool weekend = (t / 24) % 7 >= 5;
    return (weekend ? 60 : 100) + 30 * std::sin(kTwoPi * t / 24);
  };
  EXPECT_EQ(DetectSeasonalPeriods(Series(24 * 7 * 6, load, 3, 5), 400),
            (std::vector<int>{24, 168}));
  // One cycle only: a day.
  const auto daily = [](int t) { return 100 + 30 * std::sin(kTwoPi * t / 24); };
  EXPECT_EQ(DetectSeasonalPeriods(Series(24 * 7 * 6, daily, 3, 5), 400), (std::vector<int>{24}));
  // Under two weeks of data: the week is not accepted.
  EXPECT_EQ(DetectSeasonalPeriods(Series(24 * 10, load, 3, 5), 400), (std::vector<int>{24}));
  EXPECT_TRUE(DetectSeasonalPeriods(std::vector<double>(500, 1.0), 400).empty());
}

}  // namespace
}  // namespace horizonscale::forecast

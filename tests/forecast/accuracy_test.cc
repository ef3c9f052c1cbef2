#include "forecast/accuracy.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace horizonscale::forecast {
namespace {

ScoredPoint Point(double actual, double value, double lower, double upper) {
  return {actual, {value, lower, upper}};
}

TEST(Score, MatchesHandComputedMeasuresWithZeroActuals) {
  const std::vector<ScoredPoint> points = {
      Point(100, 110, 90, 120),  // |e| 10, APE 10 %, sAPE 200·10/210, covered
      Point(0, 0, -1, 1),        // |e| 0, zero actual, sAPE 0 (a = f = 0), covered
      Point(50, 40, 42, 48),     // |e| 10, APE 20 %, sAPE 200·10/90, not covered
      Point(0, 5, 0, 10),        // |e| 5, zero actual, sAPE 200·5/5, covered (on the bound)
      Point(-20, -10, -15, -5),  // |e| 10, APE 50 %, sAPE 200·10/30, not covered
  };
  const Accuracy accuracy = Score(points, 3.5);
  EXPECT_EQ(accuracy.points_scored, 5);
  EXPECT_EQ(accuracy.zero_actuals, 2);
  // MAPE over the three non-zero actuals only.
  EXPECT_NEAR(accuracy.mape_percent, (10.0 + 20 + 50) / 3, 1e-12);
  EXPECT_NEAR(accuracy.smape_percent, (200.0 / 21 + 0 + 200.0 / 9 + 200 + 200.0 / 3) / 5, 1e-12);
  // MAE = 35 / 5 = 7; over the scale 3.5: 2.
  EXPECT_NEAR(accuracy.mase, 2, 1e-12);
  EXPECT_NEAR(accuracy.rmse, std::sqrt((100.0 + 0 + 100 + 25 + 100) / 5), 1e-12);
  EXPECT_DOUBLE_EQ(accuracy.interval_coverage, 0.6);
}

TEST(Score, AllZeroActuals) {
  const std::vector<ScoredPoint> points = {Point(0, 0, 0, 0), Point(0, 2, 1, 3)};
  const Accuracy accuracy = Score(points, 1);
  EXPECT_EQ(accuracy.zero_actuals, 2);
  EXPECT_EQ(accuracy.points_scored, 2);
  EXPECT_EQ(accuracy.mape_percent, 0);
  EXPECT_DOUBLE_EQ(accuracy.smape_percent, (0 + 200.0) / 2);
  EXPECT_DOUBLE_EQ(accuracy.mase, 1);
  EXPECT_DOUBLE_EQ(accuracy.interval_coverage, 0.5);
}

TEST(Score, ZeroScale) {
  const std::vector<ScoredPoint> perfect = {Point(3, 3, 3, 3), Point(4, 4, 4, 4)};
  EXPECT_EQ(Score(perfect, 0).mase, 0);
  const std::vector<ScoredPoint> off = {Point(3, 4, 3, 5)};
  EXPECT_EQ(Score(off, 0).mase, std::numeric_limits<double>::infinity());
  EXPECT_EQ(Score(off, -1).mase, std::numeric_limits<double>::infinity());
}

TEST(Score, EmptyIsAllZero) {
  const Accuracy accuracy = Score({}, 1);
  EXPECT_EQ(accuracy.points_scored, 0);
  EXPECT_EQ(accuracy.zero_actuals, 0);
  EXPECT_EQ(accuracy.mape_percent, 0);
  EXPECT_EQ(accuracy.smape_percent, 0);
  EXPECT_EQ(accuracy.mase, 0);
  EXPECT_EQ(accuracy.rmse, 0);
  EXPECT_EQ(accuracy.interval_coverage, 0);
}

TEST(MaseScale, SeasonalDifferencesOnAKnownSeries) {
  // Period 4: the series repeats +1 each season, so every |y_t − y_{t−4}| = 1.
  const std::vector<double> training = {1, 5, 3, 7, 2, 6, 4, 8};
  EXPECT_DOUBLE_EQ(MaseScale(training, 4), 1);
  // Naive (lag 1): |4| + |−2| + |4| + |−5| + |4| + |−2| + |4| = 25 over 7.
  EXPECT_DOUBLE_EQ(MaseScale(training, 0), 25.0 / 7);
  EXPECT_DOUBLE_EQ(MaseScale(training, 1), 25.0 / 7);
  // Period 7 fits (8 >= 7 + 1): |8 − 1| = 7; period 8 does not: naive.
  EXPECT_DOUBLE_EQ(MaseScale(training, 7), 7);
  EXPECT_DOUBLE_EQ(MaseScale(training, 8), 25.0 / 7);
  EXPECT_DOUBLE_EQ(MaseScale(training, 100), 25.0 / 7);
}

TEST(MaseScale, ShortOrConstantTraining) {
  EXPECT_EQ(MaseScale({}, 4), 0);
  EXPECT_EQ(MaseScale(std::vector<double>{5}, 0), 0);
  EXPECT_EQ(MaseScale(std::vector<double>(10, 2.5), 3), 0);
  EXPECT_DOUBLE_EQ(MaseScale(std::vector<double>{1, 4}, 0), 3);
}

}  // namespace
}  // namespace horizonscale::forecast

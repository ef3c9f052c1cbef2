// Split-conformal calibration: standardized errors and width multipliers
// per step, against values worked out by hand.
#include "forecast/interval_scaling.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace horizonscale::forecast {
namespace {

TEST(StandardizedError, DistanceOverTheHalfWidthOnTheActualsSide) {
  const ForecastValue f{10, 6, 20};  // 4 below, 10 above
  EXPECT_DOUBLE_EQ(StandardizedError(f, 10), 0);
  EXPECT_DOUBLE_EQ(StandardizedError(f, 15), 0.5);
  EXPECT_DOUBLE_EQ(StandardizedError(f, 2), 2);
  EXPECT_EQ(StandardizedError({10, 10, 10}, 11), std::numeric_limits<double>::infinity());
}

TEST(WidthScales, SmallestMultiplierCoveringTheLevelOfPooledSteps) {
  // Steps 1-3 pool each other (±2): ten errors 0.1..1.0, the 80 % multiplier
  // is the 8th smallest.
  std::vector<std::vector<double>> errors = {
      {0.1, 0.5, 0.9}, {0.2, 0.6, 1.0}, {0.3, 0.7, 0.4, 0.8}};
  const std::vector<double> scales = WidthScales(errors, 0.8);
  ASSERT_EQ(scales.size(), 3u);
  for (double scale : scales) EXPECT_DOUBLE_EQ(scale, 0.8);
  // A step with nothing to pool keeps the previous multiplier.
  std::vector<std::vector<double>> sparse(8);
  sparse[0] = {2.0};
  const std::vector<double> carried = WidthScales(sparse, 0.8);
  EXPECT_DOUBLE_EQ(carried[7], 2.0);
}

TEST(ScaleIntervals, ScalesEachSideAroundThePoint) {
  std::vector<ForecastValue> forecasts = {{10, 6, 20}, {10, 8, 12}, {0, -1, 1}};
  const std::vector<double> scales = {0.5, 2};
  ScaleIntervals(scales, forecasts);
  EXPECT_DOUBLE_EQ(forecasts[0].lower, 8);
  EXPECT_DOUBLE_EQ(forecasts[0].upper, 15);
  EXPECT_DOUBLE_EQ(forecasts[1].lower, 6);
  EXPECT_DOUBLE_EQ(forecasts[1].upper, 14);
  EXPECT_DOUBLE_EQ(forecasts[2].upper, 2);  // beyond the table: the last multiplier
}

}  // namespace
}  // namespace horizonscale::forecast

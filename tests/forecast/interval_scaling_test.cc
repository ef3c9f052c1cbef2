// Split-conformal calibration: standardized errors and width multipliers
// per step, against values worked out by hand.
#include "forecast/interval_scaling.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
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
  // A NaN error covers nothing: it ranks above every number.
  const std::vector<double> with_nan = WidthScales({{0.5, NAN, 1.0, 0.2, 0.7}}, 0.8);
  EXPECT_EQ(with_nan[0], 1.0);
  EXPECT_EQ(WidthScales({{0.5, NAN}}, 0.8)[0], std::numeric_limits<double>::infinity());
}

// The sliding order statistic gives exactly what pooling and selecting each
// step's window does, on long ragged tables with ties and infinities.
TEST(WidthScales, EqualsPoolingEachWindowDirectly) {
  std::mt19937_64 random(17);
  std::uniform_int_distribution<int> size(0, 6);
  std::uniform_int_distribution<int> value(0, 40);
  std::vector<std::vector<double>> errors(700);
  for (std::vector<double>& step : errors) {
    for (int i = size(random); i > 0; --i) {
      const int v = value(random);
      step.push_back(v == 40 ? std::numeric_limits<double>::infinity() : v / 8.0);
    }
  }
  for (double level : {0.5, 0.8, 0.95}) {
    const std::vector<double> scales = WidthScales(errors, level);
    const int steps = static_cast<int>(errors.size());
    for (int h = 0; h < steps; ++h) {
      const int half = std::max(2, h / 8);
      std::vector<double> pooled;
      for (int k = std::max(0, h - half); k <= std::min(steps - 1, h + half); ++k) {
        pooled.insert(pooled.end(), errors[k].begin(), errors[k].end());
      }
      if (pooled.empty()) continue;  // carries the previous step's: checked above
      std::sort(pooled.begin(), pooled.end());
      const auto covered =
          static_cast<size_t>(std::ceil(level * static_cast<double>(pooled.size())));
      EXPECT_EQ(scales[h], pooled[std::clamp<size_t>(covered, 1, pooled.size()) - 1]) << h;
    }
  }
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

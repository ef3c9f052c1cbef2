// Tests of the bounded Nelder-Mead search (forecast/internal/optimizer.h)
// on functions with known minima.
#include <cmath>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/internal/optimizer.h"

namespace horizonscale::forecast {
namespace {

TEST(MinimizeInBox, FindsAnInteriorMinimumToTheRequestedTolerance) {
  const std::vector<double> start = {0.9, 0.1};
  const std::vector<double> lower = {0, 0};
  const std::vector<double> upper = {1, 1};
  internal::NelderMeadOptions options;
  options.value_tolerance = 1e-12;
  options.point_tolerance = 1e-9;
  options.max_evaluations = 1000;
  const internal::NelderMeadResult result = internal::MinimizeInBox(
      [](std::span<const double> x) {
        return std::pow(x[0] - 0.3, 2) + 10 * std::pow(x[1] - 0.7, 2) + 2;
      },
      start, lower, upper, options);
  EXPECT_TRUE(result.converged);
  // f − 2 <= ~1e-12 · 2 at convergence, so |x − x*| is of order 1e-6.
  EXPECT_NEAR(result.point[0], 0.3, 1e-5);
  EXPECT_NEAR(result.point[1], 0.7, 1e-5);
  EXPECT_NEAR(result.value, 2, 1e-10);
}

TEST(MinimizeInBox, ReachesAMinimumOnTheBoundWithoutLeavingTheBox) {
  const std::vector<double> start = {0.5, 0.5, 0.5};
  const std::vector<double> lower = {0.8, -1, 0};
  const std::vector<double> upper = {0.98, 1, 1};
  int outside = 0;
  const internal::NelderMeadResult result = internal::MinimizeInBox(
      [&](std::span<const double> x) {
        for (size_t i = 0; i < x.size(); ++i) outside += x[i] < lower[i] || x[i] > upper[i];
        return -x[0] + std::pow(x[1] - 0.25, 2) + x[2];  // optimum (0.98, 0.25, 0)
      },
      start, lower, upper);
  EXPECT_EQ(outside, 0);
  EXPECT_NEAR(result.point[0], 0.98, 1e-4);
  EXPECT_NEAR(result.point[1], 0.25, 1e-3);
  EXPECT_NEAR(result.point[2], 0.0, 1e-4);
}

TEST(MinimizeInBox, StopsAtTheEvaluationCap) {
  int evaluations = 0;
  internal::NelderMeadOptions options;
  options.max_evaluations = 25;
  const std::vector<double> start = {0.1, 0.1};
  const std::vector<double> lower = {-5, -5};
  const std::vector<double> upper = {5, 5};
  const internal::NelderMeadResult result = internal::MinimizeInBox(
      [&](std::span<const double> x) {  // Rosenbrock: a long curved valley
        ++evaluations;
        return 100 * std::pow(x[1] - x[0] * x[0], 2) + std::pow(1 - x[0], 2);
      },
      start, lower, upper, options);
  EXPECT_EQ(evaluations, 25);
  EXPECT_EQ(result.evaluations, 25);
  EXPECT_FALSE(result.converged);
}

}  // namespace
}  // namespace horizonscale::forecast

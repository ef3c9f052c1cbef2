#include "forecast/forecast.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

TEST(NormalQuantile, MatchesPublishedValues) {
  // Standard normal table values.
  EXPECT_NEAR(NormalQuantile(0.5), 0.0, 1e-15);
  EXPECT_NEAR(NormalQuantile(0.975), 1.959963984540054, 1e-12);
  EXPECT_NEAR(NormalQuantile(0.95), 1.644853626951472, 1e-12);
  EXPECT_NEAR(NormalQuantile(0.9), 1.281551565544601, 1e-12);
  EXPECT_NEAR(NormalQuantile(0.001), -3.090232306167813, 1e-11);
  EXPECT_NEAR(NormalQuantile(1 - 1e-9), 5.997807015007687, 1e-6);
}

TEST(Ewma, FollowsTheHandComputedRecursion) {
  const std::vector<double> values = {10, 12, 11, 15};
  absl::StatusOr<EwmaFit> fit = FitEwma(values, 0.5);
  ASSERT_TRUE(fit.ok()) << fit.status();
  // l0 = 10; l1 = 11; l2 = 11; l3 = 13. Errors: 2, 0, 4 → RMS = sqrt(20/3).
  EXPECT_DOUBLE_EQ(fit->level, 13);
  EXPECT_DOUBLE_EQ(fit->residual_stddev, std::sqrt(20.0 / 3));
  EXPECT_EQ(fit->residuals, 3);

  const std::vector<ForecastValue> forecast = PredictEwma(*fit, 3, 0.95);
  ASSERT_EQ(forecast.size(), 3u);
  const double z = 1.959963984540054;
  for (int k = 1; k <= 3; ++k) {
    EXPECT_DOUBLE_EQ(forecast[k - 1].value, 13);
    const double half = z * std::sqrt(20.0 / 3) * std::sqrt(1 + (k - 1) * 0.25);
    EXPECT_NEAR(forecast[k - 1].upper - 13, half, 1e-9);
    EXPECT_NEAR(13 - forecast[k - 1].lower, half, 1e-9);
  }
}

TEST(Ewma, FittedAlphaTracksALevelShiftQuickly) {
  std::vector<double> values(50, 100.0);
  values.insert(values.end(), 50, 200.0);
  absl::StatusOr<EwmaFit> fit = FitEwma(values, 0);
  ASSERT_TRUE(fit.ok());
  EXPECT_GT(fit->alpha, 0.9);  // a pure level shift is best followed at once
  EXPECT_NEAR(fit->level, 200, 1e-6);
}

TEST(Ewma, RejectsEmptyAndNonFiniteInput) {
  EXPECT_EQ(FitEwma({}, 0).status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<double> with_nan = {1, NAN, 2};
  const absl::Status status = FitEwma(with_nan, 0).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("index 1"), std::string::npos);
}

TEST(Linear, ForecastsANoiseFreeTrendExactly) {
  std::vector<double> values;
  for (int t = 0; t < 20; ++t) values.push_back(5 + 2.5 * t);
  absl::StatusOr<LinearFit> fit = FitLinear(values);
  ASSERT_TRUE(fit.ok());
  EXPECT_NEAR(fit->slope, 2.5, 1e-12);
  EXPECT_NEAR(fit->intercept, 5, 1e-12);
  const std::vector<ForecastValue> forecast = PredictLinear(*fit, 4, 0.8);
  for (int k = 0; k < 4; ++k) {
    EXPECT_NEAR(forecast[k].value, 5 + 2.5 * (20 + k), 1e-9);
    EXPECT_NEAR(forecast[k].upper, forecast[k].value, 1e-9);  // no residual spread
  }
}

TEST(Linear, NeedsThreePointsAndSaysSo) {
  const std::vector<double> two = {1, 2};
  const absl::Status status = FitLinear(two).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "INSUFFICIENT_HISTORY");
}

}  // namespace
}  // namespace horizonscale::forecast

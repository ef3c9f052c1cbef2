// The linear-trend and seasonal-naive models through the FitModel interface.
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/forecast.h"
#include "forecast/model.h"
#include "forecast/status_reason.h"
#include "tests/forecast/support/model_fitting.h"

namespace horizonscale::forecast {
namespace {

using testing::Parameter;

constexpr double kZ95 = 1.959963984540054;  // Φ⁻¹(0.975)

std::unique_ptr<FittedModel> Fit(ModelKind kind, const std::vector<double>& values,
                                 int seasonal_period = 0) {
  ModelOptions options;
  options.seasonal_period = seasonal_period;
  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitModel(kind, values, options);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? std::move(*model) : nullptr;
}

std::vector<double> NoisyLine(int n, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> noise(0, 3);
  std::vector<double> values;
  for (int t = 0; t < n; ++t) values.push_back(20 + 1.5 * t + noise(random));
  return values;
}

void ExpectSameForecasts(const std::vector<ForecastValue>& actual,
                         const std::vector<ForecastValue>& expected, double tolerance) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t h = 0; h < expected.size(); ++h) {
    EXPECT_NEAR(actual[h].value, expected[h].value, tolerance) << "step " << h + 1;
    EXPECT_NEAR(actual[h].lower, expected[h].lower, tolerance) << "step " << h + 1;
    EXPECT_NEAR(actual[h].upper, expected[h].upper, tolerance) << "step " << h + 1;
  }
}

// ---------------------------------------------------------------------------
// Seasonal naive.

TEST(SeasonalNaiveModel, RepeatsTheLastSeasonWithIntervalsGrowingPerSeason) {
  // Residuals y_t − y_{t−4}: 2, 2, 2, 2, −1, −1, −1, −1 → σ² = (16 + 4) / 8.
  const std::vector<double> values = {10, 20, 30, 40, 12, 22, 32, 42, 11, 21, 31, 41};
  std::unique_ptr<FittedModel> model = Fit(ModelKind::kSeasonalNaive, values, 4);
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->kind(), ModelKind::kSeasonalNaive);
  EXPECT_TRUE(model->analytic_interval());
  const double sigma = std::sqrt(2.5);
  EXPECT_DOUBLE_EQ(Parameter(*model, "residual_stddev"), sigma);
  EXPECT_EQ(Parameter(*model, "period"), 4);

  const std::vector<ForecastValue> forecast = model->Predict(9, 0.95);
  const std::vector<double> expected = {11, 21, 31, 41, 11, 21, 31, 41, 11};
  ASSERT_EQ(forecast.size(), expected.size());
  for (int h = 1; h <= 9; ++h) {
    const ForecastValue& step = forecast[static_cast<size_t>(h - 1)];
    EXPECT_EQ(step.value, expected[static_cast<size_t>(h - 1)]) << h;
    const int k = (h - 1) / 4;  // whole seasons ahead
    const double half_width = kZ95 * sigma * std::sqrt(k + 1.0);
    EXPECT_NEAR(step.upper - step.value, half_width, 1e-9) << h;
    EXPECT_NEAR(step.value - step.lower, half_width, 1e-9) << h;
  }
  EXPECT_TRUE(model->Predict(0, 0.95).empty());
}

TEST(SeasonalNaiveModel, WithoutAPeriodIsTheNaiveForecast) {
  // Differences 2, −1, 3 → σ² = 14 / 3; the interval widens as sqrt(h).
  const std::vector<double> values = {1, 3, 2, 5};
  for (int period : {0, 1}) {
    std::unique_ptr<FittedModel> model = Fit(ModelKind::kSeasonalNaive, values, period);
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(Parameter(*model, "period"), 1);
    const std::vector<ForecastValue> forecast = model->Predict(3, 0.8);
    const double z = NormalQuantile(0.9);
    for (int h = 1; h <= 3; ++h) {
      const ForecastValue& step = forecast[static_cast<size_t>(h - 1)];
      EXPECT_EQ(step.value, 5);
      EXPECT_NEAR(step.upper - 5, z * std::sqrt(14.0 / 3) * std::sqrt(h), 1e-9);
      EXPECT_NEAR(5 - step.lower, z * std::sqrt(14.0 / 3) * std::sqrt(h), 1e-9);
    }
  }
}

TEST(SeasonalNaiveModel, ExtendMatchesFittingAllAtOnce) {
  const std::vector<double> values = {10, 20, 30, 40, 12, 22, 32, 42, 11, 21, 31, 41, 15, 19, 33};
  const std::vector<double> first(values.begin(), values.begin() + 6);
  const std::vector<double> middle(values.begin() + 6, values.begin() + 11);
  const std::vector<double> last(values.begin() + 11, values.end());
  std::unique_ptr<FittedModel> all = Fit(ModelKind::kSeasonalNaive, values, 4);
  std::unique_ptr<FittedModel> part = Fit(ModelKind::kSeasonalNaive, first, 4);
  ASSERT_NE(all, nullptr);
  ASSERT_NE(part, nullptr);
  std::unique_ptr<FittedModel> extended = part->Extend(middle)->Extend(last);
  ExpectSameForecasts(extended->Predict(10, 0.9), all->Predict(10, 0.9), 1e-12);
  // One value at a time, as a backtest does.
  std::unique_ptr<FittedModel> stepwise = Fit(ModelKind::kSeasonalNaive, first, 4);
  for (size_t i = first.size(); i < values.size(); ++i) {
    stepwise = stepwise->Extend(std::span<const double>(&values[i], 1));
  }
  ExpectSameForecasts(stepwise->Predict(10, 0.9), all->Predict(10, 0.9), 1e-12);
  // The original is unchanged.
  ExpectSameForecasts(part->Predict(3, 0.9),
                      Fit(ModelKind::kSeasonalNaive, first, 4)->Predict(3, 0.9), 0);
}

TEST(SeasonalNaiveModel, NeedsOneSeasonAndOneResidual) {
  ModelOptions options;
  options.seasonal_period = 4;
  EXPECT_EQ(MinimumLength(ModelKind::kSeasonalNaive, options), 5);
  const std::vector<double> four = {1, 2, 3, 4};
  const absl::Status status = FitModel(ModelKind::kSeasonalNaive, four, options).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "INSUFFICIENT_HISTORY");
  EXPECT_NE(std::string(status.message()).find("at least 5"), std::string::npos) << status;
  options.seasonal_period = 0;
  EXPECT_EQ(MinimumLength(ModelKind::kSeasonalNaive, options), 2);
}

// ---------------------------------------------------------------------------
// Linear trend.

TEST(LinearModel, EqualsFitLinearAndPredictLinear) {
  const std::vector<double> values = NoisyLine(60, 1);
  std::unique_ptr<FittedModel> model = Fit(ModelKind::kLinear, values);
  ASSERT_NE(model, nullptr);
  absl::StatusOr<LinearFit> direct = FitLinear(values);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(model->kind(), ModelKind::kLinear);
  EXPECT_TRUE(model->analytic_interval());
  EXPECT_NEAR(Parameter(*model, "slope"), direct->slope, 1e-12);
  EXPECT_NEAR(Parameter(*model, "intercept"), direct->intercept, 1e-9);
  ExpectSameForecasts(model->Predict(12, 0.95), PredictLinear(*direct, 12, 0.95), 1e-9);
}

TEST(LinearModel, ExtendRefitsOnTheLongerSeries) {
  const std::vector<double> values = NoisyLine(80, 2);
  const std::vector<double> first(values.begin(), values.begin() + 50);
  const std::vector<double> a(values.begin() + 50, values.begin() + 51);
  const std::vector<double> b(values.begin() + 51, values.end());
  std::unique_ptr<FittedModel> model = Fit(ModelKind::kLinear, first);
  ASSERT_NE(model, nullptr);
  std::unique_ptr<FittedModel> extended = model->Extend(a)->Extend(b);
  absl::StatusOr<LinearFit> direct = FitLinear(values);
  ASSERT_TRUE(direct.ok());
  EXPECT_NEAR(Parameter(*extended, "slope"), direct->slope, 1e-9);
  EXPECT_NEAR(Parameter(*extended, "intercept"), direct->intercept, 1e-9);
  ExpectSameForecasts(extended->Predict(10, 0.9), PredictLinear(*direct, 10, 0.9), 1e-9);
  // And it is the same as extending in one go.
  std::vector<double> ab = a;
  ab.insert(ab.end(), b.begin(), b.end());
  ExpectSameForecasts(model->Extend(ab)->Predict(10, 0.9), extended->Predict(10, 0.9), 1e-12);
}

TEST(LinearModel, ForecastsANoiseFreeLineWithAZeroWidthInterval) {
  std::vector<double> values;
  for (int t = 0; t < 10; ++t) values.push_back(4 - 0.5 * t);
  std::unique_ptr<FittedModel> model = Fit(ModelKind::kLinear, values);
  ASSERT_NE(model, nullptr);
  const std::vector<ForecastValue> forecast = model->Predict(3, 0.95);
  for (int h = 1; h <= 3; ++h) {
    const double expected = 4 - 0.5 * (9 + h);
    EXPECT_NEAR(forecast[static_cast<size_t>(h - 1)].value, expected, 1e-12);
    EXPECT_NEAR(forecast[static_cast<size_t>(h - 1)].upper, expected, 1e-6);
  }
}

TEST(LinearModel, NeedsThreePoints) {
  EXPECT_EQ(MinimumLength(ModelKind::kLinear, {}), 3);
  const std::vector<double> two = {1, 2};
  const absl::Status status = FitModel(ModelKind::kLinear, two, {}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "INSUFFICIENT_HISTORY");
}

}  // namespace
}  // namespace horizonscale::forecast

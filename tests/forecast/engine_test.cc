// The forecasting engine and its rolling-origin backtest.
#include "forecast/engine.h"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/internal/backtest.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

std::vector<double> Line(int n, double intercept, double slope) {
  std::vector<double> values;
  for (int t = 0; t < n; ++t) values.push_back(intercept + slope * t);
  return values;
}

// Hourly series with a daily cycle, a trend and Gaussian noise.
std::vector<double> DailyCycle(int n, double noise, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0, noise);
  std::vector<double> values;
  for (int t = 0; t < n; ++t) {
    values.push_back(200 + 0.05 * t + 40 * std::sin(2 * M_PI * t / 24) + normal(random));
  }
  return values;
}

TEST(Backtest, ScoresEveryOriginAndStepOnHeldOutData) {
  // 100 points, the last 20 held out, 5 steps per origin: 16 origins score 5
  // steps, the last four 4, 3, 2 and 1.
  const std::vector<double> values = Line(100, 10, 2);
  absl::StatusOr<BacktestResult> result =
      Backtest(ModelKind::kLinear, values, {}, {.horizon = 5, .test_length = 20, .level = 0.8});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->accuracy.points_scored, 16 * 5 + 4 + 3 + 2 + 1);
  ASSERT_EQ(result->errors.size(), 5u);
  EXPECT_EQ(result->errors[0].size(), 20u);
  EXPECT_EQ(result->errors[4].size(), 16u);
  // A noise-free line is forecast exactly.
  EXPECT_NEAR(result->accuracy.mape_percent, 0, 1e-9);
  EXPECT_NEAR(result->accuracy.rmse, 0, 1e-9);
  EXPECT_TRUE(result->analytic_interval);
}

TEST(Backtest, RejectsImpossiblePlans) {
  const std::vector<double> values = Line(10, 0, 1);
  EXPECT_EQ(
      Backtest(ModelKind::kLinear, values, {}, {.horizon = 0, .test_length = 2}).status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Backtest(ModelKind::kLinear, values, {}, {.horizon = 1, .test_length = 10}).status().code(),
      absl::StatusCode::kInvalidArgument);
  // Training part too short for the model.
  absl::Status short_train =
      Backtest(ModelKind::kLinear, values, {}, {.horizon = 1, .test_length = 8}).status();
  EXPECT_EQ(ReasonOf(short_train), "INSUFFICIENT_HISTORY") << short_train;
}

TEST(EmpiricalInterval, QuantilesOfTheErrorsAtEachStep) {
  // Errors 1..9 at step 1: type-7 quantiles 0.1 → 1.8 and 0.9 → 8.2.
  std::vector<std::vector<double>> errors = {{9, 1, 8, 2, 7, 3, 6, 4, 5}, {-2, 2}};
  auto [low, high] = EmpiricalInterval(errors, 1, 0.8);
  EXPECT_NEAR(low, 1.8, 1e-12);
  EXPECT_NEAR(high, 8.2, 1e-12);
  // Step 2: quantiles of {-2, 2}: 0.1 → -1.6, 0.9 → 1.6.
  std::tie(low, high) = EmpiricalInterval(errors, 2, 0.8);
  EXPECT_NEAR(low, -1.6, 1e-12);
  EXPECT_NEAR(high, 1.6, 1e-12);
  // Beyond the backtest's horizon the last step's offsets grow as sqrt.
  std::tie(low, high) = EmpiricalInterval(errors, 8, 0.8);
  EXPECT_NEAR(low, -1.6 * 2, 1e-12);
  EXPECT_NEAR(high, 1.6 * 2, 1e-12);
  EXPECT_EQ(EmpiricalInterval({}, 3, 0.8), std::make_pair(0.0, 0.0));
}

TEST(Forecast, AutoFindsTheDailyCycleAndBeatsTheBaseline) {
  const std::vector<double> values = DailyCycle(24 * 30, 4, 7);
  ForecastRequest request;
  request.values = values;
  request.horizon = 24;
  absl::StatusOr<ForecastResult> result = Forecast(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->seasonal_period, 24);
  EXPECT_TRUE(result->seasonal_period_detected);
  ASSERT_EQ(result->points.size(), 24u);
  EXPECT_TRUE(result->model.kind == ModelKind::kHoltWinters ||
              result->model.kind == ModelKind::kSeasonal)
      << ModelName(result->model.kind) << ": " << result->selection_reason;
  double naive_mase = -1;
  for (const ModelReport& candidate : result->candidates) {
    if (candidate.kind == ModelKind::kSeasonalNaive) naive_mase = candidate.accuracy.mase;
  }
  ASSERT_GT(naive_mase, 0);
  EXPECT_LT(result->model.accuracy.mase, naive_mase);
  EXPECT_NE(result->selection_reason.find(ModelName(result->model.kind)), std::string::npos);
  // The forecast follows the noise-free curve within a few noise sigmas.
  for (int k = 0; k < 24; ++k) {
    const int t = 24 * 30 + k;
    const double truth = 200 + 0.05 * t + 40 * std::sin(2 * M_PI * t / 24);
    EXPECT_NEAR(result->points[k].value, truth, 12) << k;
    EXPECT_LT(result->points[k].lower, result->points[k].value);
    EXPECT_GT(result->points[k].upper, result->points[k].value);
  }
}

// Held-out coverage of the engine's intervals on series with known noise:
// within 6 points of the nominal level, for a model with analytic intervals
// (EWMA on a local level) and one with empirical ones (decomposition).
TEST(Forecast, IntervalsCoverHeldOutDataAtAboutTheNominalRate) {
  std::mt19937_64 random(11);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> level_series;
  double level = 50;
  for (int t = 0; t < 2000; ++t) {
    level += 0.5 * normal(random);
    level_series.push_back(level + normal(random));
  }
  ForecastRequest ewma;
  ewma.values = level_series;
  ewma.model = ModelKind::kEwma;
  ewma.horizon = 5;
  absl::StatusOr<ForecastResult> smoothed = Forecast(ewma);
  ASSERT_TRUE(smoothed.ok()) << smoothed.status();
  EXPECT_NEAR(smoothed->model.accuracy.interval_coverage, 0.8, 0.06);

  const std::vector<double> seasonal = DailyCycle(24 * 80, 5, 3);
  ForecastRequest decomposition;
  decomposition.values = seasonal;
  decomposition.model = ModelKind::kSeasonal;
  decomposition.horizon = 24;
  decomposition.seasonal_period = 24;
  absl::StatusOr<ForecastResult> decomposed = Forecast(decomposition);
  ASSERT_TRUE(decomposed.ok()) << decomposed.status();
  EXPECT_FALSE(decomposed->model.analytic_interval);
  EXPECT_NEAR(decomposed->model.accuracy.interval_coverage, 0.8, 0.06);
}

TEST(Forecast, BadInputsAreClearErrors) {
  const std::vector<double> values = Line(50, 1, 1);
  ForecastRequest request;
  request.values = values;
  request.horizon = 0;
  EXPECT_EQ(Forecast(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.horizon = kMaxHorizon + 1;
  EXPECT_EQ(Forecast(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.horizon = 3;
  request.level = 1;
  EXPECT_EQ(Forecast(request).status().code(), absl::StatusCode::kInvalidArgument);
  request.level = 0.8;

  std::vector<double> with_nan = values;
  with_nan[7] = NAN;
  request.values = with_nan;
  const absl::Status nan = Forecast(request).status();
  EXPECT_EQ(nan.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(nan.message().find("values[7]"), std::string::npos) << nan;

  request.values = {};
  EXPECT_EQ(Forecast(request).status().code(), absl::StatusCode::kInvalidArgument);

  // Holt-Winters with a daily period on a day and a half of hourly data.
  const std::vector<double> short_series = DailyCycle(36, 1, 1);
  request.values = short_series;
  request.model = ModelKind::kHoltWinters;
  request.seasonal_period = 24;
  const absl::Status too_short = Forecast(request).status();
  EXPECT_EQ(too_short.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(too_short), "INSUFFICIENT_HISTORY");
  EXPECT_NE(too_short.message().find("48"), std::string::npos) << too_short;
}

TEST(Forecast, OnePointIsTooLittleToChooseAModel) {
  const std::vector<double> one = {42};
  ForecastRequest request;
  request.values = one;
  request.horizon = 3;
  const absl::Status status = Forecast(request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "INSUFFICIENT_HISTORY");
  EXPECT_NE(status.message().find("too short"), std::string::npos) << status;
}

TEST(Forecast, AConstantSeriesIsForecastConstant) {
  const std::vector<double> constant(200, 7.5);
  ForecastRequest request;
  request.values = constant;
  request.horizon = 10;
  absl::StatusOr<ForecastResult> result = Forecast(request);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->seasonal_period, 0);
  for (const ForecastValue& point : result->points) {
    EXPECT_NEAR(point.value, 7.5, 1e-9);
    EXPECT_NEAR(point.lower, 7.5, 1e-6);
    EXPECT_NEAR(point.upper, 7.5, 1e-6);
  }
}

}  // namespace
}  // namespace horizonscale::forecast

// The forecasting engine and its rolling-origin backtest.
#include "forecast/engine.h"

#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/internal/backtest.h"
#include "forecast/internal/backtest_calibration.h"
#include "forecast/interval_scaling.h"
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
  ASSERT_EQ(result->origins.size(), 20u);
  EXPECT_EQ(result->forecasts[19].size(), 1u);

  // Every fifth origin: 80, 85, 90 and 95, the last scoring 5 steps.
  result = Backtest(ModelKind::kLinear, values, {},
                    {.horizon = 5, .test_length = 20, .level = 0.8, .origin_stride = 5});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->origins, (std::vector<int>{80, 85, 90, 95}));
  EXPECT_EQ(result->accuracy.points_scored, 4 * 5);
  EXPECT_NEAR(result->forecasts[3][4].value, 10 + 2 * 99, 1e-9);
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
  EXPECT_NE(result->model.kind, ModelKind::kSeasonalNaive)
      << ModelName(result->model.kind) << ": " << result->selection_reason;
  // Every family was tried, and the combination of the three.
  std::vector<ModelKind> tried;
  for (const ModelReport& candidate : result->candidates) tried.push_back(candidate.kind);
  EXPECT_EQ(tried,
            (std::vector<ModelKind>{ModelKind::kSeasonalNaive, ModelKind::kEts, ModelKind::kTheta,
                                    ModelKind::kArima, ModelKind::kCombination}));
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

// A caller that needs the forecast only (the planner) gets the same forecast,
// model and calibration; the candidates it did not choose are left
// uncalibrated.
TEST(Forecast, ForecastOnlyCalibratesTheChosenModelAlone) {
  const std::vector<double> values = DailyCycle(24 * 20, 4, 11);
  ForecastRequest request;
  request.values = values;
  request.horizon = 12;
  absl::StatusOr<ForecastResult> scored = Forecast(request);
  request.score_analytic_models = false;
  absl::StatusOr<ForecastResult> forecast_only = Forecast(request);
  ASSERT_TRUE(scored.ok()) << scored.status();
  ASSERT_TRUE(forecast_only.ok()) << forecast_only.status();
  EXPECT_EQ(forecast_only->model.description, scored->model.description);
  EXPECT_EQ(forecast_only->selection_reason, scored->selection_reason);
  EXPECT_EQ(forecast_only->model.interval_scales, scored->model.interval_scales);
  EXPECT_EQ(forecast_only->model.accuracy.interval_coverage,
            scored->model.accuracy.interval_coverage);
  ASSERT_EQ(forecast_only->points.size(), scored->points.size());
  for (size_t k = 0; k < scored->points.size(); ++k) {
    EXPECT_EQ(forecast_only->points[k].value, scored->points[k].value) << k;
    EXPECT_EQ(forecast_only->points[k].lower, scored->points[k].lower) << k;
    EXPECT_EQ(forecast_only->points[k].upper, scored->points[k].upper) << k;
  }
  int calibrated = 0, uncalibrated = 0;
  for (const ModelReport& candidate : forecast_only->candidates) {
    if (!candidate.analytic_interval) continue;
    (candidate.interval_scales.empty() ? uncalibrated : calibrated) += 1;
  }
  EXPECT_LE(calibrated, 1);
  EXPECT_GE(uncalibrated, 2);
}

// A choice reused on the grown series: no tournament, the chosen model
// refitted (Refit) with the choice's calibration applied to its interval.
TEST(Forecast, ReusedChoiceRefitsTheChosenModelWithItsCalibration) {
  const std::vector<double> values = DailyCycle(24 * 21, 4, 11);
  ForecastRequest request;
  request.values = std::span<const double>(values).first(24 * 20);
  request.horizon = 12;
  request.score_analytic_models = false;
  absl::StatusOr<ForecastResult> first = Forecast(request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_NE(first->choice, nullptr);
  EXPECT_FALSE(first->choice_reused);
  EXPECT_EQ(first->choice->report.kind, first->model.kind);
  EXPECT_EQ(first->choice->selection_reason, first->selection_reason);
  EXPECT_EQ(first->choice->seasonal_period, 24);

  request.values = values;
  request.reuse = first->choice;
  absl::StatusOr<ForecastResult> reused = Forecast(request);
  ASSERT_TRUE(reused.ok()) << reused.status();
  EXPECT_TRUE(reused->choice_reused);
  EXPECT_EQ(reused->choice, first->choice);
  EXPECT_TRUE(reused->candidates.empty());  // no tournament
  EXPECT_EQ(reused->seasonal_period, 24);
  EXPECT_EQ(reused->model.kind, first->model.kind);
  EXPECT_EQ(reused->model.interval_scales, first->model.interval_scales);
  EXPECT_NE(reused->selection_reason.find("refitted to all 504 points, as an earlier selection"),
            std::string::npos)
      << reused->selection_reason;
  // What the reuse promises, computed by hand.
  ModelOptions options;
  options.seasonal_period = 24;
  absl::StatusOr<std::unique_ptr<FittedModel>> refit = first->choice->model->Refit(values, options);
  ASSERT_TRUE(refit.ok()) << refit.status();
  ASSERT_TRUE((*refit)->analytic_interval());
  std::vector<ForecastValue> expected = (*refit)->Predict(12, 0.8);
  ScaleIntervals(first->choice->width_scales, expected);
  ASSERT_EQ(reused->points.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) {
    EXPECT_EQ(reused->points[k].value, expected[k].value) << k;
    EXPECT_EQ(reused->points[k].lower, expected[k].lower) << k;
    EXPECT_EQ(reused->points[k].upper, expected[k].upper) << k;
  }
  EXPECT_NE(reused->points.front().value, first->points.front().value);
}

// A choice made for other settings is not reused: the tournament runs.
TEST(Forecast, ChoiceForOtherSettingsIsNotReused) {
  const std::vector<double> values = DailyCycle(24 * 20, 4, 11);
  ForecastRequest request;
  request.values = values;
  request.horizon = 12;
  request.score_analytic_models = false;
  absl::StatusOr<ForecastResult> first = Forecast(request);
  ASSERT_TRUE(first.ok()) << first.status();
  request.reuse = first->choice;
  for (auto change : std::vector<std::function<void(ForecastRequest&)>>{
           [](ForecastRequest& r) { r.horizon = 6; }, [](ForecastRequest& r) { r.level = 0.9; },
           [](ForecastRequest& r) { r.seasonal_period = 24; }}) {
    ForecastRequest other = request;
    change(other);
    absl::StatusOr<ForecastResult> result = Forecast(other);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->choice_reused);
    EXPECT_NE(result->choice, first->choice);
    EXPECT_FALSE(result->candidates.empty());
  }
  // A requested model ignores it and reports no choice.
  request.model = ModelKind::kTheta;
  absl::StatusOr<ForecastResult> requested = Forecast(request);
  ASSERT_TRUE(requested.ok()) << requested.status();
  EXPECT_FALSE(requested->choice_reused);
  EXPECT_EQ(requested->choice, nullptr);
  EXPECT_EQ(requested->model.kind, ModelKind::kTheta);
}

// A reused model without analytic intervals gets the choice's backtest
// interval offsets around its point forecast.
TEST(Forecast, ReusedChoiceWithoutAnalyticIntervalAddsItsOffsets) {
  const std::vector<double> values = DailyCycle(24 * 10, 4, 5);
  ModelOptions options;
  options.seasonal_period = 24;
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kSeasonal, values, options);
  ASSERT_TRUE(model.ok()) << model.status();
  ASSERT_FALSE((*model)->analytic_interval());
  auto choice = std::make_shared<ModelChoice>();
  choice->model = std::move(*model);
  choice->horizon = 3;
  choice->seasonal_period = 24;
  choice->empirical_intervals = {{-1, 2}, {-3, 4}, {-5, 6}};
  choice->report.kind = ModelKind::kSeasonal;
  ForecastRequest request;
  request.values = values;
  request.horizon = 3;
  request.reuse = choice;
  absl::StatusOr<ForecastResult> result = Forecast(request);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_TRUE(result->choice_reused);
  ASSERT_EQ(result->points.size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_DOUBLE_EQ(result->points[k].lower, result->points[k].value - (2 * k + 1)) << k;
    EXPECT_DOUBLE_EQ(result->points[k].upper, result->points[k].value + (2 * k + 2)) << k;
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

// `auto`'s calibrated 80 % intervals on the future of simulated series of
// four kinds (local level, local trend, monthly season, AR(1)), ten each:
// the share of the true next 12 values inside lies within 7 points of 80 %
// (480 points; the sampling error alone is about 2 points).
TEST(Forecast, AutoIntervalsCoverTheTrueFutureOfSimulatedSeries) {
  std::mt19937_64 random(2024);
  std::normal_distribution<double> normal(0, 1);
  constexpr int kTrain = 120, kAhead = 12;
  int inside = 0, scored = 0;
  for (int kind = 0; kind < 4; ++kind) {
    for (int series = 0; series < 10; ++series) {
      std::vector<double> values;
      double level = 100, slope = 0.5, ar = 0;
      for (int t = 0; t < kTrain + kAhead; ++t) {
        switch (kind) {
          case 0:
            level += 0.8 * normal(random);
            values.push_back(level + 2 * normal(random));
            break;
          case 1:
            slope += 0.02 * normal(random);
            level += slope + 0.5 * normal(random);
            values.push_back(level + normal(random));
            break;
          case 2:
            values.push_back(100 + 0.2 * t + 15 * std::sin(2 * M_PI * t / 12) + 3 * normal(random));
            break;
          default:
            ar = 0.7 * ar + 3 * normal(random);
            values.push_back(50 + ar);
        }
      }
      ForecastRequest request;
      request.values = std::span<const double>(values).first(kTrain);
      request.horizon = kAhead;
      request.seasonal_period = kind == 2 ? 12 : 0;
      absl::StatusOr<ForecastResult> result = Forecast(request);
      ASSERT_TRUE(result.ok()) << result.status();
      for (int k = 0; k < kAhead; ++k) {
        const double actual = values[kTrain + k];
        ++scored;
        if (result->points[k].lower <= actual && actual <= result->points[k].upper) ++inside;
      }
    }
  }
  EXPECT_NEAR(static_cast<double>(inside) / scored, 0.8, 0.07) << inside << " of " << scored;
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

// Too short to hold anything out, long enough to fit: `auto` still answers,
// with the first family that fits, and says it was not backtested.
TEST(Forecast, ASeriesTooShortToBacktestGetsAFamilyThatFits) {
  const std::vector<double> three = {10, 12, 11};
  ForecastRequest request;
  request.values = three;
  request.horizon = 2;
  absl::StatusOr<ForecastResult> result = Forecast(request);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->points.size(), 2u);
  EXPECT_NE(result->selection_reason.find("without a backtest"), std::string::npos)
      << result->selection_reason;
  EXPECT_EQ(result->model.accuracy.points_scored, 0);
  for (const ForecastValue& point : result->points) {
    EXPECT_GT(point.value, 9);
    EXPECT_LT(point.value, 15);
    EXPECT_LE(point.lower, point.value);
    EXPECT_GE(point.upper, point.value);
  }
}

TEST(PlanBacktest, ReachesTheHorizonWithBoundedOrigins) {
  // 1,000 values, 24 steps: 200 held out, an origin every 4 steps (50).
  BacktestPlan plan = PlanBacktest(1000, 24);
  EXPECT_EQ(plan.horizon, 24);
  EXPECT_EQ(plan.test_length, 200);
  EXPECT_EQ(plan.origin_stride, 4);
  // Models without analytic intervals use every origin.
  EXPECT_EQ(plan.empirical_origin_stride, 1);
  // A horizon longer than a quarter of the series is cut to it, and twice
  // that is held out.
  plan = PlanBacktest(100, 60);
  EXPECT_EQ(plan.horizon, 25);
  EXPECT_EQ(plan.test_length, 50);
  EXPECT_EQ(plan.origin_stride, 1);
  // Long horizons keep at most kMaxBacktestPoints pairs, and 8 origins.
  plan = PlanBacktest(100'000, 10'000);
  EXPECT_EQ(plan.test_length, 20'000);
  EXPECT_EQ(plan.origin_stride, 2'000);
  EXPECT_EQ(plan.empirical_origin_stride, 2'000);
  // Nothing to hold out below three values.
  EXPECT_EQ(PlanBacktest(2, 5).test_length, 0);
  EXPECT_EQ(PlanBacktest(5, 5).test_length, 2);
}

// Intervals twice too narrow are widened about twice, and then cover about
// what they claim on points their calibration did not see; intervals too
// wide are narrowed, less so when the origins span few forecast windows.
TEST(CalibrateBacktest, WidensIntervalsThatAreTooNarrowAndNarrowsWideOnesInPart) {
  std::mt19937_64 random(5);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> values(400);
  for (double& value : values) value = 100 + normal(random);
  BacktestResult backtest;
  backtest.analytic_interval = true;
  backtest.errors.resize(3);
  const double z80 = 1.2815515655446004;
  for (int origin = 300; origin + 3 <= 400; origin += 2) {
    backtest.origins.push_back(origin);
    std::vector<ForecastValue> forecast(3, {100, 100 - z80 / 2, 100 + z80 / 2});
    for (int k = 0; k < 3; ++k) backtest.errors[k].push_back(values[origin + k] - 100);
    backtest.forecasts.push_back(forecast);
  }
  const BacktestCalibration calibration = CalibrateBacktest(backtest, values, 0.8);
  ASSERT_EQ(calibration.width_scales.size(), 3u);
  for (double scale : calibration.width_scales) EXPECT_NEAR(scale, 2, 0.35);
  EXPECT_NEAR(calibration.held_out_coverage, 0.8, 0.07);
  // Intervals twice too wide are narrowed, in part: origins spanning 34
  // windows of 3 steps give about 0.5^(34 / 35.5) = 0.52; origins 300..307
  // only (3.3 windows) keep q^(3.3 / 4.8) of their conformal multiplier q.
  for (std::vector<ForecastValue>& forecast : backtest.forecasts) {
    for (ForecastValue& value : forecast) {
      value.lower = 100 - 2 * z80;
      value.upper = 100 + 2 * z80;
    }
  }
  for (double scale : CalibrateBacktest(backtest, values, 0.8).width_scales) {
    EXPECT_NEAR(scale, 0.52, 0.08);
  }
  BacktestResult short_span = backtest;
  short_span.origins.clear();
  short_span.forecasts.resize(8);
  for (int origin = 300; origin < 308; ++origin) short_span.origins.push_back(origin);
  std::vector<std::vector<double>> standardized(3);
  for (int i = 0; i < 8; ++i) {
    for (int k = 0; k < 3; ++k) {
      standardized[k].push_back(
          StandardizedError(short_span.forecasts[i][k], values[short_span.origins[i] + k]));
    }
  }
  const std::vector<double> conformal = WidthScales(standardized, 0.8);
  const double windows = (7.0 + 3) / 3;
  const std::vector<double> shrunk = CalibrateBacktest(short_span, values, 0.8).width_scales;
  ASSERT_EQ(shrunk.size(), 3u);
  for (size_t k = 0; k < 3; ++k) {
    ASSERT_LT(conformal[k], 1);
    EXPECT_NEAR(shrunk[k], std::pow(conformal[k], windows / (windows + 1.5)), 1e-12);
  }
  // Too few origins: not calibrated.
  backtest.origins.resize(3);
  backtest.forecasts.resize(3);
  EXPECT_TRUE(CalibrateBacktest(backtest, values, 0.8).width_scales.empty());
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

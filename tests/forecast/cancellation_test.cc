// Cancellation of the forecasting engine, its work estimate and the grid
// plan that lets a server refuse oversize requests before any work.
#include <cmath>
#include <random>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

#include "forecast/engine.h"
#include "forecast/internal/backtest.h"
#include "forecast/internal/optimizer.h"
#include "forecast/time_series.h"

namespace horizonscale::forecast {
namespace {

// Hourly values with a daily cycle, a trend and Gaussian noise: `auto`
// detects the period and backtests all six models on it.
std::vector<double> DailyCycle(int n) {
  std::mt19937_64 random(11);
  std::normal_distribution<double> noise(0, 4);
  std::vector<double> values;
  for (int t = 0; t < n; ++t) {
    values.push_back(200 + 0.05 * t + 40 * std::sin(2 * M_PI * t / 24) + noise(random));
  }
  return values;
}

// A predicate that counts its calls and says "cancel" from call `cancel_at`
// on (never when cancel_at is 0).
struct CountingCheck {
  int calls = 0;
  int cancel_at = 0;
  CancelCheck Check() {
    return [this] { return ++calls >= cancel_at && cancel_at > 0; };
  }
};

TEST(ForecastCancellation, StopsAtTheFirstPollThatSaysYesInEveryStage) {
  const std::vector<double> values = DailyCycle(24 * 60);
  ForecastRequest request;
  request.values = values;
  request.horizon = 48;

  // Uncancelled: every poll answered "no", the answer is the one without a
  // predicate.
  CountingCheck never;
  request.cancelled = never.Check();
  absl::StatusOr<ForecastResult> polled = Forecast(request);
  ASSERT_TRUE(polled.ok()) << polled.status();
  request.cancelled = nullptr;
  absl::StatusOr<ForecastResult> plain = Forecast(request);
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_EQ(polled->points.size(), plain->points.size());
  for (size_t k = 0; k < plain->points.size(); ++k) {
    EXPECT_EQ(polled->points[k].value, plain->points[k].value) << k;
    EXPECT_EQ(polled->points[k].upper, plain->points[k].upper) << k;
  }
  EXPECT_EQ(polled->model.kind, plain->model.kind);
  const int total = never.calls;
  // Detection, six backtests (each polls per 64 origins over 288 held-out
  // values), the smoothing models' searches and the final fit.
  ASSERT_GT(total, 6 * (288 / 64));

  // Cancelled at poll k, for polls spread over the whole call: CANCELLED,
  // and no poll after the one that said yes (nothing more was computed).
  for (int k : {1, 2, 3, total / 5, total / 3, total / 2, 2 * total / 3, total - 1, total}) {
    CountingCheck check{.calls = 0, .cancel_at = k};
    request.cancelled = check.Check();
    absl::StatusOr<ForecastResult> result = Forecast(request);
    ASSERT_FALSE(result.ok()) << "cancelled at poll " << k << " of " << total;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled) << result.status();
    EXPECT_EQ(check.calls, k) << result.status();
  }
}

TEST(ForecastCancellation, ARequestedSmoothingModelStopsInsideItsParameterSearch) {
  const std::vector<double> values = DailyCycle(24 * 60);
  ForecastRequest request;
  request.values = values;
  request.horizon = 24;
  request.model = ModelKind::kHoltWinters;
  request.seasonal_period = 24;
  request.score_analytic_models = false;  // only the fit: no backtest polls
  CountingCheck never;
  request.cancelled = never.Check();
  ASSERT_TRUE(Forecast(request).ok());
  // One poll at the start, then the ETS members' searches (four members).
  ASSERT_GT(never.calls, 4);
  CountingCheck check{.calls = 0, .cancel_at = 3};
  request.cancelled = check.Check();
  absl::StatusOr<ForecastResult> result = Forecast(request);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
  EXPECT_NE(result.status().message().find("during the ETS fit"), std::string::npos)
      << result.status();
  EXPECT_EQ(check.calls, 3);
}

TEST(MinimizeInBox, StopsWhenCancelledAndSaysSo) {
  // (x − 0.3)² + (y − 0.6)² converges in far more than one poll interval.
  auto objective = [](std::span<const double> x) {
    return (x[0] - 0.3) * (x[0] - 0.3) + (x[1] - 0.6) * (x[1] - 0.6);
  };
  const std::vector<double> start = {0.9, 0.1}, lower = {0, 0}, upper = {1, 1};
  int polls = 0;
  const CancelCheck cancelled = [&polls] { return ++polls >= 2; };
  internal::NelderMeadOptions options;
  options.max_evaluations = 10'000;
  options.value_tolerance = 1e-14;
  options.point_tolerance = 1e-12;
  options.cancelled = &cancelled;
  const internal::NelderMeadResult result =
      internal::MinimizeInBox(objective, start, lower, upper, options);
  EXPECT_TRUE(result.cancelled);
  EXPECT_FALSE(result.converged);
  EXPECT_EQ(polls, 2);
  // Polls at iterations 0 and kCancelPollIterations: at most two
  // evaluations per iteration besides the first simplex's three.
  EXPECT_LE(result.evaluations, 3 + 2 * internal::kCancelPollIterations);
  options.cancelled = nullptr;
  const internal::NelderMeadResult uncancelled =
      internal::MinimizeInBox(objective, start, lower, upper, options);
  EXPECT_FALSE(uncancelled.cancelled);
  EXPECT_NEAR(uncancelled.point[0], 0.3, 1e-5);
}

TEST(Backtest, ReturnsCancelledBetweenOrigins) {
  const std::vector<double> values = DailyCycle(24 * 30);
  ModelOptions options;
  int polls = 0;
  options.cancelled = [&polls] { return ++polls >= 2; };
  absl::StatusOr<BacktestResult> result =
      Backtest(ModelKind::kLinear, values, options, {.horizon = 24, .test_length = 200});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(polls, 2);  // origins 0 and kBacktestCancelPollOrigins
}

TEST(EmpiricalIntervals, EqualsEmpiricalIntervalAtEveryStep) {
  std::mt19937_64 random(3);
  std::normal_distribution<double> normal(0, 1);
  std::vector<std::vector<double>> errors(6);
  for (size_t k = 0; k < errors.size(); ++k) {
    for (size_t i = 0; i < 50 - 3 * k; ++i) errors[k].push_back((k + 1) * normal(random));
  }
  errors[4].clear();  // a step without errors borrows the one before it
  const std::vector<std::pair<double, double>> all = EmpiricalIntervals(errors, 40, 0.8);
  ASSERT_EQ(all.size(), 40u);
  for (int k = 1; k <= 40; ++k) {
    const std::pair<double, double> one = EmpiricalInterval(errors, k, 0.8);
    EXPECT_EQ(all[k - 1].first, one.first) << k;
    EXPECT_EQ(all[k - 1].second, one.second) << k;
  }
  EXPECT_EQ(EmpiricalIntervals({}, 3, 0.8), (std::vector<std::pair<double, double>>(3, {0, 0})));
}

TEST(EstimateWork, CountsModelsAndTheBacktestHorizonAnUpperBoundNeeds) {
  ForecastRequest automatic;
  automatic.horizon = 10'000;
  // Detection may find a period up to max_detected_period (400), longer
  // than ETS and ARIMA take: seasonal naive, Theta and MSTL, each fitted
  // twice at most; a quarter of the 1,000 values scored per origin, at most
  // every other one of the last 500 an origin (the bound for models
  // without analytic intervals: 100,000 points / 250 steps).
  WorkEstimate work = EstimateWork(automatic, 1000);
  EXPECT_EQ(work.models, 3);
  EXPECT_EQ(work.fit_length, 1000);
  const int64_t auto_long_period =
      2 * (FitUnitsPerValue(ModelKind::kSeasonalNaive) + FitUnitsPerValue(ModelKind::kTheta) +
           FitUnitsPerValue(ModelKind::kMstl));
  EXPECT_EQ(work.fit_units_per_value, auto_long_period);
  EXPECT_EQ(work.backtest_horizon, 250);
  EXPECT_EQ(work.backtest_points, 250 * 250);
  EXPECT_EQ(work.units, 1000 * auto_long_period + 3 * (250 * 250 + 1000));
  // `auto` fits on at most a week of minutes (or four longest seasons).
  work = EstimateWork(automatic, 1'000'000);
  EXPECT_EQ(work.fit_length, kRecentFitValues);
  // No season: seasonal naive (naive), ETS, Theta and ARIMA.
  automatic.seasonal_period = 0;
  automatic.horizon = 24;
  work = EstimateWork(automatic, 1000);
  EXPECT_EQ(work.models, 4);
  EXPECT_EQ(work.backtest_horizon, 24);
  EXPECT_EQ(work.trend_refit_units, 0);

  ForecastRequest seasonal;
  seasonal.model = ModelKind::kSeasonal;
  seasonal.horizon = 5;
  seasonal.seasonal_period = 24;
  work = EstimateWork(seasonal, 1000);
  EXPECT_EQ(work.models, 1);
  EXPECT_EQ(work.backtest_horizon, 5);
  // 200 held out, each an origin; the trend window is half the series.
  EXPECT_EQ(work.backtest_points, 200 * 5);
  EXPECT_EQ(work.trend_refit_units, 200 * 500);
  EXPECT_EQ(work.units, 1000 * 2 * FitUnitsPerValue(ModelKind::kSeasonal) + (1000 + 1000) + 100000);
  // A giant grid saturates rather than overflows.
  EXPECT_EQ(EstimateWork(seasonal, std::numeric_limits<int64_t>::max()).units,
            std::numeric_limits<int64_t>::max());
}

TEST(Forecast, RefusesWorkOverTheLimitBeforeFitting) {
  const std::vector<double> values = DailyCycle(24 * 30);
  ForecastRequest request;
  request.values = values;
  request.model = ModelKind::kHoltWinters;
  request.horizon = 24;
  request.seasonal_period = 24;
  const int64_t units = EstimateWork(request, static_cast<int64_t>(values.size())).units;
  int polls = 0;
  request.cancelled = [&polls] { return ++polls < 0; };
  request.max_work_units = units - 1;
  const absl::Status refused = Forecast(request).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find(absl::StrCat("about ", units, " work units")), std::string::npos)
      << refused;
  EXPECT_LE(polls, 1);  // refused before any fit polled
  request.max_work_units = units;
  EXPECT_TRUE(Forecast(request).ok());
}

TEST(PlanGrid, MeasuresAGiantGridWithoutPreparingIt) {
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  // Three points spanning a million one-second steps.
  const std::vector<Observation> points = {
      {start, 1}, {start + absl::Seconds(1), 2}, {start + absl::Seconds(1'000'000), 3}};
  absl::StatusOr<GridPlan> plan = PlanGrid(points, std::nullopt);  // inferred: 1 s
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->step, absl::Seconds(1));
  EXPECT_EQ(plan->length, 1'000'001);
  plan = PlanGrid(points, absl::Minutes(1));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->length, 16'668);  // round(1e6 / 60) + 1
  // Three thousand years at a nanosecond saturate.
  const std::vector<Observation> far = {{start, 1}, {start + absl::Hours(24 * 365 * 3000), 2}};
  plan = PlanGrid(far, absl::Nanoseconds(1));
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->length, std::numeric_limits<int64_t>::max());
  // The same slot count as the series PrepareSeries makes.
  std::vector<Observation> jittered;
  for (int i = 0; i < 50; ++i) {
    jittered.push_back({start + absl::Minutes(5 * i) + absl::Seconds(i % 7), 1.0 * i});
  }
  plan = PlanGrid(jittered, std::nullopt);
  absl::StatusOr<RegularSeries> series = PrepareSeries(jittered, std::nullopt);
  ASSERT_TRUE(plan.ok() && series.ok());
  EXPECT_EQ(plan->length, static_cast<int64_t>(series->values.size()));
  EXPECT_EQ(plan->step, series->step);
  // PrepareSeries's input errors.
  EXPECT_EQ(PlanGrid({}, std::nullopt).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PlanGrid({{start, 1}}, std::nullopt).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace horizonscale::forecast

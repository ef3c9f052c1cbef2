// The fleet refinery, breach detection and the per-series tournament.
#include <cmath>
#include <random>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

#include "forecast/fleet/fleet_boosting.h"
#include "forecast/fleet/fleet_refinery.h"
#include "forecast/fleet/internal/breach_risk.h"
#include "forecast/fleet/tournament.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

constexpr int64_t kFirstDay = 19000;  // 2022-01-08

DailySeries Daily(std::vector<double> values) {
  DailySeries series;
  series.first_day = kFirstDay;
  series.values = std::move(values);
  return series;
}

TEST(FleetRefinery, AveragesDuplicatesFillsGapsAndClamps) {
  // Days 10..15 given out of order: day 11 twice, day 13 missing, one value
  // over 100 and one below 0.
  const std::vector<int32_t> days = {12, 10, 11, 11, 14, 15};
  const std::vector<double> values = {30, 10, 20, 24, 100.5, -1};
  absl::StatusOr<DailySeries> series = PrepareDailySeries(days, values);
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->first_day, 10);
  EXPECT_EQ(series->last_day(), 15);
  const std::vector<double> expected = {10, 22, 30, 65.25, 100, 0};
  ASSERT_EQ(series->values.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_DOUBLE_EQ(series->values[i], expected[i]);
  EXPECT_EQ(series->duplicates_merged, 1);
  EXPECT_EQ(series->gaps_filled, 1);  // day 13: halfway between 30 and 100.5
  EXPECT_EQ(series->values_clamped, 2);
}

TEST(FleetRefinery, RejectsBadInput) {
  EXPECT_EQ(PrepareDailySeries(std::vector<int32_t>{1, 2}, std::vector<double>{1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareDailySeries({}, {}).status().code(), absl::StatusCode::kInvalidArgument);
  const absl::Status nan =
      PrepareDailySeries(std::vector<int32_t>{1, 2}, std::vector<double>{1, NAN}).status();
  EXPECT_EQ(nan.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(nan.message().find("index 1"), std::string_view::npos) << nan;
}

TEST(BreachRisk, FindsTheFirstDayTheUpperBoundExceedsTheThreshold) {
  std::vector<ForecastValue> future(120);
  for (int i = 0; i < 120; ++i) future[i] = {80.0 + 0.2 * i, 75.0 + 0.2 * i, 85.0 + 0.2 * i};
  // upper = 85 + 0.2 i > 95  ⇔  i > 50: day 51.
  std::optional<BreachRisk> risk = FindBreach(future, 1000, {});
  ASSERT_TRUE(risk.has_value());
  EXPECT_EQ(risk->first_breach_day, 1051);
  EXPECT_EQ(risk->planned_action_day, 1021);
  EXPECT_DOUBLE_EQ(risk->peak_upper_percent, 85 + 0.2 * 89);  // within the 90-day window
  // Exactly at the threshold is not a breach; beyond the window neither.
  EXPECT_FALSE(FindBreach(future, 1000, {.breach_threshold_percent = 85 + 0.2 * 119}).has_value());
  EXPECT_FALSE(FindBreach(future, 1000, {.risk_window_days = 51}).has_value());
  EXPECT_TRUE(FindBreach(future, 1000, {.risk_window_days = 52}).has_value());
}

TEST(BreachRisk, ValidatesOptions) {
  EXPECT_FALSE(ValidateRiskOptions({.breach_threshold_percent = 0}).ok());
  EXPECT_FALSE(ValidateRiskOptions({.breach_threshold_percent = NAN}).ok());
  EXPECT_FALSE(ValidateRiskOptions({.breach_threshold_percent = 101}).ok());
  EXPECT_FALSE(ValidateRiskOptions({.risk_window_days = 0}).ok());
  EXPECT_FALSE(ValidateRiskOptions({.action_lead_days = -1}).ok());
  EXPECT_TRUE(ValidateRiskOptions({}).ok());
}

TEST(Tournament, ScoresOnTheHeldOutDaysAndBreaksTiesByListingOrder) {
  // Constant 50 for 200 days, then 30 held-out days at 55: EWMA and
  // seasonal-naive both forecast 50, MAPE = 5/55 = 9.0909 %.
  std::vector<double> values(230, 50.0);
  for (int i = 200; i < 230; ++i) values[i] = 55;
  TournamentOptions options;
  options.models = {ModelKind::kEwma, ModelKind::kSeasonalNaive};
  absl::StatusOr<SeriesTournament> result = RunSeriesTournament(Daily(values), options, {});
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->models.size(), 2u);
  EXPECT_EQ(result->champion().kind, ModelKind::kEwma);
  EXPECT_EQ(result->champion().rank, 1);
  ASSERT_NE(result->runner_up(), nullptr);
  EXPECT_EQ(result->runner_up()->kind, ModelKind::kSeasonalNaive);
  for (const ModelResult& model : result->models) {
    EXPECT_NEAR(model.accuracy.mape_percent, 100.0 * 5 / 55, 1e-9);
    EXPECT_EQ(model.accuracy.points_scored, 30);
    EXPECT_EQ(model.backtest.size(), 30u);
    EXPECT_EQ(model.future.size(), 180u);  // champion and runner-up
  }
  EXPECT_EQ(result->backtest_first_day, kFirstDay + 200);
  EXPECT_EQ(result->future_first_day, kFirstDay + 230);
}

TEST(Tournament, TheWeeklyBaselineBeatsALevelOnAWeeklySeries) {
  std::mt19937_64 random(7);
  std::normal_distribution<double> noise(0, 0.5);
  std::vector<double> values;
  for (int t = 0; t < 400; ++t) {
    values.push_back(50 + 15 * std::sin(2 * M_PI * t / 7) + noise(random));
  }
  TournamentOptions options;
  options.models = {ModelKind::kEwma, ModelKind::kHolt, ModelKind::kHoltWinters,
                    ModelKind::kSeasonalNaive};
  absl::StatusOr<SeriesTournament> result = RunSeriesTournament(Daily(values), options, {});
  ASSERT_TRUE(result.ok()) << result.status();
  const ModelKind champion = result->champion().kind;
  EXPECT_TRUE(champion == ModelKind::kHoltWinters || champion == ModelKind::kSeasonalNaive)
      << ModelName(champion);
  // Ranks follow the metric, and only the top two have futures.
  for (size_t i = 0; i < result->models.size(); ++i) {
    EXPECT_EQ(result->models[i].rank, static_cast<int>(i) + 1);
    if (i > 0) {
      EXPECT_LE(result->models[i - 1].accuracy.mape_percent,
                result->models[i].accuracy.mape_percent);
    }
    EXPECT_EQ(result->models[i].future.size(), i < 2 ? 180u : 0u);
  }
  // Holt-Winters' 80 % intervals cover most of the held-out days.
  for (const ModelResult& model : result->models) {
    if (model.kind == ModelKind::kHoltWinters) {
      EXPECT_GE(model.accuracy.interval_coverage, 0.6);
    }
  }
}

TEST(Tournament, ALineHeadingForTheThresholdIsAtRiskOnTheDayItCrosses) {
  // y = 20 + 0.07 t for t < 1000, noise-free: the forecast exceeds 95 first
  // at t = 1072 (20 + 0.07·1071 = 94.97), day 72 of the future.
  std::vector<double> values;
  for (int t = 0; t < 1000; ++t) values.push_back(20 + 0.07 * t);
  TournamentOptions options;
  options.models = {ModelKind::kLinear, ModelKind::kEwma};
  absl::StatusOr<SeriesTournament> result = RunSeriesTournament(Daily(values), options, {});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->champion().kind, ModelKind::kLinear);
  EXPECT_NEAR(result->champion().accuracy.mape_percent, 0, 1e-9);
  ASSERT_TRUE(result->risk.has_value());
  EXPECT_EQ(result->risk->first_breach_day, kFirstDay + 1072);
  EXPECT_EQ(result->risk->planned_action_day, kFirstDay + 1072 - 30);
  EXPECT_NEAR(result->risk->peak_upper_percent, 20 + 0.07 * 1089, 1e-6);
  // Forecasts are clamped to 100 % (the line passes it at t = 1143).
  EXPECT_DOUBLE_EQ(result->champion().future.back().value, 100.0);
}

TEST(Tournament, ExternalForecastsCompeteAndGiveTheirFuture) {
  std::vector<double> values(300);
  for (int t = 0; t < 300; ++t) values[t] = 40 + 10 * ((t % 3) == 0);
  TournamentOptions options;
  options.models = {ModelKind::kEwma};
  options.horizon_days = 100;
  ExternalForecasts perfect;
  for (int t = 270; t < 300; ++t) perfect.backtest.push_back({values[t], values[t], values[t]});
  for (int t = 300; t < 400; ++t) {
    const double v = 40 + 10 * ((t % 3) == 0);
    perfect.future.push_back({v, v - 1, v + 1});
  }
  perfect.description = "oracle";
  const std::vector<ExternalForecasts> external = {perfect};
  absl::StatusOr<SeriesTournament> result = RunSeriesTournament(Daily(values), options, external);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->champion().kind, ModelKind::kXgboost);
  EXPECT_EQ(result->champion().description, "oracle");
  EXPECT_DOUBLE_EQ(result->champion().accuracy.interval_coverage, 1.0);
  ASSERT_EQ(result->champion().future.size(), 100u);
  EXPECT_DOUBLE_EQ(result->champion().future[0].value, 50);  // t = 300
  EXPECT_DOUBLE_EQ(result->champion().future[2].value, 40);  // t = 302
  EXPECT_FALSE(result->risk.has_value());

  perfect.future.pop_back();
  const std::vector<ExternalForecasts> short_future = {perfect};
  EXPECT_EQ(RunSeriesTournament(Daily(values), options, short_future).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Tournament, TooShortSeriesAndUnfittableModelsAreReported) {
  TournamentOptions options;
  const absl::Status short_series =
      RunSeriesTournament(Daily(std::vector<double>(31, 5.0)), options, {}).status();
  EXPECT_EQ(short_series.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(short_series), "INSUFFICIENT_HISTORY");

  // Holt-Winters needs two weeks of training data; 40 days leave 10.
  options.models = {ModelKind::kHoltWinters};
  const absl::Status unfittable =
      RunSeriesTournament(Daily(std::vector<double>(40, 5.0)), options, {}).status();
  EXPECT_EQ(unfittable.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(unfittable.message().find("holt_winters"), std::string_view::npos) << unfittable;

  // A model that fails is unranked; the others still compete.
  options.models = {ModelKind::kHoltWinters, ModelKind::kEwma};
  absl::StatusOr<SeriesTournament> partial =
      RunSeriesTournament(Daily(std::vector<double>(40, 5.0)), options, {});
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(partial->champion().kind, ModelKind::kEwma);
  EXPECT_EQ(partial->runner_up(), nullptr);
  EXPECT_EQ(partial->models[1].rank, 0);
  EXPECT_FALSE(partial->models[1].status.ok());

  // So is a fleet-wide model without forecasts for the series, with its
  // reason.
  const BoostedOptions boosted;
  const ExternalForecasts unavailable = BoostedForecastsUnavailable(40, options, boosted);
  absl::StatusOr<SeriesTournament> without =
      RunSeriesTournament(Daily(std::vector<double>(40, 5.0)), options, {&unavailable, 1});
  ASSERT_TRUE(without.ok()) << without.status();
  ASSERT_EQ(without->models.size(), 3u);
  EXPECT_EQ(without->models[2].kind, ModelKind::kXgboost);
  EXPECT_EQ(without->models[2].rank, 0);
  EXPECT_EQ(ReasonOf(without->models[2].status), "INSUFFICIENT_HISTORY");
  EXPECT_NE(without->models[2].status.message().find(
                absl::StrCat("needs at least ", MinimumHistory(boosted) + 31, " days")),
            std::string_view::npos)
      << without->models[2].status;
}

// A line whose last 30 days stay flat: the level (EWMA) wins the 30-day
// backtest, the line the 90-day one, which then decides the champion.
TEST(Tournament, TheLongBacktestScoresEveryModelAndCanChooseTheChampion) {
  std::vector<double> values;
  for (int t = 0; t < 1000; ++t) values.push_back(20 + 0.05 * std::min(t, 969));
  TournamentOptions options;
  options.models = {ModelKind::kEwma, ModelKind::kLinear};
  options.long_backtest_days = 90;
  options.combine_top = 0;
  absl::StatusOr<SeriesTournament> short_choice = RunSeriesTournament(Daily(values), options, {});
  ASSERT_TRUE(short_choice.ok()) << short_choice.status();
  EXPECT_EQ(short_choice->champion().kind, ModelKind::kEwma);
  EXPECT_EQ(short_choice->long_backtest_first_day, kFirstDay + 910);
  for (const ModelResult& model : short_choice->models) {
    ASSERT_TRUE(model.long_accuracy.has_value()) << ModelName(model.kind);
    ASSERT_EQ(model.long_backtest.size(), 90u);
    EXPECT_EQ(model.long_accuracy->points_scored, 90);
  }
  // The line fitted on the first 910 days forecasts the next 60 exactly
  // and then overshoots the flat part: MAPE = mean of 0.05 k / 68.45 over
  // k = 1..30, on 90 days.
  const ModelResult& line = short_choice->models[1];
  ASSERT_EQ(line.kind, ModelKind::kLinear);
  EXPECT_NEAR(line.long_backtest[0].value, 20 + 0.05 * 910, 1e-6);
  double expected = 0;
  for (int k = 1; k <= 30; ++k) expected += 0.05 * k / 68.45;
  EXPECT_NEAR(line.long_accuracy->mape_percent, 100 * expected / 90, 1e-6);

  options.selection_window = SelectionWindow::kLongBacktest;
  absl::StatusOr<SeriesTournament> long_choice = RunSeriesTournament(Daily(values), options, {});
  ASSERT_TRUE(long_choice.ok()) << long_choice.status();
  EXPECT_EQ(long_choice->champion().kind, ModelKind::kLinear);
  EXPECT_EQ(long_choice->champion().future.size(), 180u);
  ASSERT_NE(long_choice->runner_up(), nullptr);
  EXPECT_EQ(long_choice->runner_up()->kind, ModelKind::kEwma);

  // Too short for the long backtest: the 30-day one decides.
  values.resize(91);
  absl::StatusOr<SeriesTournament> fallback = RunSeriesTournament(Daily(values), options, {});
  ASSERT_TRUE(fallback.ok()) << fallback.status();
  EXPECT_FALSE(fallback->champion().long_accuracy.has_value());
}

// The combination of the best two on the long backtest contests like any
// model: here the mean of two models biased in opposite directions is
// exact, is champion, and forecasts the mean of its members' futures.
TEST(Tournament, ACombinationOfTheBestOnTheLongBacktestContests) {
  std::vector<double> values(400);
  for (int t = 0; t < 400; ++t) values[t] = 50 + ((t % 2) == 0 ? 3 : -3);
  TournamentOptions options;
  options.models = {ModelKind::kEwma};
  options.horizon_days = 100;
  options.long_backtest_days = 90;
  options.selection_window = SelectionWindow::kLongBacktest;
  auto biased = [&](ModelKind kind, double bias) {
    ExternalForecasts forecasts;
    forecasts.kind = kind;
    forecasts.description = ModelName(kind);
    auto at = [&](int t) {
      const double v = 50 + ((t % 2) == 0 ? 3 : -3) + bias;
      return ForecastValue{v, v - 1, v + 1};
    };
    for (int t = 370; t < 400; ++t) forecasts.backtest.push_back(at(t));
    for (int t = 310; t < 400; ++t) forecasts.long_backtest.push_back(at(t));
    for (int t = 400; t < 500; ++t) forecasts.future.push_back(at(t));
    return forecasts;
  };
  const std::vector<ExternalForecasts> external = {biased(ModelKind::kXgboost, 1),
                                                   biased(ModelKind::kProphet, -1)};
  absl::StatusOr<SeriesTournament> result = RunSeriesTournament(Daily(values), options, external);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->models.size(), 4u);
  const ModelResult& champion = result->champion();
  EXPECT_EQ(champion.kind, ModelKind::kCombination);
  EXPECT_EQ(champion.description, "Mean of xgboost, prophet");
  ASSERT_TRUE(champion.long_accuracy.has_value());
  EXPECT_NEAR(champion.long_accuracy->mape_percent, 0, 1e-9);
  EXPECT_NEAR(champion.accuracy.mape_percent, 0, 1e-9);
  ASSERT_EQ(champion.future.size(), 100u);
  for (int h = 0; h < 100; ++h) {
    const double actual = 50 + (((400 + h) % 2) == 0 ? 3 : -3);
    EXPECT_NEAR(champion.future[h].value, actual, 1e-9) << h;
    EXPECT_NEAR(champion.future[h].upper, actual + 1, 1e-9) << h;
  }
  for (const ModelResult& model : result->models) EXPECT_EQ(model.rank > 0, true);
  // Its members (ranks 2 and 3) have their futures; EWMA (4th) has none.
  EXPECT_EQ(result->models[1].future.size(), 100u);
  EXPECT_EQ(result->models[2].future.size(), 100u);
  EXPECT_EQ(result->models[3].kind, ModelKind::kEwma);
  EXPECT_TRUE(result->models[3].future.empty());

  // Without a combination the best single model is champion.
  options.combine_top = 0;
  absl::StatusOr<SeriesTournament> single = RunSeriesTournament(Daily(values), options, external);
  ASSERT_TRUE(single.ok()) << single.status();
  EXPECT_EQ(single->champion().kind, ModelKind::kXgboost);  // ties keep the listing order
  EXPECT_EQ(single->models.size(), 3u);

  // External long backtests of the wrong length are refused.
  std::vector<ExternalForecasts> wrong = external;
  wrong[0].long_backtest.pop_back();
  EXPECT_EQ(RunSeriesTournament(Daily(values), options, wrong).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Tournament, ValidatesOptions) {
  TournamentOptions options;
  EXPECT_TRUE(ValidateTournamentOptions(options).ok());
  auto invalid = [](auto change) {
    TournamentOptions o;
    change(o);
    return ValidateTournamentOptions(o).code() == absl::StatusCode::kInvalidArgument;
  };
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.models.push_back(ModelKind::kXgboost); }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.models.push_back(ModelKind::kSeasonal); }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.models.push_back(ModelKind::kEwma); }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.backtest_days = 0; }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.horizon_days = 60; }));  // < risk window
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.interval_level = 1; }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.interval_level = NAN; }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.risk.action_lead_days = -2; }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.long_backtest_days = -1; }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.long_backtest_days = 181; }));  // > horizon
  EXPECT_TRUE(invalid([](TournamentOptions& o) { o.combine_top = 4; }));
  EXPECT_TRUE(invalid([](TournamentOptions& o) {
    o.selection_window = SelectionWindow::kLongBacktest;  // without a long backtest
  }));
}

}  // namespace
}  // namespace horizonscale::forecast

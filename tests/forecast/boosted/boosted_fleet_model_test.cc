// Tests of the global XGBoost fleet model (forecast/boosted/boosted_fleet_model.h):
// accuracy against seasonal-naive on series with known structure, trend
// extrapolation beyond the levels seen in training, serialization round
// trips, determinism and input validation.
#include "forecast/boosted/boosted_fleet_model.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <absl/status/status.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "forecast/boosted/internal/boosted_features.h"
#include "forecast/boosted/internal/boosted_training.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kFirstDay = 19000;  // 2022-01-08

// A series: level + a weekly profile of random amplitude + AR(1) noise.
std::vector<double> WeeklyArSeries(uint64_t seed, int days) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> uniform(0, 1);
  std::normal_distribution<double> normal(0, 1);
  const double level = 30 + 40 * uniform(random);
  const double amplitude = 2 + 10 * uniform(random);
  double profile[7];
  for (double& p : profile) p = amplitude * (2 * uniform(random) - 1);
  double noise = 0;
  std::vector<double> values;
  for (int t = 0; t < days; ++t) {
    noise = 0.7 * noise + 1.5 * normal(random);
    values.push_back(level + profile[internal::DayOfWeek(kFirstDay + t)] + noise);
  }
  return values;
}

// A straight line with small noise.
std::vector<double> Line(uint64_t seed, int days, double start, double slope) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> normal(0, 0.3);
  std::vector<double> values;
  for (int t = 0; t < days; ++t) values.push_back(start + slope * t + normal(random));
  return values;
}

std::vector<BoostedSeries> AsSeries(const std::vector<std::vector<double>>& values, int keep) {
  std::vector<BoostedSeries> series;
  for (const std::vector<double>& v : values) {
    series.push_back({.values = std::span<const double>(v).first(keep),
                      .first_day = kFirstDay,
                      .group = static_cast<int>(series.size() % 4)});
  }
  return series;
}

BoostedOptions TestOptions() {
  BoostedOptions options;
  options.threads = 2;
  options.seed = 7;
  return options;
}

TEST(BoostedFleetModelTest, BeatsSeasonalNaiveOnWeeklyArSeries) {
  constexpr int kDays = 520;
  constexpr int kHeldOut = 30;
  std::vector<std::vector<double>> values;
  for (uint64_t i = 0; i < 100; ++i) values.push_back(WeeklyArSeries(100 + i, kDays));
  const std::vector<BoostedSeries> training = AsSeries(values, kDays - kHeldOut);

  auto model = BoostedFleetModel::Train(training, TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto forecasts = model->Forecast(training, kHeldOut);
  ASSERT_TRUE(forecasts.ok()) << forecasts.status();

  // MAPE over every held-out point of every series (no actual is near 0).
  double model_ape = 0;
  double naive_ape = 0;
  int points = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const int end = kDays - kHeldOut;
    ASSERT_EQ((*forecasts)[i].size(), static_cast<size_t>(kHeldOut));
    for (int h = 0; h < kHeldOut; ++h) {
      const double actual = values[i][end + h];
      const double seasonal_naive = values[i][end - 7 + h % 7];
      model_ape += std::abs(actual - (*forecasts)[i][h]) / actual;
      naive_ape += std::abs(actual - seasonal_naive) / actual;
      ++points;
    }
  }
  const double model_mape = 100 * model_ape / points;
  const double naive_mape = 100 * naive_ape / points;
  // The best forecast (the weekly profile, AR noise decayed) has about 1/√2
  // of seasonal-naive's error beyond a few days; ask for a clear win.
  EXPECT_LT(model_mape, 0.9 * naive_mape) << "model " << model_mape << " %, naive " << naive_mape;
}

TEST(BoostedFleetModelTest, TrendKeepsGrowingBeyondTrainingLevels) {
  // Trained on lines between 5 and 40 with slopes 0.01–0.08 a day ...
  constexpr int kDays = 500;
  std::vector<std::vector<double>> values;
  for (int i = 0; i < 60; ++i) {
    values.push_back(Line(200 + i, kDays, 5 + 0.5 * (i % 20), 0.01 + 0.07 * (i % 15) / 14.0));
  }
  auto model = BoostedFleetModel::Train(AsSeries(values, kDays), TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();

  // ... it forecasts a line at a level it never saw (around 150) growing at
  // 0.05 a day: the forecast keeps rising at roughly that slope.
  const std::vector<double> line = Line(999, kDays, 125, 0.05);
  const BoostedSeries series[] = {{.values = line, .first_day = kFirstDay, .group = 1}};
  constexpr int kHorizon = 90;
  auto forecast = model->Forecast(series, kHorizon);
  ASSERT_TRUE(forecast.ok()) << forecast.status();
  const std::vector<double>& f = (*forecast)[0];
  // Least-squares slope of the forecast.
  double mean_t = (kHorizon - 1) / 2.0;
  double mean_f = 0;
  for (double v : f) mean_f += v / kHorizon;
  double sxy = 0;
  double sxx = 0;
  for (int h = 0; h < kHorizon; ++h) {
    sxy += (h - mean_t) * (f[h] - mean_f);
    sxx += (h - mean_t) * (h - mean_t);
  }
  const double slope = sxy / sxx;
  EXPECT_GT(slope, 0.03);
  EXPECT_LT(slope, 0.07);
  // Starts where the line is heading (its next value is about 150).
  const double next = 125 + 0.05 * kDays;
  EXPECT_NEAR(f[0], next, 1.5);
  EXPECT_GT(f.back(), f.front() + 0.03 * kHorizon);
}

TEST(BoostedFleetModelTest, SerializeLoadGivesIdenticalForecasts) {
  std::vector<std::vector<double>> values;
  for (uint64_t i = 0; i < 20; ++i) values.push_back(WeeklyArSeries(300 + i, 450));
  const std::vector<BoostedSeries> series = AsSeries(values, 450);
  auto model = BoostedFleetModel::Train(series, TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto before = model->Forecast(series, 40);
  ASSERT_TRUE(before.ok()) << before.status();

  const std::string bytes = model->Serialize();
  ASSERT_FALSE(bytes.empty());
  auto loaded = BoostedFleetModel::Load(bytes);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  auto after = loaded->Forecast(series, 40);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(*before, *after);
  EXPECT_EQ(loaded->description(), model->description());
  EXPECT_EQ(loaded->training_rows(), model->training_rows());
  EXPECT_EQ(loaded->Serialize(), bytes);
}

TEST(BoostedFleetModelTest, OneModelPerGroupOrOneForAll) {
  std::vector<std::vector<double>> values;
  for (uint64_t i = 0; i < 12; ++i) values.push_back(WeeklyArSeries(400 + i, 420));
  const std::vector<BoostedSeries> series = AsSeries(values, 420);  // groups 0..3
  BoostedOptions options = TestOptions();
  auto per_group = BoostedFleetModel::Train(series, options);
  ASSERT_TRUE(per_group.ok()) << per_group.status();
  EXPECT_EQ(per_group->groups(), (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(per_group->training_rows(), 12 * (420 - 392));
  EXPECT_THAT(per_group->description(), HasSubstr("per group (groups 0, 1, 2, 3)"));

  // A group without a model is refused, naming it.
  std::vector<BoostedSeries> unknown = series;
  unknown[5].group = 9;
  auto refused = per_group->Forecast(unknown, 5);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("series 5: group 9 has no model"));

  options.per_group_models = false;
  auto global = BoostedFleetModel::Train(series, options);
  ASSERT_TRUE(global.ok()) << global.status();
  EXPECT_TRUE(global->groups().empty());
  EXPECT_THAT(global->description(), HasSubstr("of all groups"));
  auto forecasts = global->Forecast(unknown, 5);  // any group goes
  ASSERT_TRUE(forecasts.ok()) << forecasts.status();
  auto loaded = BoostedFleetModel::Load(global->Serialize());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(*loaded->Forecast(unknown, 5), *forecasts);
  EXPECT_FALSE(loaded->options().per_group_models);
}

TEST(BoostedFleetModelTest, LoadRejectsGarbage) {
  std::vector<std::vector<double>> values = {WeeklyArSeries(1, 420)};
  auto model = BoostedFleetModel::Train(AsSeries(values, 420), TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  const std::string bytes = model->Serialize();

  auto expect_rejected = [](std::string_view garbage, std::string_view why) {
    auto loaded = BoostedFleetModel::Load(garbage);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(loaded.status().message(), HasSubstr(why));
  };
  expect_rejected("", "magic");
  expect_rejected("definitely not a model", "magic");
  expect_rejected(std::string_view(bytes).substr(0, bytes.size() - 1), "checksum");
  expect_rejected(std::string_view(bytes).substr(0, 8), "truncated");
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x5A;
  expect_rejected(flipped, "checksum");
  std::string appended = bytes + "x";
  expect_rejected(appended, "checksum");
}

TEST(BoostedFleetModelTest, DeterministicForASeedAndFinite) {
  std::vector<std::vector<double>> values;
  for (uint64_t i = 0; i < 30; ++i) values.push_back(WeeklyArSeries(500 + i, 430));
  const std::vector<BoostedSeries> series = AsSeries(values, 430);
  BoostedOptions options = TestOptions();
  options.max_training_rows = 500;  // subsampled: the seed matters
  auto first = BoostedFleetModel::Train(series, options);
  auto second = BoostedFleetModel::Train(series, options);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->training_rows(), 500);
  auto a = first->Forecast(series, 180);
  auto b = second->Forecast(series, 180);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(*a, *b);
  for (const std::vector<double>& f : *a) {
    ASSERT_EQ(f.size(), 180u);
    for (double v : f) EXPECT_TRUE(std::isfinite(v));
  }
}

TEST(BoostedFleetModelTest, ConcurrentForecastsAgree) {
  std::vector<std::vector<double>> values;
  for (uint64_t i = 0; i < 10; ++i) values.push_back(WeeklyArSeries(700 + i, 420));
  const std::vector<BoostedSeries> series = AsSeries(values, 420);
  auto model = BoostedFleetModel::Train(series, TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto expected = model->Forecast(series, 30);
  ASSERT_TRUE(expected.ok());
  std::vector<std::vector<std::vector<double>>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] {
      auto forecast = model->Forecast(series, 30);
      if (forecast.ok()) result = *forecast;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, *expected);
}

TEST(BoostedFleetModelTest, ConstantSeriesForecastsTheConstant) {
  const std::vector<double> flat(400, 42.0);
  std::vector<BoostedSeries> series(5, {.values = flat, .first_day = kFirstDay, .group = 0});
  auto model = BoostedFleetModel::Train(series, TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto forecast = model->Forecast(std::span(series).first(1), 10);
  ASSERT_TRUE(forecast.ok()) << forecast.status();
  for (double v : (*forecast)[0]) EXPECT_NEAR(v, 42.0, 1e-3);
}

TEST(BoostedFleetModelTest, MinimumHistory) {
  BoostedOptions options;
  EXPECT_EQ(MinimumHistory(options), 392);
  options.yearly_features = false;
  EXPECT_EQ(MinimumHistory(options), 98);

  // A series of exactly MinimumHistory + 1 values gives one training row,
  // and one of MinimumHistory values can be forecast.
  options.threads = 2;
  const std::vector<double> values = WeeklyArSeries(9, 99);
  const BoostedSeries series[] = {{.values = values, .first_day = kFirstDay, .group = 0}};
  auto model = BoostedFleetModel::Train(series, options);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ(model->training_rows(), 1);
  const BoostedSeries shortest[] = {
      {.values = std::span(values).first(98), .first_day = kFirstDay, .group = 0}};
  EXPECT_TRUE(model->Forecast(shortest, 3).ok());
}

TEST(BoostedFleetModelTest, DescriptionNamesSettingsAndFeatures) {
  std::vector<std::vector<double>> values = {WeeklyArSeries(2, 400)};
  auto model = BoostedFleetModel::Train(AsSeries(values, 400), TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_THAT(model->description(), HasSubstr("100 trees depth 4 eta 0.1"));
  EXPECT_THAT(model->description(), HasSubstr("lag_7"));
  EXPECT_THAT(model->description(), HasSubstr("yoy_slope_28"));
  EXPECT_THAT(model->description(), HasSubstr("group"));
}

TEST(BoostedFleetModelTest, RejectsBadInputsNamingThem) {
  std::vector<double> good = WeeklyArSeries(3, 400);
  std::vector<double> bad = good;
  bad[10] = std::numeric_limits<double>::quiet_NaN();
  const BoostedSeries with_nan[] = {{.values = good, .first_day = kFirstDay, .group = 0},
                                    {.values = good, .first_day = kFirstDay, .group = 0},
                                    {.values = bad, .first_day = kFirstDay, .group = 0}};
  auto nan_model = BoostedFleetModel::Train(with_nan, TestOptions());
  EXPECT_EQ(nan_model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(nan_model.status().message(), HasSubstr("series 2: value 10 is not finite"));

  auto empty = BoostedFleetModel::Train({}, TestOptions());
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(empty.status().message(), HasSubstr("no series"));

  const std::vector<double> short_values(100, 1.0);
  const BoostedSeries too_short[] = {{.values = short_values, .first_day = 0, .group = 0}};
  auto short_model = BoostedFleetModel::Train(too_short, TestOptions());
  EXPECT_EQ(short_model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(short_model.status()), "INSUFFICIENT_HISTORY");
  EXPECT_THAT(short_model.status().message(), HasSubstr("393 values"));

  const BoostedSeries negative_group[] = {{.values = good, .first_day = 0, .group = -1}};
  EXPECT_THAT(BoostedFleetModel::Train(negative_group, TestOptions()).status().message(),
              HasSubstr("group must be >= 0"));

  BoostedOptions options = TestOptions();
  options.trees = 0;
  EXPECT_THAT(BoostedFleetModel::Train(with_nan, options).status().message(),
              HasSubstr("trees must be in [1, 10000], got 0"));
  options = TestOptions();
  options.learning_rate = 0;
  EXPECT_THAT(BoostedFleetModel::Train(with_nan, options).status().message(),
              HasSubstr("learning_rate"));
  options = TestOptions();
  options.max_training_rows = 0;
  EXPECT_THAT(BoostedFleetModel::Train(with_nan, options).status().message(),
              HasSubstr("max_training_rows"));

  const BoostedSeries one[] = {{.values = good, .first_day = kFirstDay, .group = 0}};
  auto model = BoostedFleetModel::Train(one, TestOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  auto zero_horizon = model->Forecast(one, 0);
  EXPECT_EQ(zero_horizon.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(zero_horizon.status().message(),
              HasSubstr("horizon must be in [1, 3660] days, got 0"));
  EXPECT_THAT(model->Forecast({}, 5).status().message(), HasSubstr("no series"));
  EXPECT_THAT(model->Forecast(std::span(with_nan).subspan(2), 5).status().message(),
              HasSubstr("series 0: value 10 is not finite"));
  const BoostedSeries mixed[] = {one[0], too_short[0]};
  auto short_forecast = model->Forecast(mixed, 5);
  EXPECT_EQ(short_forecast.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(short_forecast.status()), "INSUFFICIENT_HISTORY");
  EXPECT_THAT(short_forecast.status().message(),
              HasSubstr("series 1 has 100 values; the model needs at least 392"));
}

TEST(BoostedTrainingTest, SplitRowCapByLargestRemainder) {
  using internal::SplitRowCap;
  const std::vector<int64_t> eligible = {100, 200, 700};
  EXPECT_EQ(SplitRowCap(2000, eligible), eligible);  // all fit
  EXPECT_EQ(SplitRowCap(100, eligible), (std::vector<int64_t>{10, 20, 70}));
  // Quotas 3.33, 6.67, 23.33 → floors 3, 6, 23 and the last row to 6.67.
  EXPECT_EQ(SplitRowCap(33, std::vector<int64_t>{100, 200, 700}), (std::vector<int64_t>{3, 7, 23}));
  // At least one row per group, even below the cap.
  EXPECT_EQ(SplitRowCap(1, std::vector<int64_t>{1, 1000}), (std::vector<int64_t>{1, 1}));
}

TEST(BoostedFeaturesTest, KnownValues) {
  // 1970-01-01 was a Thursday; 2022-01-08 a Saturday.
  EXPECT_EQ(internal::DayOfWeek(0), 3);
  EXPECT_EQ(internal::DayOfWeek(kFirstDay), 5);
  EXPECT_EQ(internal::DayOfWeek(-1), 2);
  // The scale of a line is its slope; of a constant, the floor.
  std::vector<double> line;
  for (int t = 0; t < 500; ++t) line.push_back(10 + 0.25 * t);
  EXPECT_DOUBLE_EQ(internal::BoostedSeriesScale(line), 0.25);
  EXPECT_DOUBLE_EQ(internal::BoostedSeriesScale(std::vector<double>(10, 50.0)), 50e-6);
}

TEST(BoostedFeaturesTest, InvariantToLevelAndScale) {
  const internal::BoostedFeatureSpec spec;
  const std::vector<double> base = WeeklyArSeries(4, 400);
  std::vector<double> moved;
  for (double v : base) moved.push_back(1000 + 3 * v);
  const int columns = spec.num_features();
  std::vector<float> a(columns);
  std::vector<float> b(columns);
  const double anchor_a = internal::BoostedFeatureRow(spec, base, 2.0, kFirstDay, 1, a);
  const double anchor_b = internal::BoostedFeatureRow(spec, moved, 6.0, kFirstDay, 1, b);
  EXPECT_NEAR(anchor_b, 1000 + 3 * anchor_a, 1e-9);
  for (int c = 0; c < columns; ++c) EXPECT_NEAR(a[c], b[c], 1e-4) << spec.names()[c];
  EXPECT_EQ(spec.names().size(), static_cast<size_t>(columns));
  // lag_1 is y_{t-1} relative to the mean of the last 7, over the scale.
  double week = 0;
  for (int k = 1; k <= 7; ++k) week += base[base.size() - k] / 7;
  EXPECT_NEAR(a[0], (base.back() - week) / 2.0, 1e-5);
}

}  // namespace
}  // namespace horizonscale::forecast

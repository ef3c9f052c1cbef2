// The seasonal decomposition model (ModelKind::kSeasonal) through FitModel.
#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/model.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

absl::StatusOr<std::unique_ptr<FittedModel>> FitSeasonal(const std::vector<double>& values,
                                                         int period) {
  ModelOptions options;
  options.seasonal_period = period;
  return FitModel(ModelKind::kSeasonal, values, options);
}

double Parameter(const FittedModel& model, const std::string& name) {
  for (const auto& [key, value] : model.parameters()) {
    if (key == name) return value;
  }
  ADD_FAILURE() << "no parameter " << name;
  return NAN;
}

bool HasParameter(const FittedModel& model, const std::string& name) {
  for (const auto& [key, value] : model.parameters()) {
    if (key == name) return true;
  }
  return false;
}

// level + slope·t + seasonal[t mod m] for t = first..first + n − 1.
std::vector<double> TrendPlusSeason(double level, double slope, const std::vector<double>& seasonal,
                                    int n, int first = 0) {
  std::vector<double> values;
  const auto m = static_cast<int>(seasonal.size());
  for (int t = first; t < first + n; ++t) {
    values.push_back(level + slope * t + seasonal[static_cast<size_t>(t % m)]);
  }
  return values;
}

TEST(SeasonalModel, RecoversANoiseFreeTrendAndSeasonAndForecastsThemExactly) {
  // Even and odd periods; series lengths that are and are not whole seasons.
  struct Case {
    std::vector<double> seasonal;  // sums to zero
    int n;
  };
  const std::vector<Case> cases = {
      {{3, -1, -4, 2}, 40}, {{3, -1, -4, 2}, 43}, {{2, -3, 1, 4, -4}, 37}, {{5, -5}, 9}};
  for (const Case& c : cases) {
    const auto m = static_cast<int>(c.seasonal.size());
    SCOPED_TRACE(testing::Message() << "period " << m << ", n " << c.n);
    const std::vector<double> values = TrendPlusSeason(10, 0.5, c.seasonal, c.n);
    absl::StatusOr<std::unique_ptr<FittedModel>> model = FitSeasonal(values, m);
    ASSERT_TRUE(model.ok()) << model.status();
    EXPECT_EQ((*model)->kind(), ModelKind::kSeasonal);
    EXPECT_FALSE((*model)->analytic_interval());
    EXPECT_EQ(Parameter(**model, "period"), m);
    EXPECT_NEAR(Parameter(**model, "trend_slope"), 0.5, 1e-9);
    for (int p = 0; p < m; ++p) {
      EXPECT_NEAR(Parameter(**model, "season_" + std::to_string(p)),
                  c.seasonal[static_cast<size_t>(p)], 1e-9)
          << "position " << p;
    }
    const std::vector<double> future = TrendPlusSeason(10, 0.5, c.seasonal, 3 * m, c.n);
    const std::vector<ForecastValue> forecast = (*model)->Predict(3 * m, 0.9);
    ASSERT_EQ(forecast.size(), future.size());
    for (size_t h = 0; h < future.size(); ++h) {
      EXPECT_NEAR(forecast[h].value, future[h], 1e-6) << "step " << h + 1;
      EXPECT_EQ(forecast[h].lower, forecast[h].value);
      EXPECT_EQ(forecast[h].upper, forecast[h].value);
    }
  }
}

TEST(SeasonalModel, SeasonalIndicesAreNormalisedToSumToZero) {
  // The pattern's mean (2) belongs to the level, not to the indices.
  const std::vector<double> pattern = {5, 1, -2, 4};
  const std::vector<double> values = TrendPlusSeason(100, -0.25, pattern, 48);
  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitSeasonal(values, 4);
  ASSERT_TRUE(model.ok()) << model.status();
  for (int p = 0; p < 4; ++p) {
    EXPECT_NEAR(Parameter(**model, "season_" + std::to_string(p)),
                pattern[static_cast<size_t>(p)] - 2, 1e-9);
  }
  EXPECT_NEAR(Parameter(**model, "trend_slope"), -0.25, 1e-9);
  const std::vector<double> future = TrendPlusSeason(100, -0.25, pattern, 6, 48);
  const std::vector<ForecastValue> forecast = (*model)->Predict(6, 0.9);
  for (size_t h = 0; h < future.size(); ++h) EXPECT_NEAR(forecast[h].value, future[h], 1e-6);
}

TEST(SeasonalModel, TrendFollowsTheRecentHalfOfTheSeries) {
  // Flat for 40 steps, then rising by 1 per step for 40: the trend line is
  // fitted on the last 40 (whole seasons of 4), so it follows the recent
  // growth instead of averaging it with the flat past.
  const std::vector<double> seasonal = {3, -1, -4, 2};
  std::vector<double> values;
  for (int t = 0; t < 80; ++t) {
    values.push_back(10 + (t >= 40 ? t - 39 : 0) + seasonal[static_cast<size_t>(t % 4)]);
  }
  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitSeasonal(values, 4);
  ASSERT_TRUE(model.ok()) << model.status();
  // The moving average blurs the kink, leaving small errors in the indices.
  EXPECT_NEAR(Parameter(**model, "trend_slope"), 1, 0.02);
}

TEST(SeasonalModel, ExtendMatchesExtendingInOneGo) {
  std::mt19937_64 random(5);
  std::normal_distribution<double> noise(0, 2);
  std::vector<double> values;
  for (int t = 0; t < 24 * 12; ++t) {
    values.push_back(100 + 0.1 * t + 20 * std::sin(2 * std::numbers::pi * t / 24) + noise(random));
  }
  const std::vector<double> first(values.begin(), values.begin() + 24 * 8);
  const std::vector<double> b(values.begin() + 24 * 8, values.begin() + 24 * 8 + 7);
  const std::vector<double> c(values.begin() + 24 * 8 + 7, values.end());
  std::vector<double> bc = b;
  bc.insert(bc.end(), c.begin(), c.end());

  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitSeasonal(first, 24);
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<ForecastValue> two_steps = (*model)->Extend(b)->Extend(c)->Predict(30, 0.9);
  const std::vector<ForecastValue> one_go = (*model)->Extend(bc)->Predict(30, 0.9);
  std::unique_ptr<FittedModel> stepwise = (*model)->Extend({});
  for (double y : bc) stepwise = stepwise->Extend(std::span<const double>(&y, 1));
  const std::vector<ForecastValue> one_at_a_time = stepwise->Predict(30, 0.9);
  ASSERT_EQ(two_steps.size(), 30u);
  for (size_t h = 0; h < 30; ++h) {
    EXPECT_DOUBLE_EQ(two_steps[h].value, one_go[h].value) << h;
    EXPECT_DOUBLE_EQ(one_at_a_time[h].value, one_go[h].value) << h;
  }
}

TEST(SeasonalModel, ExtendOnANoiseFreeSeriesKeepsForecastingExactly) {
  const std::vector<double> seasonal = {2, -3, 1, 4, -4};
  const std::vector<double> first = TrendPlusSeason(7, 1.25, seasonal, 23);
  const std::vector<double> more = TrendPlusSeason(7, 1.25, seasonal, 13, 23);
  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitSeasonal(first, 5);
  ASSERT_TRUE(model.ok()) << model.status();
  std::unique_ptr<FittedModel> extended = (*model)->Extend(more);
  const std::vector<double> future = TrendPlusSeason(7, 1.25, seasonal, 11, 36);
  const std::vector<ForecastValue> forecast = extended->Predict(11, 0.9);
  for (size_t h = 0; h < future.size(); ++h) EXPECT_NEAR(forecast[h].value, future[h], 1e-6);
}

TEST(SeasonalModel, ReportsSeasonalIndicesOnlyForShortPeriods) {
  std::vector<double> values;
  for (int t = 0; t < 100; ++t) values.push_back(t % 24 + t % 25);
  absl::StatusOr<std::unique_ptr<FittedModel>> daily = FitSeasonal(values, 24);
  ASSERT_TRUE(daily.ok()) << daily.status();
  EXPECT_TRUE(HasParameter(**daily, "season_23"));
  EXPECT_FALSE(HasParameter(**daily, "season_24"));
  EXPECT_EQ((*daily)->parameters().size(), 2u + 24);
  absl::StatusOr<std::unique_ptr<FittedModel>> longer = FitSeasonal(values, 25);
  ASSERT_TRUE(longer.ok()) << longer.status();
  EXPECT_FALSE(HasParameter(**longer, "season_0"));
  EXPECT_EQ((*longer)->parameters().size(), 2u);
}

TEST(SeasonalModel, RejectsAMissingPeriod) {
  const std::vector<double> values = TrendPlusSeason(1, 1, {1, -1}, 50);
  for (int period : {0, 1}) {
    const absl::Status status = FitSeasonal(values, period).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << period;
    EXPECT_NE(std::string(status.message()).find("period"), std::string::npos) << status;
  }
}

TEST(SeasonalModel, NeedsTwoFullSeasons) {
  ModelOptions options;
  options.seasonal_period = 24;
  EXPECT_EQ(MinimumLength(ModelKind::kSeasonal, options), 48);
  const std::vector<double> values(47, 1.0);
  const absl::Status status = FitSeasonal(values, 24).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "INSUFFICIENT_HISTORY");
  EXPECT_NE(std::string(status.message()).find("at least 48"), std::string::npos) << status;
  EXPECT_TRUE(FitSeasonal(std::vector<double>(48, 1.0), 24).ok());
}

}  // namespace
}  // namespace horizonscale::forecast

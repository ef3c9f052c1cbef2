// The boosted contestant's forecasts for the tournament
// (forecast/fleet/fleet_boosting.h): their shapes, with and without a long
// backtest.
#include "forecast/fleet/fleet_boosting.h"

#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace horizonscale::forecast {
namespace {

// `count` weekly-cycle series of `days` days.
std::vector<DailySeries> Fleet(int count, int days) {
  std::mt19937_64 random(3);
  std::normal_distribution<double> noise(0, 1);
  std::vector<DailySeries> fleet(count);
  for (int i = 0; i < count; ++i) {
    fleet[i].first_day = 19000;
    for (int t = 0; t < days; ++t) {
      fleet[i].values.push_back(30 + i + 8 * std::sin(2 * M_PI * t / 7) + noise(random));
    }
  }
  return fleet;
}

TEST(FleetBoosting, GivesALongBacktestWhenTheTournamentHasOne) {
  const std::vector<DailySeries> fleet = Fleet(12, 800);
  std::vector<BoostingInput> inputs;
  for (const DailySeries& series : fleet) inputs.push_back({&series, 0});
  BoostedOptions boosted;
  boosted.trees = 20;
  boosted.threads = 1;
  TournamentOptions tournament;
  absl::StatusOr<std::vector<std::optional<ExternalForecasts>>> without =
      ComputeBoostedForecasts(inputs, tournament, boosted);
  ASSERT_TRUE(without.ok()) << without.status();
  ASSERT_TRUE((*without)[0].has_value());
  EXPECT_TRUE((*without)[0]->long_backtest.empty());

  tournament.long_backtest_days = 90;
  absl::StatusOr<std::vector<std::optional<ExternalForecasts>>> with =
      ComputeBoostedForecasts(inputs, tournament, boosted);
  ASSERT_TRUE(with.ok()) << with.status();
  for (const std::optional<ExternalForecasts>& forecasts : *with) {
    ASSERT_TRUE(forecasts.has_value());
    EXPECT_EQ(forecasts->backtest.size(), 30u);
    EXPECT_EQ(forecasts->future.size(), 180u);
    ASSERT_EQ(forecasts->long_backtest.size(), 90u);
    for (const ForecastValue& f : forecasts->long_backtest) {
      // Empirical offsets: the interval need not contain a biased point.
      EXPECT_TRUE(std::isfinite(f.value));
      EXPECT_LT(f.lower, f.upper);
    }
  }
  // The forecasts track the series: within 15 % on the long backtest.
  const std::vector<ForecastValue>& first = (*with)[0]->long_backtest;
  double error = 0;
  for (int h = 0; h < 90; ++h) error += std::fabs(first[h].value - fleet[0].values[710 + h]);
  EXPECT_LT(error / 90, 0.15 * 30);
}

}  // namespace
}  // namespace horizonscale::forecast

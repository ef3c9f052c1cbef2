// Interval calibration: the multipliers applied to a model's intervals and
// their learning by replaying the tournament one horizon earlier.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/fleet/interval_calibration.h"
#include "forecast/fleet/tournament.h"
#include "forecast/fleet/tournament_calibration.h"

namespace horizonscale::forecast {
namespace {

constexpr int64_t kFirstDay = 19000;
constexpr int kHorizon = 120;

TEST(IntervalCalibration, ScalesHalfWidthsAroundThePointPerStep) {
  IntervalCalibration calibration;
  calibration.width_scales[ModelKind::kEwma] = {2.0, 0.5};
  std::vector<ForecastValue> forecasts = {{10, 8, 11}, {10, 6, 14}, {20, 10, 30}};
  calibration.Apply(ModelKind::kEwma, forecasts);
  EXPECT_DOUBLE_EQ(forecasts[0].lower, 6);   // 10 − 2·2
  EXPECT_DOUBLE_EQ(forecasts[0].upper, 12);  // 10 + 2·1
  EXPECT_DOUBLE_EQ(forecasts[1].lower, 8);
  EXPECT_DOUBLE_EQ(forecasts[1].upper, 12);
  // Beyond the table: its last multiplier.
  EXPECT_DOUBLE_EQ(forecasts[2].lower, 15);
  EXPECT_DOUBLE_EQ(forecasts[2].upper, 25);
  EXPECT_DOUBLE_EQ(forecasts[2].value, 20);

  std::vector<ForecastValue> other = {{10, 8, 11}};
  calibration.Apply(ModelKind::kHolt, other);  // not calibrated: untouched
  EXPECT_DOUBLE_EQ(other[0].lower, 8);
  EXPECT_DOUBLE_EQ(other[0].upper, 11);
}

// `count` series of `days` days: a level plus independent N(0, sd²) noise.
std::vector<DailySeries> NoisyLevels(int count, int days, uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> level(20, 60), sd(1, 4);
  std::vector<DailySeries> fleet(count);
  for (DailySeries& series : fleet) {
    series.first_day = kFirstDay;
    const double mean = level(rng), scale = sd(rng);
    for (int d = 0; d < days; ++d) series.values.push_back(mean + scale * noise(rng));
  }
  return fleet;
}

std::vector<BoostingInput> Inputs(const std::vector<DailySeries>& fleet) {
  std::vector<BoostingInput> inputs;
  for (const DailySeries& series : fleet) inputs.push_back({&series, 0});
  return inputs;
}

TournamentOptions SeasonalNaiveOnly() {
  TournamentOptions options;
  options.models = {ModelKind::kSeasonalNaive};
  options.horizon_days = kHorizon;
  return options;
}

// Seasonal-naive's intervals widen with sqrt(k + 1), k the whole weeks
// ahead, as for a seasonal random walk; on a level plus independent noise
// its error is the difference of two noise values at every step, so the
// right multiplier is 1/sqrt(k + 1).
TEST(CalibrateIntervals, RecoversTheMultipliersOfAKnownMisspecification) {
  const std::vector<DailySeries> fleet = NoisyLevels(500, 400, 7);
  const std::vector<BoostingInput> inputs = Inputs(fleet);
  CalibrationOptions calibration;
  calibration.max_series = 500;
  calibration.threads = 2;
  absl::StatusOr<IntervalCalibration> learnt =
      CalibrateIntervals(inputs, SeasonalNaiveOnly(), calibration);
  ASSERT_TRUE(learnt.ok()) << learnt.status();
  EXPECT_EQ(learnt->sample_series, 500);
  ASSERT_EQ(learnt->width_scales.count(ModelKind::kSeasonalNaive), 1);
  const std::vector<double>& scales = learnt->width_scales.at(ModelKind::kSeasonalNaive);
  ASSERT_EQ(scales.size(), static_cast<size_t>(kHorizon));
  EXPECT_NEAR(scales[3], 1.0, 0.08);     // step 4: k = 0
  EXPECT_NEAR(scales[24], 0.5, 0.05);    // step 25: k = 3
  EXPECT_NEAR(scales[108], 0.25, 0.03);  // step 109: k = 15
}

// The point of it: on fresh series, the calibrated golden forecasts cover
// the nominal share of what happens next, where the model's own intervals
// covered far more.
TEST(CalibrateIntervals, CalibratedGoldenForecastsCoverTheNominalShare) {
  const std::vector<DailySeries> fleet = NoisyLevels(400, 400, 11);
  const std::vector<BoostingInput> inputs = Inputs(fleet);
  TournamentOptions options = SeasonalNaiveOnly();
  CalibrationOptions calibration;
  calibration.threads = 2;
  absl::StatusOr<IntervalCalibration> learnt = CalibrateIntervals(inputs, options, calibration);
  ASSERT_TRUE(learnt.ok()) << learnt.status();

  // Fresh series, history of 400 days and the next kHorizon days held out.
  const std::vector<DailySeries> fresh = NoisyLevels(300, 400 + kHorizon, 12);
  auto coverage = [&](const TournamentOptions& with) {
    int covered = 0, points = 0;
    for (const DailySeries& series : fresh) {
      DailySeries history = series;
      history.values.resize(400);
      absl::StatusOr<SeriesTournament> result = RunSeriesTournament(history, with, {});
      EXPECT_TRUE(result.ok()) << result.status();
      if (!result.ok()) continue;
      const std::vector<ForecastValue>& golden = result->champion().future;
      for (int h = 0; h < kHorizon; ++h) {
        const double actual = series.values[400 + h];
        covered += golden[h].lower <= actual && actual <= golden[h].upper;
        ++points;
      }
    }
    return static_cast<double>(covered) / points;
  };
  EXPECT_GT(coverage(options), 0.93);  // the model's own intervals
  options.calibration = *learnt;
  EXPECT_NEAR(coverage(options), 0.80, 0.03);
}

TEST(CalibrateIntervals, SeriesTooShortLeaveTheIntervalsAlone) {
  const std::vector<DailySeries> fleet = NoisyLevels(50, 2 * kHorizon - 1, 3);
  absl::StatusOr<IntervalCalibration> learnt =
      CalibrateIntervals(Inputs(fleet), SeasonalNaiveOnly(), {});
  ASSERT_TRUE(learnt.ok()) << learnt.status();
  EXPECT_EQ(learnt->sample_series, 0);
  EXPECT_TRUE(learnt->width_scales.empty());
}

TEST(CalibrateIntervals, RejectsOptionsOutOfRange) {
  const std::vector<DailySeries> fleet = NoisyLevels(5, 300, 3);
  CalibrationOptions calibration;
  calibration.max_series = 0;
  EXPECT_EQ(CalibrateIntervals(Inputs(fleet), SeasonalNaiveOnly(), calibration).status().code(),
            absl::StatusCode::kInvalidArgument);
  calibration = {};
  calibration.threads = 0;
  EXPECT_EQ(CalibrateIntervals(Inputs(fleet), SeasonalNaiveOnly(), calibration).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace horizonscale::forecast

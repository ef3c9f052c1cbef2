#include "forecast/time_series.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace horizonscale::forecast {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1'700'000'000);

// An observation `seconds` after kStart.
Observation At(int64_t seconds, double value) { return {kStart + absl::Seconds(seconds), value}; }

TEST(PrepareSeries, SortsAveragesDuplicatesAndFillsAGap) {
  // Unsorted; two observations at +60 s; nothing at +180 s and +240 s.
  std::vector<Observation> observations = {At(120, 30), At(0, 10), At(60, 20), At(60, 24),
                                           At(300, 60)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(observations, std::nullopt);
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->start, kStart);
  // Gaps between distinct times: 60, 60, 180 s → step 60 s.
  EXPECT_EQ(series->step, absl::Seconds(60));
  // (20 + 24) / 2 = 22; the gap between 30 at slot 2 and 60 at slot 5 is
  // filled with 30 + 30·1/3 = 40 and 30 + 30·2/3 = 50.
  const std::vector<double> expected = {10, 22, 30, 40, 50, 60};
  ASSERT_EQ(series->values.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(series->values[i], expected[i], 1e-12) << "slot " << i;
  }
  EXPECT_EQ(series->duplicates_merged, 1);
  EXPECT_EQ(series->gaps_filled, 2);
}

TEST(PrepareSeries, ThreeObservationsInOneSlotCountTwoMerges) {
  std::vector<Observation> observations = {At(0, 1), At(0, 2), At(0, 6), At(10, 4)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(observations, std::nullopt);
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->step, absl::Seconds(10));
  ASSERT_EQ(series->values.size(), 2u);
  EXPECT_DOUBLE_EQ(series->values[0], 3);
  EXPECT_DOUBLE_EQ(series->values[1], 4);
  EXPECT_EQ(series->duplicates_merged, 2);
  EXPECT_EQ(series->gaps_filled, 0);
}

TEST(PrepareSeries, InfersTheMostCommonGap) {
  // Gaps 60, 60, 120, 60, 60 s: the 120 s gap is a missing sample.
  std::vector<Observation> observations = {At(0, 1),   At(60, 2),  At(120, 3),
                                           At(240, 5), At(300, 6), At(360, 7)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(observations, std::nullopt);
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->step, absl::Seconds(60));
  const std::vector<double> expected = {1, 2, 3, 4, 5, 6, 7};
  EXPECT_EQ(series->values, expected);
  EXPECT_EQ(series->gaps_filled, 1);
}

TEST(PrepareSeries, TiedGapCountsGoToTheSmallerGap) {
  // Gaps 30, 30, 60, 60 s.
  std::vector<Observation> observations = {At(0, 0), At(30, 1), At(60, 2), At(120, 4), At(180, 6)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(observations, std::nullopt);
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->step, absl::Seconds(30));
  const std::vector<double> expected = {0, 1, 2, 3, 4, 5, 6};
  EXPECT_EQ(series->values, expected);
  EXPECT_EQ(series->gaps_filled, 2);
}

TEST(PrepareSeries, AZeroStepMeansInfer) {
  std::vector<Observation> observations = {At(0, 1), At(5, 2), At(10, 3)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(observations, absl::ZeroDuration());
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->step, absl::Seconds(5));
  EXPECT_EQ(series->values.size(), 3u);
}

TEST(PrepareSeries, PutsJitteredTimesInTheirNearestSlot) {
  // With a 60 s step: +61 s → slot 1, +119 s → slot 2, +90 s is halfway
  // between slots 1 and 2 and goes to the later one; slot 1 stays empty
  // there and is interpolated.
  std::vector<Observation> jittered = {At(0, 1), At(61, 2), At(119, 3), At(180, 4)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(jittered, absl::Seconds(60));
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->values, (std::vector<double>{1, 2, 3, 4}));

  std::vector<Observation> halfway = {At(0, 1), At(90, 5), At(240, 7)};
  series = PrepareSeries(halfway, absl::Seconds(60));
  ASSERT_TRUE(series.ok()) << series.status();
  // Slots: 0 → 1, 2 → 5, 4 → 7; filled: slot 1 = 3, slot 3 = 6.
  EXPECT_EQ(series->values, (std::vector<double>{1, 3, 5, 6, 7}));
  EXPECT_EQ(series->gaps_filled, 2);
}

TEST(PrepareSeries, SinglePointNeedsAStep) {
  std::vector<Observation> one = {At(0, 42)};
  EXPECT_EQ(PrepareSeries(one, std::nullopt).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<Observation> same_time = {At(0, 1), At(0, 3)};
  EXPECT_EQ(PrepareSeries(same_time, std::nullopt).status().code(),
            absl::StatusCode::kInvalidArgument);

  absl::StatusOr<RegularSeries> series = PrepareSeries(one, absl::Minutes(1));
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->values, std::vector<double>{42});
  series = PrepareSeries(same_time, absl::Minutes(1));
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(series->values, std::vector<double>{2});
  EXPECT_EQ(series->duplicates_merged, 1);
}

TEST(PrepareSeries, RejectsNonFiniteValuesNamingTheInputIndex) {
  std::vector<Observation> with_nan = {At(0, 1), At(60, 2), At(30, NAN)};
  absl::Status status = PrepareSeries(with_nan, std::nullopt).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("index 2"), std::string::npos) << status;

  std::vector<Observation> with_inf = {At(0, 1), At(60, INFINITY), At(30, 2)};
  status = PrepareSeries(with_inf, std::nullopt).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("index 1"), std::string::npos) << status;

  std::vector<Observation> infinite_time = {At(0, 1), {absl::InfiniteFuture(), 2}};
  status = PrepareSeries(infinite_time, std::nullopt).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("index 1"), std::string::npos) << status;
}

TEST(PrepareSeries, RejectsEmptyInputAndBadSteps) {
  EXPECT_EQ(PrepareSeries({}, absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::vector<Observation> two = {At(0, 1), At(60, 2)};
  EXPECT_EQ(PrepareSeries(two, absl::Seconds(-60)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(PrepareSeries(two, absl::InfiniteDuration()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PrepareSeries, EnforcesTheGridLengthLimit) {
  // A one-year span at a one-nanosecond step: about 3e16 slots.
  std::vector<Observation> year = {At(0, 1), At(365 * 86400, 2)};
  absl::Status status = PrepareSeries(year, absl::Nanoseconds(1)).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(status.message()).find("limit"), std::string::npos) << status;

  // Exactly kMaxSeriesLength slots are allowed, one more is not.
  std::vector<Observation> at_limit = {At(0, 0), At(kMaxSeriesLength - 1, 1)};
  absl::StatusOr<RegularSeries> series = PrepareSeries(at_limit, absl::Seconds(1));
  ASSERT_TRUE(series.ok()) << series.status();
  EXPECT_EQ(static_cast<int64_t>(series->values.size()), kMaxSeriesLength);
  EXPECT_EQ(series->gaps_filled, kMaxSeriesLength - 2);
  EXPECT_NEAR(series->values[500'000], 500'000.0 / (kMaxSeriesLength - 1), 1e-12);

  std::vector<Observation> over_limit = {At(0, 0), At(kMaxSeriesLength, 1)};
  EXPECT_EQ(PrepareSeries(over_limit, absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace horizonscale::forecast

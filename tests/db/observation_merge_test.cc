// The merge rule and the bytea encoding of fleet series, without a database.
#include "db/observation_merge.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "db/fleet_series_codec.h"

namespace horizonscale::db {
namespace {

ObservationLog Log(std::initializer_list<std::pair<int32_t, double>> observations) {
  ObservationLog log;
  for (const auto& [day, value] : observations) log.Add(day, value);
  return log;
}

TEST(ObservationMerge, AscendingStreamOverNothingIsKeptAsIs) {
  const MergedSeries merged = MergeObservations({}, {}, Log({{1, 10}, {2, 20}, {5, 50}}));
  EXPECT_EQ(merged.days, std::vector<int32_t>({1, 2, 5}));
  EXPECT_EQ(merged.values, std::vector<double>({10, 20, 50}));
  EXPECT_EQ(merged.replaced, 0);
}

TEST(ObservationMerge, TheLastObservationOfADayWinsInStreamOrder) {
  const MergedSeries merged =
      MergeObservations({}, {}, Log({{3, 1}, {1, 2}, {3, 3}, {2, 4}, {3, 5}, {1, 6}}));
  EXPECT_EQ(merged.days, std::vector<int32_t>({1, 2, 3}));
  EXPECT_EQ(merged.values, std::vector<double>({6, 4, 5}));
  EXPECT_EQ(merged.replaced, 3);
}

TEST(ObservationMerge, TheStreamWinsOverStoredAndGapsStay) {
  const std::vector<int32_t> stored_days = {1, 2, 4, 8};
  const std::vector<double> stored_values = {10, 20, 40, 80};
  const MergedSeries merged =
      MergeObservations(stored_days, stored_values, Log({{4, 44}, {0, 0}, {9, 99}, {4, 45}}));
  EXPECT_EQ(merged.days, std::vector<int32_t>({0, 1, 2, 4, 8, 9}));
  EXPECT_EQ(merged.values, std::vector<double>({0, 10, 20, 45, 80, 99}));
  EXPECT_EQ(merged.replaced, 2);  // the stream's first day 4, and the stored day 4
}

TEST(ObservationLog, GrowsByAboutAQuarter) {
  ObservationLog log;
  for (int i = 0; i < 1095; ++i) log.Add(i, i);
  EXPECT_EQ(log.size(), 1095u);
  EXPECT_LE(log.capacity_bytes(), 1095 * 12 * 5 / 4 + 12 * 8);
  log.Clear();
  EXPECT_EQ(log.capacity_bytes(), 0u);
}

TEST(FleetSeriesCodec, RoundTripsBitExactLittleEndian) {
  const std::vector<int32_t> days = {-1, 0, 19'000, 47'846};
  const std::vector<double> values = {0.1, -0.0, std::nextafter(100.0, 0.0), 1e-310};
  const std::string day_bytes = EncodeDays(days);
  const std::string value_bytes = EncodeUtilization(values);
  ASSERT_EQ(day_bytes.size(), 16u);
  EXPECT_EQ(day_bytes.substr(0, 4), std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(day_bytes.substr(8, 4), std::string("\x38\x4a\x00\x00", 4));
  ASSERT_EQ(value_bytes.size(), 32u);
  EXPECT_EQ(value_bytes.substr(0, 8), std::string("\x9a\x99\x99\x99\x99\x99\xb9\x3f", 8));
  std::vector<int32_t> days_back;
  std::vector<double> values_back;
  ASSERT_TRUE(DecodeSeries(day_bytes, value_bytes, days_back, values_back).ok());
  EXPECT_EQ(days_back, days);
  ASSERT_EQ(values_back.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(std::memcmp(&values_back[i], &values[i], sizeof(double)), 0) << i;
  }
}

TEST(FleetSeriesCodec, RejectsMalformedBytes) {
  std::vector<int32_t> days;
  std::vector<double> values;
  EXPECT_EQ(DecodeSeries(std::string(5, '\0'), std::string(8, '\0'), days, values).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeSeries(std::string(8, '\0'), std::string(8, '\0'), days, values).code(),
            absl::StatusCode::kDataLoss);
  const std::vector<int32_t> repeated = {3, 3};
  EXPECT_EQ(DecodeSeries(EncodeDays(repeated), std::string(16, '\0'), days, values).code(),
            absl::StatusCode::kDataLoss);
  EXPECT_TRUE(DecodeSeries("", "", days, values).ok());
  EXPECT_TRUE(days.empty());
}

}  // namespace
}  // namespace horizonscale::db

// The CSV rendering of generated hosts: known formats, and rows that parse
// back to exactly the generated numbers.
#include "clients/fleet_generator/csv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/clients/csv_reader.h"

namespace horizonscale::fleetgen {
namespace {

using testing::ReadCsv;

std::string Percent(double value) {
  std::string text;
  AppendPercent(value, text);
  return text;
}

TEST(Csv, FormatsDates) {
  EXPECT_EQ(FormatDate(0), "1970-01-01");
  EXPECT_EQ(FormatDate(-1), "1969-12-31");
  EXPECT_EQ(FormatDate(DayNumber(absl::CivilDay(2024, 2, 29))), "2024-02-29");
  EXPECT_EQ(FormatDate(DayNumber(absl::CivilDay(2026, 11, 26))), "2026-11-26");
  EXPECT_EQ(FormatDate(DayNumber(absl::CivilDay(1000, 1, 1))), "1000-01-01");
}

TEST(Csv, FormatsPercentWithThreeDecimals) {
  EXPECT_EQ(Percent(0), "0.000");
  EXPECT_EQ(Percent(0.001), "0.001");
  EXPECT_EQ(Percent(7.5), "7.500");
  EXPECT_EQ(Percent(12.345), "12.345");
  EXPECT_EQ(Percent(99.999), "99.999");
  EXPECT_EQ(Percent(100), "100.000");
  EXPECT_EQ(Percent(100.4), "100.400");
  EXPECT_EQ(Percent(-2.25), "-2.250");
}

TEST(Csv, HostRowsQuoteOnlyWhenNeeded) {
  HostSpec spec;
  spec.host_id = "host-00001";
  spec.department = "payments";
  spec.app_code = "APP-0042";
  spec.scenario = Scenario::kStepShift;
  std::string text;
  AppendHostRow(spec, text);
  EXPECT_EQ(text, "host-00001,payments,APP-0042,step_shift\n");
  spec.department = "a,b \"c\"";
  text.clear();
  AppendHostRow(spec, text);
  EXPECT_EQ(text, "host-00001,\"a,b \"\"c\"\"\",APP-0042,step_shift\n");
  EXPECT_EQ(ReadCsv(text)[0][1], "a,b \"c\"");
}

TEST(Csv, SampleRowsParseBackToTheGeneratedNumbers) {
  FleetOptions options;
  options.hosts = 20;
  options.days = 400;
  options.dirty = true;
  options.overshoot_fraction = 0.001;
  int64_t rows_expected = 0, duplicates_seen = 0, overshoots_seen = 0;
  for (int i = 0; i < options.hosts; ++i) {
    const GeneratedHost host = *GenerateHost(options, i);
    std::string text;
    AppendSampleRows(host, text);
    // (resource, date) -> values in order of appearance.
    std::map<std::pair<std::string, std::string>, std::vector<double>> parsed;
    for (const std::vector<std::string>& row : ReadCsv(text)) {
      ASSERT_EQ(row.size(), 4u);
      EXPECT_EQ(row[0], host.spec.host_id);
      char* end = nullptr;
      const double value = std::strtod(row[3].c_str(), &end);
      ASSERT_EQ(*end, '\0') << row[3];
      parsed[{row[1], row[2]}].push_back(value);
    }
    for (const GeneratedSeries& series : host.series) {
      for (size_t t = 0; t < series.values.size(); ++t) {
        const auto key = std::make_pair(std::string(ResourceName(series.resource)),
                                        FormatDate(series.first_day + static_cast<int64_t>(t)));
        const double value = series.values[t];
        if (std::isnan(value)) {
          EXPECT_FALSE(parsed.contains(key));
          continue;
        }
        const bool twice = std::binary_search(series.duplicate_offsets.begin(),
                                              series.duplicate_offsets.end(), static_cast<int>(t));
        const std::vector<double>& got = parsed[key];
        ASSERT_EQ(got.size(), twice ? 2u : 1u);
        for (double v : got) EXPECT_EQ(v, value);  // exactly: values have 3 decimals
        rows_expected += static_cast<int64_t>(got.size());
        duplicates_seen += twice ? 1 : 0;
        overshoots_seen += value > 100 ? 1 : 0;
      }
    }
  }
  EXPECT_GT(duplicates_seen, 0);
  EXPECT_GT(overshoots_seen, 0);
  EXPECT_GT(rows_expected, 20 * 4 * 380);
}

TEST(Csv, BreachRowsListTheTrueBreachDays) {
  FleetOptions options;
  options.days = 100;
  HostSpec spec;
  spec.host_id = "h1";
  spec.scenario = Scenario::kCapacityBreach;
  spec.primary_resource = Resource::kDisk;
  spec.parameters.breach_day_after_end = 60;
  const GeneratedHost host = *GenerateHost(options, spec, 9);
  std::string text;
  AppendBreachRows(host, text);
  // 2026-11-26 + 60 days.
  EXPECT_EQ(text, "h1,disk,2027-01-25\n");
}

}  // namespace
}  // namespace horizonscale::fleetgen

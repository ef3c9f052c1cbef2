// The sample and host-entry rules of IngestTelemetry, on plain values.
#include "server/fleet/telemetry_sample.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

TEST(ParseIsoDay, AcceptsCalendarDatesOnly) {
  EXPECT_EQ(ParseIsoDay("1970-01-01"), 0);
  EXPECT_EQ(ParseIsoDay("2000-03-01"), 11017);  // after a leap day of a /400 year
  EXPECT_EQ(ParseIsoDay("2024-02-29"), 19782);
  EXPECT_EQ(ParseIsoDay("2100-12-31"), kLastDay);
  EXPECT_EQ(ParseIsoDay("1969-12-31"), -1);  // parses; CheckSample rejects the range
  for (const char* bad : {"2026-02-30", "2023-02-29", "2100-02-29", "2026-13-01", "2026-00-10",
                          "2026-01-00", "2026-1-01", "2026/01/01", "20260101", "2026-01-01T00",
                          " 2026-01-01", "", "abcd-ef-gh", "2026-01-3a"}) {
    EXPECT_EQ(ParseIsoDay(bad), std::nullopt) << bad;
  }
}

TEST(HostIdProblem, PrintableAsciiWithoutSpaces) {
  EXPECT_EQ(HostIdProblem("web-01.dc1:8080/a_b"), std::nullopt);
  EXPECT_EQ(HostIdProblem(std::string(128, 'x')), std::nullopt);
  EXPECT_EQ(HostIdProblem(""), "empty");
  EXPECT_EQ(HostIdProblem(std::string(129, 'x')), "longer than 128 characters");
  for (const char* bad : {"web 01", "web\t01", "caf\xc3\xa9", "a\x7f"}) {
    EXPECT_EQ(HostIdProblem(bad), "not printable ASCII without spaces") << bad;
  }
}

TEST(HostFieldProblem, BoundedWithoutControlCharacters) {
  EXPECT_EQ(HostFieldProblem(""), std::nullopt);
  EXPECT_EQ(HostFieldProblem("Finance & Risk (EMEA) caf\xc3\xa9"), std::nullopt);
  EXPECT_EQ(HostFieldProblem(std::string(129, 'x')), "must be at most 128 bytes, got 129");
  EXPECT_EQ(HostFieldProblem("a\nb"), "must not contain control characters (NUL included)");
  EXPECT_EQ(HostFieldProblem(std::string("a\0b", 3)),
            "must not contain control characters (NUL included)");
  EXPECT_EQ(HostFieldProblem("caf\xc3"), "must be valid UTF-8");
}

TEST(CheckSample, ReportsTheFirstInvalidFieldAndWhy) {
  const SampleCheck good = CheckSample("h", 1, "2026-01-02", 42.5);
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.day, 20455);
  EXPECT_TRUE(CheckSample("h", 4, "1970-01-01", 0).ok());
  EXPECT_TRUE(CheckSample("h", 2, "2100-12-31", 200).ok());
  EXPECT_TRUE(CheckSample("h", 3, "2026-01-02", 100.4).ok());  // overshoot, clamped later

  struct Case {
    const char* host;
    int resource;
    const char* date;
    double value;
    const char* field;
    const char* reason;
  };
  const double inf = std::numeric_limits<double>::infinity();
  for (const Case& c : std::initializer_list<Case>{
           {"", 1, "2026-01-02", 1, "host_id", "empty"},
           {"h", 0, "2026-01-02", 1, "resource", "unknown resource"},
           {"h", 5, "2026-01-02", 1, "resource", "unknown resource"},
           {"h", -1, "2026-01-02", 1, "resource", "unknown resource"},
           {"h", 1, "2026-02-30", 1, "date", "not a valid YYYY-MM-DD date"},
           {"h", 1, "1969-12-31", 1, "date", "out of range"},
           {"h", 1, "2101-01-01", 1, "date", "out of range"},
           {"h", 1, "2026-01-02", std::nan(""), "p95_utilization_percent", "not finite"},
           {"h", 1, "2026-01-02", inf, "p95_utilization_percent", "not finite"},
           {"h", 1, "2026-01-02", -inf, "p95_utilization_percent", "not finite"},
           {"h", 1, "2026-01-02", -1, "p95_utilization_percent", "out of range"},
           {"h", 1, "2026-01-02", -1e-9, "p95_utilization_percent", "out of range"},
           {"h", 1, "2026-01-02", std::nextafter(200.0, 300.0), "p95_utilization_percent",
            "out of range"},
           {"h", 1, "2026-01-02", 250, "p95_utilization_percent", "out of range"},
           // Several bad fields: the first one in field order is reported.
           {"", 0, "bad", std::nan(""), "host_id", "empty"},
           {"h", 1, "bad", 250, "date", "not a valid YYYY-MM-DD date"},
       }) {
    const SampleCheck check = CheckSample(c.host, c.resource, c.date, c.value);
    EXPECT_EQ(check.field, c.field)
        << c.host << " " << c.resource << " " << c.date << " " << c.value;
    EXPECT_EQ(check.reason, c.reason) << c.date << " " << c.value;
  }
}

}  // namespace
}  // namespace horizonscale::server

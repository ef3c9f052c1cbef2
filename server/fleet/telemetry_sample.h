// The rules a telemetry sample and a host metadata entry of IngestTelemetry
// must meet, on plain values (no proto), so they can be tested on their own
// and stated once. horizonscale/v1/fleet_service.proto documents the same
// rules for clients.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace horizonscale::server {

// Host ids: 1 to 128 characters, each printable ASCII other than space
// ('!' to '~').
inline constexpr size_t kMaxHostIdLength = 128;
// department, app_code and scenario of host metadata: at most 128 bytes, no
// control characters.
inline constexpr size_t kMaxHostFieldLength = 128;
// Accepted utilization, in percent: [0, 200]. Values above 100 are accepted as
// measurement overshoot (the forecasting refinery clamps them to 100).
inline constexpr double kMaxUtilizationPercent = 200.0;
// Accepted days: 1970-01-01 (day 0) to 2100-12-31.
inline constexpr int32_t kFirstDay = 0;
inline constexpr int32_t kLastDay = 47846;  // 2100-12-31

// Why `host_id` is not a valid host id, or nullopt when it is.
std::optional<std::string> HostIdProblem(std::string_view host_id);

// Why a department, app_code or scenario value is invalid, or nullopt.
std::optional<std::string> HostFieldProblem(std::string_view value);

// The day number (days since 1970-01-01) of an ISO 8601 calendar date
// written exactly "YYYY-MM-DD", or nullopt when `date` is not one (wrong
// shape, month not 1-12, day not in the month: "2026-02-30" is invalid).
// Any year 0000-9999 parses; the accepted range is checked by CheckSample.
std::optional<int32_t> ParseIsoDay(std::string_view date);

// The verdict on one sample.
struct SampleCheck {
  // Empty when the sample is valid; otherwise the first invalid field, in
  // the order host_id, resource, date, p95_utilization_percent (the proto's
  // field names), and the reason:
  //   host_id:                  "empty", "longer than 128 characters",
  //                             "not printable ASCII without spaces"
  //   resource:                 "unknown resource" (0 or not 1-4)
  //   date:                     "not a valid YYYY-MM-DD date", "out of range"
  //   p95_utilization_percent:  "not finite", "out of range" (not in [0, 200])
  std::string field;
  std::string reason;
  // When valid: the day number of the date.
  int32_t day = 0;

  bool ok() const { return field.empty(); }
};

// Checks one sample; `resource` is the proto enum's number.
SampleCheck CheckSample(std::string_view host_id, int resource, std::string_view date,
                        double value);

}  // namespace horizonscale::server

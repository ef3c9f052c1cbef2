#include "server/fleet/telemetry_sample.h"

#include <chrono>
#include <cmath>

#include "db/fleet_series.h"
#include "server/common/text_checks.h"

namespace horizonscale::server {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Digits(std::string_view text) {
  int value = 0;
  for (char c : text) value = 10 * value + (c - '0');
  return value;
}

}  // namespace

std::optional<std::string> HostIdProblem(std::string_view host_id) {
  if (host_id.empty()) return "empty";
  if (host_id.size() > kMaxHostIdLength) return "longer than 128 characters";
  for (char c : host_id) {
    if (c < '!' || c > '~') return "not printable ASCII without spaces";
  }
  return std::nullopt;
}

std::optional<std::string> HostFieldProblem(std::string_view value) {
  return TextProblem(value, kMaxHostFieldLength);
}

std::optional<int32_t> ParseIsoDay(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(date[i])) return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(Digits(date.substr(0, 4))),
                                        std::chrono::month(Digits(date.substr(5, 2))),
                                        std::chrono::day(Digits(date.substr(8, 2)))};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<int32_t>(std::chrono::sys_days(ymd).time_since_epoch().count());
}

SampleCheck CheckSample(std::string_view host_id, int resource, std::string_view date,
                        double value) {
  SampleCheck check;
  if (std::optional<std::string> problem = HostIdProblem(host_id)) {
    check.field = "host_id";
    check.reason = *std::move(problem);
    return check;
  }
  if (resource < db::kMinResource || resource > db::kMaxResource) {
    check.field = "resource";
    check.reason = "unknown resource";
    return check;
  }
  const std::optional<int32_t> day = ParseIsoDay(date);
  if (!day.has_value()) {
    check.field = "date";
    check.reason = "not a valid YYYY-MM-DD date";
    return check;
  }
  if (*day < kFirstDay || *day > kLastDay) {
    check.field = "date";
    check.reason = "out of range";
    return check;
  }
  if (!std::isfinite(value)) {
    check.field = "p95_utilization_percent";
    check.reason = "not finite";
    return check;
  }
  if (!(value >= 0 && value <= kMaxUtilizationPercent)) {
    check.field = "p95_utilization_percent";
    check.reason = "out of range";
    return check;
  }
  check.day = *day;
  return check;
}

}  // namespace horizonscale::server

#include "server/common/field_checks.h"

#include <cmath>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "server/common/proto_time.h"

namespace horizonscale::server {

void FieldChecks::Fail(std::string field, std::string description, std::string_view reason) {
  if (violations_.empty()) first_reason_ = std::string(reason);
  if (violations_.size() >= static_cast<size_t>(kMaxListedViolations)) {
    ++unlisted_;
    return;
  }
  violations_.push_back({field_prefix_ + field, std::move(description)});
}

bool FieldChecks::Size(const std::string& field, int size, int max, std::string_view reason) {
  if (size <= max) return true;
  Fail(field, absl::StrCat("has ", size, " entries; at most ", max, " are accepted"), reason);
  return false;
}

bool FieldChecks::Text(const std::string& field, std::string_view value, std::string_view reason,
                       size_t max_bytes, bool required) {
  if (required && value.empty()) {
    Fail(field, "is required", reason);
    return false;
  }
  std::optional<std::string> problem = TextProblem(value, max_bytes);
  if (!problem.has_value()) return true;
  Fail(field, *std::move(problem), reason);
  return false;
}

void FieldChecks::Number(const std::string& field, double value, double min, double max,
                         std::string_view reason, bool min_open, bool max_open) {
  const bool low = min_open ? !(value > min) : !(value >= min);
  const bool high = max_open ? !(value < max) : !(value <= max);
  if (std::isfinite(value) && !low && !high) return;
  std::string range = absl::StrFormat("%c%g, %s%c", min_open ? '(' : '[', min,
                                      std::isinf(max) ? "inf" : absl::StrFormat("%g", max),
                                      max_open || std::isinf(max) ? ')' : ']');
  Fail(field, absl::StrFormat("must be finite and in %s, got %g", range, value), reason);
}

void FieldChecks::Integer(const std::string& field, int64_t value, int64_t min, int64_t max,
                          std::string_view reason) {
  if (value >= min && value <= max) return;
  Fail(field, absl::StrFormat("must be in [%d, %d], got %d", min, max, value), reason);
}

void FieldChecks::Duration(const std::string& field, const google::protobuf::Duration& value,
                           absl::Duration min, absl::Duration max, std::string_view reason) {
  if (!IsValidDuration(value)) {
    Fail(field, "is not a valid Duration", reason);
    return;
  }
  const absl::Duration duration = ToAbslDuration(value);
  if (duration < min || duration > max) {
    Fail(field,
         absl::StrCat("must be between ", absl::FormatDuration(min), " and ",
                      absl::FormatDuration(max), ", got ", absl::FormatDuration(duration)),
         reason);
  }
}

void FieldChecks::Timestamp(const std::string& field, const google::protobuf::Timestamp& value,
                            std::string_view reason) {
  if (!IsValidTimestamp(value)) {
    Fail(field, "is not a valid Timestamp (years 0001 to 9999, nanos in [0, 999999999])", reason);
  }
}

grpc::Status FieldChecks::ToStatus(grpc::StatusCode code) const {
  std::string message;
  for (const FieldViolation& violation : violations_) {
    if (!message.empty()) message += "; ";
    message += violation.field + " " + violation.description;
  }
  if (unlisted_ > 0) absl::StrAppend(&message, "; and ", unlisted_, " more violations");
  return MakeError(code, first_reason_, message, violations_);
}

}  // namespace horizonscale::server

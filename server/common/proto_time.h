// Conversions between protobuf Timestamp/Duration and absl::Time/Duration.
#pragma once

#include <absl/time/time.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>

namespace horizonscale::server {

// Whether `timestamp` is a valid Timestamp (years 0001..9999, nanos in range).
bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp);

// Whether `duration` is a valid Duration (|seconds| <= 315,576,000,000, nanos
// in range with the sign of seconds).
bool IsValidDuration(const google::protobuf::Duration& duration);

absl::Time ToAbslTime(const google::protobuf::Timestamp& timestamp);
absl::Duration ToAbslDuration(const google::protobuf::Duration& duration);
google::protobuf::Timestamp ToProtoTimestamp(absl::Time time);
google::protobuf::Duration ToProtoDuration(absl::Duration duration);

}  // namespace horizonscale::server

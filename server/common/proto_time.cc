#include "server/common/proto_time.h"

namespace horizonscale::server {

bool IsValidTimestamp(const google::protobuf::Timestamp& timestamp) {
  constexpr int64_t kMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  return timestamp.seconds() >= kMinSeconds && timestamp.seconds() <= kMaxSeconds &&
         timestamp.nanos() >= 0 && timestamp.nanos() <= 999'999'999;
}

bool IsValidDuration(const google::protobuf::Duration& duration) {
  constexpr int64_t kMaxSeconds = 315'576'000'000;
  if (duration.seconds() < -kMaxSeconds || duration.seconds() > kMaxSeconds) return false;
  if (duration.nanos() < -999'999'999 || duration.nanos() > 999'999'999) return false;
  return !(duration.seconds() > 0 && duration.nanos() < 0) &&
         !(duration.seconds() < 0 && duration.nanos() > 0);
}

absl::Time ToAbslTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

absl::Duration ToAbslDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

google::protobuf::Timestamp ToProtoTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t seconds = absl::ToUnixSeconds(time);
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(
      static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) / absl::Nanoseconds(1)));
  return timestamp;
}

google::protobuf::Duration ToProtoDuration(absl::Duration duration) {
  google::protobuf::Duration proto;
  const int64_t seconds = absl::IDivDuration(duration, absl::Seconds(1), &duration);
  proto.set_seconds(seconds);
  proto.set_nanos(static_cast<int32_t>(duration / absl::Nanoseconds(1)));
  return proto;
}

}  // namespace horizonscale::server

// Collecting field violations while validating a request: each check names
// the field path and says what was expected and what came.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <absl/time/time.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <grpcpp/support/status.h>

#include "server/common/errors.h"
#include "server/common/text_checks.h"

namespace horizonscale::server {

// Most violations one error lists; the rest are counted in its message.
inline constexpr int kMaxListedViolations = 100;

// Violations found so far, each tagged with the ErrorInfo reason it implies.
// At most kMaxListedViolations are kept, so a request with a million bad
// entries costs no more than one with a hundred.
class FieldChecks {
 public:
  FieldChecks() = default;
  // Checks of a nested message: every field path recorded is prefixed with
  // `field_prefix` (e.g. "queue." when UpdateQueue checks queue.config with
  // the checks GeneratePlan uses on its top-level config).
  explicit FieldChecks(std::string field_prefix) : field_prefix_(std::move(field_prefix)) {}

  // Records a violation of `field` with `description`, implying `reason`.
  void Fail(std::string field, std::string description, std::string_view reason);

  // A repeated field of `size` entries must hold at most `max`. Returns
  // whether it does: callers check the entries only then, so the cost of a
  // check is bounded before it starts.
  bool Size(const std::string& field, int size, int max, std::string_view reason);

  // A string field must be at most `max_bytes` bytes of UTF-8 without
  // control characters (server/common/text_checks.h); with `required`, non-empty.
  // Returns whether it is.
  bool Text(const std::string& field, std::string_view value, std::string_view reason,
            size_t max_bytes = kMaxTextBytes, bool required = false);

  // `value` must be finite and within [min, max] (open at an end when the
  // matching `*_open` is true).
  void Number(const std::string& field, double value, double min, double max,
              std::string_view reason, bool min_open = false, bool max_open = false);

  // `value` must be within [min, max].
  void Integer(const std::string& field, int64_t value, int64_t min, int64_t max,
               std::string_view reason);

  // A set Duration must be valid and within [min, max].
  void Duration(const std::string& field, const google::protobuf::Duration& value,
                absl::Duration min, absl::Duration max, std::string_view reason);

  // A set Timestamp must be valid.
  void Timestamp(const std::string& field, const google::protobuf::Timestamp& value,
                 std::string_view reason);

  bool ok() const { return violations_.empty(); }

  // INVALID_ARGUMENT (or `code`) with the first violation's reason, a message
  // listing the kept violations (and how many more there were), and the kept
  // ones as field violations.
  grpc::Status ToStatus(grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT) const;

 private:
  std::vector<FieldViolation> violations_;  // the first kMaxListedViolations
  int64_t unlisted_ = 0;                    // violations found beyond those
  std::string first_reason_;
  std::string field_prefix_;
};

}  // namespace horizonscale::server

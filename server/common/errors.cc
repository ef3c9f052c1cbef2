#include "server/common/errors.h"

#include <absl/strings/str_cat.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace horizonscale::server {

namespace {

google::rpc::Status Detail(grpc::StatusCode code, std::string_view reason,
                           const std::string& message,
                           const std::vector<std::pair<std::string, std::string>>& metadata) {
  google::rpc::Status detail;
  detail.set_code(static_cast<int>(code));
  detail.set_message(message);
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  for (const auto& [key, value] : metadata) (*info.mutable_metadata())[key] = value;
  detail.add_details()->PackFrom(info);
  return detail;
}

}  // namespace

grpc::Status MakeError(grpc::StatusCode code, std::string_view reason, std::string message,
                       const std::vector<FieldViolation>& violations) {
  google::rpc::Status detail = Detail(code, reason, message, {});
  if (!violations.empty()) {
    google::rpc::BadRequest bad_request;
    for (const FieldViolation& violation : violations) {
      auto* field = bad_request.add_field_violations();
      field->set_field(violation.field);
      field->set_description(violation.description);
    }
    detail.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(code, std::move(message), detail.SerializeAsString());
}

grpc::Status MakeErrorWithExtras(grpc::StatusCode code, std::string_view reason,
                                 std::string message, const ErrorExtras& extras) {
  google::rpc::Status detail = Detail(code, reason, message, extras.metadata);
  if (extras.retry_after.count() > 0) {
    google::rpc::RetryInfo retry;
    const int64_t millis = extras.retry_after.count();
    retry.mutable_retry_delay()->set_seconds(millis / 1000);
    retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(millis % 1000) * 1'000'000);
    detail.add_details()->PackFrom(retry);
  }
  return grpc::Status(code, std::move(message), detail.SerializeAsString());
}

namespace {
constexpr std::string_view kNotReachableYet =
    "the database is not reachable yet; see the server's health status";
}  // namespace

grpc::Status DatabaseNotReachableYet() {
  return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                   std::string(kNotReachableYet));
}

absl::Status DatabaseNotReachableYetError() {
  return absl::UnavailableError(
      absl::string_view(kNotReachableYet.data(), kNotReachableYet.size()));
}

grpc::Status FromAbsl(const absl::Status& status, std::string_view reason,
                      const std::vector<FieldViolation>& violations) {
  if (status.ok()) return grpc::Status::OK;
  return MakeError(static_cast<grpc::StatusCode>(status.code()), reason,
                   std::string(status.message()), violations);
}

std::string_view StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

}  // namespace horizonscale::server

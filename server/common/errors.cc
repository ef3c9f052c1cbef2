#include "server/common/errors.h"

#include <absl/strings/str_cat.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace horizonscale::server {

grpc::Status MakeError(grpc::StatusCode code, std::string_view reason, std::string message,
                       const std::vector<FieldViolation>& violations) {
  google::rpc::Status detail;
  detail.set_code(static_cast<int>(code));
  detail.set_message(message);
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(std::string(kErrorDomain));
  detail.add_details()->PackFrom(info);
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

}  // namespace horizonscale::server

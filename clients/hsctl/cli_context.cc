#include "clients/hsctl/cli_context.h"

#include <chrono>
#include <iostream>

#include <absl/status/status.h>
#include <fmt/core.h>

#include "clients/hsctl/exit_codes.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace horizonscale::hsctl {
namespace {}  // namespace

const clients::Connection& CliContext::connection() {
  if (!connection_) {
    absl::StatusOr<clients::Connection> opened = clients::Connect(connection_options);
    if (!opened.ok()) throw UsageError{std::string(opened.status().message())};
    connection_ = *std::move(opened);
  }
  return *connection_;
}

std::unique_ptr<grpc::ClientContext> CliContext::NewCall(std::optional<double> seconds) {
  auto call = std::make_unique<grpc::ClientContext>();
  call->set_deadline(
      std::chrono::system_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(seconds.value_or(deadline_seconds) * 1000)));
  connection().Authorize(*call);
  return call;
}

bool CliContext::Check(const grpc::Status& status) {
  exit_code = ExitCodeOf(status.error_code());
  if (status.ok()) return true;
  std::string reason;
  std::string details;
  google::rpc::Status rich;
  if (!status.error_details().empty() && rich.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& detail : rich.details()) {
      google::rpc::ErrorInfo info;
      google::rpc::BadRequest bad_request;
      google::rpc::RetryInfo retry;
      if (detail.UnpackTo(&info)) {
        reason = info.reason();
      } else if (detail.UnpackTo(&bad_request)) {
        for (const auto& violation : bad_request.field_violations()) {
          details += fmt::format("\n  {}: {}", violation.field(), violation.description());
        }
      } else if (detail.UnpackTo(&retry)) {
        const double seconds = retry.retry_delay().seconds() + retry.retry_delay().nanos() / 1e9;
        details += fmt::format("\n  retry in {:.3g} s", seconds);
      }
    }
  }
  const std::string code =
      absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code()));
  std::cerr << fmt::format("hsctl: {}{}: {}{}\n", code, reason.empty() ? "" : " (" + reason + ")",
                           status.error_message(), details);
  return false;
}

}  // namespace horizonscale::hsctl

// What every hsctl subcommand shares: the connection options (--server,
// TLS, token), the deadline, the output mode, and the exit code the run
// ends with.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "clients/connection/connection.h"

namespace horizonscale::hsctl {

enum class OutputMode { kHuman, kJson };

class CliContext {
 public:
  clients::ConnectionOptions connection_options{.target = "127.0.0.1:50051"};
  double deadline_seconds = 30;
  OutputMode output = OutputMode::kHuman;
  int exit_code = 0;

  // The connection, opened at first use. Throws UsageError (exit code 2)
  // when the connection options are wrong (a file that cannot be read).
  const clients::Connection& connection();

  // A call's context: the deadline (`deadline_seconds`, or `seconds` when
  // given) and the bearer token.
  std::unique_ptr<grpc::ClientContext> NewCall(std::optional<double> seconds = std::nullopt);

  bool json() const { return output == OutputMode::kJson; }

  // Ends the subcommand with `status`: prints the error (code, ErrorInfo
  // reason, violated fields, retry delay) on stderr and sets exit_code
  // (exit_codes.h). Returns status.ok().
  bool Check(const grpc::Status& status);

 private:
  std::optional<clients::Connection> connection_;
};

// A mistake in how hsctl was called (exit code 2).
struct UsageError {
  std::string message;
};

}  // namespace horizonscale::hsctl

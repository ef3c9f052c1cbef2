// Who is calling: the identity and role behind a call's bearer token or
// client certificate, by the access file (server/security/access_file.h),
// which is read again when it changes (checked at most once a second, on
// the calls' path; a file that no longer parses keeps the last good table
// and logs why).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "server/security/access_file.h"

namespace horizonscale::server {

struct Identity {
  std::string name{};
  Role role = Role::kNone;
  std::string_view source{};  // "token", "certificate" or "anonymous"
};

// What a call presents.
struct Credentials {
  // The value of the `authorization` header or metadata ("Bearer <token>");
  // empty when none was sent.
  std::string_view authorization{};
  // The names of a verified client certificate: its subject alternative
  // names and its common name; empty without one.
  std::vector<std::string> certificate_names{};
};

class AccessControl {
 public:
  // Reads `path` now. An error names the file and the bad entry.
  static absl::StatusOr<std::unique_ptr<AccessControl>> Open(std::string path);

  // The caller's identity, or the refusal: UNAUTHENTICATED with reason
  // TOKEN_INVALID (malformed header, unknown token), TOKEN_EXPIRED,
  // CERTIFICATE_UNKNOWN (a verified certificate the file does not list) or
  // CREDENTIALS_MISSING (neither). A bearer token is judged first when both
  // are presented. Thread-safe.
  grpc::Status Authenticate(const Credentials& credentials, Identity& identity);

  // The current access file's table (its limits, for the caller).
  std::shared_ptr<const AccessTable> Snapshot();

  // Reads the file again when its size, inode or modification time changed
  // (at most once per second unless `force`). Returns the load error when
  // the new file does not parse (the last good table stays).
  absl::Status ReloadIfChanged(bool force = false);

 private:
  explicit AccessControl(std::string path) : path_(std::move(path)) {}

  const std::string path_;
  std::atomic<int64_t> next_check_ns_{0};
  std::mutex mutex_;  // guards the fields below
  std::shared_ptr<const AccessTable> table_;
  std::string signature_;
};

}  // namespace horizonscale::server

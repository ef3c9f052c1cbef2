// The access file (--access_file): who may call the server. YAML, read at
// start and again whenever it changes (server/security/access_control.h):
//
//   tokens:                       # bearer tokens, stored hashed
//     - identity: keda-operator   # the name in logs, audit lines and limits
//       sha256: 9f86d081...       # hex SHA-256 of the token (echo -n TOKEN | sha256sum)
//       roles: [planner]          # reader, planner, admin (admin includes planner includes reader)
//       expires: 2027-06-30T00:00:00Z   # optional, RFC 3339
//   certificates:                 # mTLS client certificates (verified against --tls_client_ca)
//     - identity: keda-operator
//       subject: keda-operator.keda.svc # a subject alternative name (DNS, URI, e-mail) or the CN
//       roles: [planner]
//   limits:                       # optional; the defaults are kDefault* below
//     rate:                       # calls per second per identity, by role and method class
//       planner: {read: 200, plan: 1000, compute: 20}
//     concurrency:                # compute calls in flight per identity, by role
//       planner: 4
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

#include "server/security/method_policy.h"

namespace horizonscale::server {

// Calls per second per identity and class when the file names no limit.
inline constexpr double kDefaultReadRate = 200;
inline constexpr double kDefaultPlanRate = 1000;
inline constexpr double kDefaultComputeRate = 20;
// Compute calls in flight per identity when the file names no limit.
inline constexpr int kDefaultComputeConcurrency = 4;

struct TokenGrant {
  std::string identity{};
  std::array<uint8_t, 32> sha256{};
  Role role = Role::kNone;  // the highest role listed
  std::optional<absl::Time> expires{};
};

struct CertificateGrant {
  std::string identity{};
  std::string subject{};
  Role role = Role::kNone;
};

struct AccessLimits {
  // Calls per second (and burst: one second's worth) per identity, by the
  // identity's role and the method's class.
  std::map<Role, std::map<MethodClass, double>> rate{};
  // Compute calls in flight per identity, by role.
  std::map<Role, int> concurrency{};

  // The rate of `role` for `method_class` (the default when not given).
  double RateOf(Role role, MethodClass method_class) const;
  // The compute concurrency of `role` (the default when not given).
  int ConcurrencyOf(Role role) const;
};

struct AccessTable {
  std::vector<TokenGrant> tokens{};
  std::vector<CertificateGrant> certificates{};
  AccessLimits limits{};
};

// Parses the access file's text. INVALID_ARGUMENT naming the entry and the
// field ("tokens[2].sha256: ...") for YAML that is not the format above:
// unknown keys, a hash that is not 64 hex digits, a role that is none of
// the three, a date that is not RFC 3339, a negative or non-finite limit, an
// identity or subject empty or over 256 bytes, the same hash or subject
// twice.
absl::StatusOr<AccessTable> ParseAccessFile(std::string_view text);

// Reads and parses the file at `path` (NOT_FOUND / INVALID_ARGUMENT naming
// the path; a file over 1 MiB is INVALID_ARGUMENT).
absl::StatusOr<AccessTable> LoadAccessFile(const std::string& path);

// The SHA-256 of `token`.
std::array<uint8_t, 32> Sha256(std::string_view token);

}  // namespace horizonscale::server

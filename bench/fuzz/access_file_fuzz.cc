// The access file (--access_file, a mounted Secret anyone with write access
// to it shapes): any bytes parse into a table or an INVALID_ARGUMENT naming
// the entry, never a crash or an exception; a table's entries hold what
// the parser promises (a known role, names of 1 to 256 bytes, finite
// non-negative rates).
#include <cmath>
#include <string>

#include "bench/fuzz/fuzz_support.h"
#include "server/security/access_file.h"

namespace server = horizonscale::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;  // the file is bounded at 1 MiB; YAML's cost grows with depth
  const std::string text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<server::AccessTable> table = server::ParseAccessFile(text);
  if (!table.ok()) {
    if (table.status().code() != absl::StatusCode::kInvalidArgument) __builtin_trap();
    return 0;
  }
  for (const server::TokenGrant& grant : table->tokens) {
    if (grant.role == server::Role::kNone || grant.identity.empty() ||
        grant.identity.size() > 256) {
      __builtin_trap();
    }
  }
  for (const server::CertificateGrant& grant : table->certificates) {
    if (grant.role == server::Role::kNone || grant.subject.empty()) __builtin_trap();
  }
  for (const auto& [role, rates] : table->limits.rate) {
    for (const auto& [method_class, rate] : rates) {
      if (!std::isfinite(rate) || rate < 0) __builtin_trap();
    }
  }
  return 0;
}

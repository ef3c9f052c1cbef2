#include "server/security/access_control.h"

#include <openssl/crypto.h>

#include <absl/strings/ascii.h>
#include <absl/strings/match.h>
#include <absl/time/clock.h>

#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/security/file_signature.h"

namespace horizonscale::server {
namespace {

constexpr int64_t kCheckEveryNs = 1'000'000'000;
// Longer headers are refused before hashing.
constexpr size_t kMaxAuthorizationBytes = 4096;

grpc::Status Unauthenticated(std::string_view why, std::string message) {
  return MakeError(grpc::StatusCode::UNAUTHENTICATED, why, std::move(message));
}

}  // namespace

absl::StatusOr<std::unique_ptr<AccessControl>> AccessControl::Open(std::string path) {
  std::unique_ptr<AccessControl> access(new AccessControl(std::move(path)));
  if (absl::Status loaded = access->ReloadIfChanged(/*force=*/true); !loaded.ok()) return loaded;
  return access;
}

absl::Status AccessControl::ReloadIfChanged(bool force) {
  const int64_t now = absl::GetCurrentTimeNanos();
  if (!force && now < next_check_ns_.load(std::memory_order_relaxed)) return absl::OkStatus();
  std::lock_guard lock(mutex_);
  if (!force && now < next_check_ns_.load(std::memory_order_relaxed)) return absl::OkStatus();
  next_check_ns_.store(now + kCheckEveryNs, std::memory_order_relaxed);
  std::string signature = FileSignature(path_);
  if (!force && signature == signature_) return absl::OkStatus();
  absl::StatusOr<AccessTable> table = LoadAccessFile(path_);
  signature_ = std::move(signature);  // a bad file is reported once, not every second
  if (!table.ok()) {
    if (table_ != nullptr) {
      Log(spdlog::level::err, "access_file_reload_failed",
          {{"path", path_},
           {"why", std::string(table.status().message())},
           {"kept", "the last good access file"}});
    }
    return table.status();
  }
  const bool reloaded = table_ != nullptr;
  table_ = std::make_shared<const AccessTable>(*std::move(table));
  Log(spdlog::level::info, reloaded ? "access_file_reloaded" : "access_file_loaded",
      {{"path", path_},
       {"tokens", table_->tokens.size()},
       {"certificates", table_->certificates.size()}});
  return absl::OkStatus();
}

std::shared_ptr<const AccessTable> AccessControl::Snapshot() {
  (void)ReloadIfChanged();
  std::lock_guard lock(mutex_);
  return table_;
}

grpc::Status AccessControl::Authenticate(const Credentials& credentials, Identity& identity) {
  const std::shared_ptr<const AccessTable> table = Snapshot();
  if (!credentials.authorization.empty()) {
    std::string_view header = credentials.authorization;
    if (header.size() > kMaxAuthorizationBytes || header.size() < 8 ||
        !absl::EqualsIgnoreCase(absl::string_view(header.data(), 7), "bearer ")) {
      return Unauthenticated(reason::kTokenInvalid,
                             "the authorization header must be \"Bearer <token>\"");
    }
    header.remove_prefix(7);
    const std::array<uint8_t, 32> digest = Sha256(header);
    for (const TokenGrant& grant : table->tokens) {
      if (CRYPTO_memcmp(grant.sha256.data(), digest.data(), digest.size()) != 0) continue;
      if (grant.expires && *grant.expires <= absl::Now()) {
        return Unauthenticated(
            reason::kTokenExpired,
            absl::StrCat("the bearer token of ", grant.identity, " expired at ",
                         absl::FormatTime(absl::RFC3339_sec, *grant.expires, absl::UTCTimeZone())));
      }
      identity = {.name = grant.identity, .role = grant.role, .source = "token"};
      return grpc::Status::OK;
    }
    return Unauthenticated(reason::kTokenInvalid, "the bearer token is not known to this server");
  }
  if (!credentials.certificate_names.empty()) {
    for (const std::string& name : credentials.certificate_names) {
      for (const CertificateGrant& grant : table->certificates) {
        if (grant.subject != name) continue;
        identity = {.name = grant.identity, .role = grant.role, .source = "certificate"};
        return grpc::Status::OK;
      }
    }
    return Unauthenticated(
        reason::kCertificateUnknown,
        absl::StrCat("the client certificate (", credentials.certificate_names.front(),
                     ") is not listed in the server's access file"));
  }
  return Unauthenticated(reason::kCredentialsMissing,
                         "this server needs a bearer token (authorization: Bearer <token>) or a "
                         "client certificate");
}

}  // namespace horizonscale::server

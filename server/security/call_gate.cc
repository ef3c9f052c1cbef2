#include "server/security/call_gate.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>
#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>

#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/common/uuid.h"

namespace horizonscale::server {
namespace {

constexpr size_t kMaxRequestIdBytes = 128;

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

std::string NewBridgeKey() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // No randomness: no key the bridge could prove itself with, so HTTP
    // client certificates are never trusted (tokens still work).
    return "";
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

std::string_view Metadata(const grpc::ServerContextBase& context, std::string_view key) {
  const auto& metadata = context.client_metadata();
  auto found = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (found == metadata.end()) return {};
  return {found->second.data(), found->second.size()};
}

bool PrintableAscii(std::string_view text) {
  for (const char c : text) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

bool FromBridge(const grpc::ServerContextBase& context, const std::string& bridge_key) {
  const std::string_view sent = Metadata(context, kBridgeKeyMetadata);
  return !bridge_key.empty() && sent.size() == bridge_key.size() &&
         CRYPTO_memcmp(sent.data(), bridge_key.data(), sent.size()) == 0;
}

}  // namespace

std::vector<std::string> CertificateNames(const grpc::ServerContextBase& context) {
  std::vector<std::string> names;
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) return names;
  for (const char* property : {GRPC_X509_SAN_PROPERTY_NAME, GRPC_X509_CN_PROPERTY_NAME}) {
    for (const grpc::string_ref& value : auth->FindPropertyValues(property)) {
      names.emplace_back(value.data(), value.size());
    }
  }
  return names;
}

CallPass::CallPass(CallPass&& other) noexcept { *this = std::move(other); }

CallPass& CallPass::operator=(CallPass&& other) noexcept {
  if (this == &other) return *this;
  Release();
  gate_ = other.gate_;
  refusal_ = std::move(other.refusal_);
  identity_ = std::move(other.identity_);
  method_ = std::move(other.method_);
  request_id_ = std::move(other.request_id_);
  peer_ = std::move(other.peer_);
  privileged_ = other.privileged_;
  holds_compute_slot_ = other.holds_compute_slot_;
  ended_ = other.ended_;
  other.holds_compute_slot_ = false;
  other.ended_ = true;
  return *this;
}

CallPass::~CallPass() { Release(); }

void CallPass::Release() {
  if (holds_compute_slot_ && gate_ != nullptr) gate_->limiter_.LeaveCompute(identity_.name);
  holds_compute_slot_ = false;
}

void CallPass::End(const grpc::Status& outcome) {
  if (ended_) return;
  ended_ = true;
  Release();
  if (!privileged_ && outcome.error_code() != grpc::StatusCode::UNAUTHENTICATED &&
      outcome.error_code() != grpc::StatusCode::PERMISSION_DENIED) {
    return;
  }
  if (request_id_.empty()) request_id_ = NewUuid();
  Log(spdlog::level::info, "audit",
      {{"identity", identity_.name},
       {"auth", identity_.source},
       {"role", RoleName(identity_.role)},
       {"method", method_},
       {"outcome", StatusCodeName(outcome.error_code())},
       {"request_id", request_id_},
       {"peer", peer_}});
}

CallGate::CallGate(AccessControl* access) : access_(access), bridge_key_(NewBridgeKey()) {}

CallPass CallGate::Admit(grpc::ServerContextBase& context, std::string_view method) {
  CallPass pass;
  pass.gate_ = this;
  pass.method_ = std::string(method);
  const std::optional<MethodPolicy> found = PolicyOf(method);
  const MethodPolicy policy = found.value_or(MethodPolicy{});  // unlisted: admin, compute
  if (policy.method_class == MethodClass::kOpen) {
    pass.identity_ = {.name = "anonymous", .role = Role::kNone, .source = "anonymous"};
    return pass;
  }
  if (access_ == nullptr) {  // open: nobody to name, nothing to audit (the RPC log has it)
    pass.identity_ = {.name = "anonymous", .role = Role::kAdmin, .source = "anonymous"};
    return pass;
  }
  pass.privileged_ = policy.role >= Role::kPlanner;

  const bool from_bridge = FromBridge(context, bridge_key_);
  pass.peer_ = from_bridge ? absl::StrCat("http:", AbslView(Metadata(context, kHttpPeerMetadata)))
                           : context.peer();
  const std::string_view request_id = Metadata(context, kRequestIdMetadata);
  if (request_id.size() <= kMaxRequestIdBytes && PrintableAscii(request_id)) {
    pass.request_id_ = std::string(request_id);  // made up in End() when empty
  }
  Credentials credentials{.authorization = Metadata(context, "authorization")};
  if (from_bridge) {
    const auto& metadata = context.client_metadata();
    auto [first, last] = metadata.equal_range(kHttpCertificateMetadata);
    for (auto it = first; it != last; ++it) {
      credentials.certificate_names.emplace_back(it->second.data(), it->second.size());
    }
  } else {
    credentials.certificate_names = CertificateNames(context);
  }
  pass.identity_ = {.name = "unknown", .role = Role::kNone, .source = "none"};
  if (grpc::Status who = access_->Authenticate(credentials, pass.identity_); !who.ok()) {
    pass.refusal_ = std::move(who);
    pass.End(pass.refusal_);
    return pass;
  }
  if (pass.identity_.role < policy.role) {
    pass.refusal_ = MakeErrorWithExtras(
        grpc::StatusCode::PERMISSION_DENIED, reason::kRoleMissing,
        absl::StrCat(pass.identity_.name, " (role ", AbslView(RoleName(pass.identity_.role)),
                     ") may not call ", AbslView(method), ": it needs the ",
                     AbslView(RoleName(policy.role)), " role"),
        {.metadata = {{"identity", pass.identity_.name},
                      {"role", std::string(RoleName(pass.identity_.role))},
                      {"required_role", std::string(RoleName(policy.role))},
                      {"method", std::string(method)}}});
    pass.End(pass.refusal_);
    return pass;
  }
  const std::shared_ptr<const AccessTable> table = access_->Snapshot();
  const AccessLimits& limits = table->limits;
  const std::chrono::milliseconds wait =
      limiter_.TakeRate(pass.identity_.name, policy.method_class,
                        limits.RateOf(pass.identity_.role, policy.method_class));
  if (wait.count() > 0) {
    pass.refusal_ =
        MakeErrorWithExtras(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kRateLimited,
                            absl::StrCat(pass.identity_.name, " is over its rate of ",
                                         limits.RateOf(pass.identity_.role, policy.method_class),
                                         " ", AbslView(ClassName(policy.method_class)),
                                         " calls per second: retry in ", wait.count(), " ms"),
                            {.metadata = {{"identity", pass.identity_.name},
                                          {"class", std::string(ClassName(policy.method_class))}},
                             .retry_after = wait});
    pass.End(pass.refusal_);
    return pass;
  }
  if (policy.method_class == MethodClass::kCompute) {
    const int limit = limits.ConcurrencyOf(pass.identity_.role);
    if (!limiter_.EnterCompute(pass.identity_.name, limit)) {
      pass.refusal_ = MakeErrorWithExtras(
          grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kConcurrencyLimited,
          absl::StrCat(pass.identity_.name, " has ", limit,
                       " compute calls (Simulate, GetForecasts, RunCompetition, IngestTelemetry) "
                       "in flight, its limit: retry when one has ended"),
          {.metadata = {{"identity", pass.identity_.name}, {"limit", std::to_string(limit)}},
           .retry_after = std::chrono::seconds(1)});
      pass.End(pass.refusal_);
      return pass;
    }
    pass.holds_compute_slot_ = true;
  }
  return pass;
}

}  // namespace horizonscale::server

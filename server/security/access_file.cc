#include "server/security/access_file.h"

#include <cmath>
#include <fstream>
#include <set>

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>
#include <openssl/sha.h>
#include <yaml-cpp/yaml.h>

namespace horizonscale::server {
namespace {

constexpr size_t kMaxNameBytes = 256;
constexpr size_t kMaxFileBytes = 1 << 20;

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

absl::Status Bad(std::string_view where, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(AbslView(where), ": ", AbslView(what)));
}

// INVALID_ARGUMENT for a key of `node` (a map) that is not in `allowed`.
absl::Status CheckKeys(const YAML::Node& node, std::string_view where,
                       std::initializer_list<std::string_view> allowed) {
  if (!node.IsMap()) return Bad(where, "must be a mapping");
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    bool known = false;
    for (std::string_view name : allowed) known = known || key == name;
    if (!known) return Bad(where, absl::StrCat("unknown key \"", key, "\""));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> Name(const YAML::Node& entry, std::string_view key,
                                 std::string_view where) {
  const YAML::Node node = entry[std::string(key)];
  const std::string field = absl::StrCat(AbslView(where), ".", AbslView(key));
  if (!node || !node.IsScalar()) return Bad(field, "is required (a string)");
  std::string value = node.as<std::string>();
  if (value.empty() || value.size() > kMaxNameBytes) {
    return Bad(field, absl::StrCat("must be 1 to ", kMaxNameBytes, " bytes"));
  }
  for (const char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Bad(field, "must not hold control characters");
    }
  }
  return value;
}

// The highest role of the entry's `roles` list.
absl::StatusOr<Role> Roles(const YAML::Node& entry, std::string_view where) {
  const YAML::Node node = entry["roles"];
  const std::string field = absl::StrCat(AbslView(where), ".roles");
  if (!node || !node.IsSequence() || node.size() == 0) {
    return Bad(field, "is required: a list of reader, planner, admin");
  }
  Role highest = Role::kNone;
  for (const auto& item : node) {
    const std::optional<Role> role =
        item.IsScalar() ? ParseRole(item.as<std::string>()) : std::nullopt;
    if (!role) return Bad(field, "each role must be reader, planner or admin");
    highest = std::max(highest, *role);
  }
  return highest;
}

absl::StatusOr<std::vector<TokenGrant>> Tokens(const YAML::Node& node) {
  std::vector<TokenGrant> tokens;
  if (!node) return tokens;
  if (!node.IsSequence()) return Bad("tokens", "must be a list");
  std::set<std::array<uint8_t, 32>> seen;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node entry = node[i];
    const std::string where = absl::StrCat("tokens[", i, "]");
    if (absl::Status keys = CheckKeys(entry, where, {"identity", "sha256", "roles", "expires"});
        !keys.ok()) {
      return keys;
    }
    TokenGrant grant;
    absl::StatusOr<std::string> identity = Name(entry, "identity", where);
    if (!identity.ok()) return identity.status();
    grant.identity = *std::move(identity);
    const YAML::Node hash = entry["sha256"];
    std::string hex = hash && hash.IsScalar() ? hash.as<std::string>() : "";
    if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
      return Bad(where + ".sha256", "must be the token's SHA-256 as 64 hex digits");
    }
    const std::string bytes = absl::HexStringToBytes(hex);
    std::copy(bytes.begin(), bytes.end(), grant.sha256.begin());
    if (!seen.insert(grant.sha256).second) return Bad(where + ".sha256", "is listed twice");
    absl::StatusOr<Role> role = Roles(entry, where);
    if (!role.ok()) return role.status();
    grant.role = *role;
    if (const YAML::Node expires = entry["expires"]; expires) {
      absl::Time time;
      std::string error;
      if (!expires.IsScalar() ||
          !absl::ParseTime(absl::RFC3339_full, expires.as<std::string>(), &time, &error)) {
        return Bad(where + ".expires", "must be an RFC 3339 time, e.g. 2027-06-30T00:00:00Z");
      }
      grant.expires = time;
    }
    tokens.push_back(std::move(grant));
  }
  return tokens;
}

absl::StatusOr<std::vector<CertificateGrant>> Certificates(const YAML::Node& node) {
  std::vector<CertificateGrant> certificates;
  if (!node) return certificates;
  if (!node.IsSequence()) return Bad("certificates", "must be a list");
  std::set<std::string> seen;
  for (size_t i = 0; i < node.size(); ++i) {
    const YAML::Node entry = node[i];
    const std::string where = absl::StrCat("certificates[", i, "]");
    if (absl::Status keys = CheckKeys(entry, where, {"identity", "subject", "roles"}); !keys.ok()) {
      return keys;
    }
    CertificateGrant grant;
    absl::StatusOr<std::string> identity = Name(entry, "identity", where);
    if (!identity.ok()) return identity.status();
    absl::StatusOr<std::string> subject = Name(entry, "subject", where);
    if (!subject.ok()) return subject.status();
    if (!seen.insert(*subject).second) return Bad(where + ".subject", "is listed twice");
    absl::StatusOr<Role> role = Roles(entry, where);
    if (!role.ok()) return role.status();
    certificates.push_back(
        {.identity = *std::move(identity), .subject = *std::move(subject), .role = *role});
  }
  return certificates;
}

absl::StatusOr<Role> RoleKey(const std::string& key, std::string_view where) {
  std::optional<Role> role = ParseRole(key);
  if (!role)
    return Bad(where, absl::StrCat("\"", key, "\" is not a role (reader, planner, admin)"));
  return *role;
}

absl::StatusOr<AccessLimits> Limits(const YAML::Node& node) {
  AccessLimits limits;
  if (!node) return limits;
  if (absl::Status keys = CheckKeys(node, "limits", {"rate", "concurrency"}); !keys.ok()) {
    return keys;
  }
  if (const YAML::Node rate = node["rate"]; rate) {
    if (!rate.IsMap()) return Bad("limits.rate", "must map roles to {class: calls per second}");
    for (const auto& by_role : rate) {
      const std::string role_name = by_role.first.as<std::string>();
      const std::string where = absl::StrCat("limits.rate.", role_name);
      absl::StatusOr<Role> role = RoleKey(role_name, where);
      if (!role.ok()) return role.status();
      if (!by_role.second.IsMap())
        return Bad(where, "must map classes (read, plan, compute) to calls per second");
      for (const auto& by_class : by_role.second) {
        const std::string class_name = by_class.first.as<std::string>();
        const std::optional<MethodClass> method_class = ParseClass(class_name);
        const std::string field = absl::StrCat(where, ".", class_name);
        if (!method_class) return Bad(field, "is not a class (read, plan, compute)");
        double per_second = 0;
        if (!by_class.second.IsScalar() ||
            !YAML::convert<double>::decode(by_class.second, per_second) ||
            !std::isfinite(per_second) || per_second < 0) {
          return Bad(field, "must be a finite number of calls per second >= 0");
        }
        limits.rate[*role][*method_class] = per_second;
      }
    }
  }
  if (const YAML::Node concurrency = node["concurrency"]; concurrency) {
    if (!concurrency.IsMap()) return Bad("limits.concurrency", "must map roles to a count");
    for (const auto& by_role : concurrency) {
      const std::string role_name = by_role.first.as<std::string>();
      const std::string where = absl::StrCat("limits.concurrency.", role_name);
      absl::StatusOr<Role> role = RoleKey(role_name, where);
      if (!role.ok()) return role.status();
      int count = 0;
      if (!by_role.second.IsScalar() || !YAML::convert<int>::decode(by_role.second, count) ||
          count < 0 || count > 10'000) {
        return Bad(where, "must be a whole number from 0 to 10000");
      }
      limits.concurrency[*role] = count;
    }
  }
  return limits;
}

}  // namespace

double AccessLimits::RateOf(Role role, MethodClass method_class) const {
  if (auto by_role = rate.find(role); by_role != rate.end()) {
    if (auto found = by_role->second.find(method_class); found != by_role->second.end()) {
      return found->second;
    }
  }
  switch (method_class) {
    case MethodClass::kRead:
      return kDefaultReadRate;
    case MethodClass::kPlan:
      return kDefaultPlanRate;
    default:
      return kDefaultComputeRate;
  }
}

int AccessLimits::ConcurrencyOf(Role role) const {
  auto found = concurrency.find(role);
  return found != concurrency.end() ? found->second : kDefaultComputeConcurrency;
}

absl::StatusOr<AccessTable> ParseAccessFile(std::string_view text) {
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    AccessTable table;
    if (root.IsNull()) return table;  // an empty file: nobody may call
    if (absl::Status keys =
            CheckKeys(root, "the access file", {"tokens", "certificates", "limits"});
        !keys.ok()) {
      return keys;
    }
    absl::StatusOr<std::vector<TokenGrant>> tokens = Tokens(root["tokens"]);
    if (!tokens.ok()) return tokens.status();
    absl::StatusOr<std::vector<CertificateGrant>> certificates = Certificates(root["certificates"]);
    if (!certificates.ok()) return certificates.status();
    absl::StatusOr<AccessLimits> limits = Limits(root["limits"]);
    if (!limits.ok()) return limits.status();
    table.tokens = *std::move(tokens);
    table.certificates = *std::move(certificates);
    table.limits = *std::move(limits);
    return table;
  } catch (const YAML::Exception& error) {
    return absl::InvalidArgumentError(absl::StrCat("not YAML: ", error.what()));
  }
}

absl::StatusOr<AccessTable> LoadAccessFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("--access_file ", path, " cannot be read"));
  std::string text(kMaxFileBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  if (text.size() > kMaxFileBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("--access_file ", path, " is over ", kMaxFileBytes, " bytes"));
  }
  absl::StatusOr<AccessTable> table = ParseAccessFile(text);
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--access_file ", path, ": ", table.status().message()));
  }
  return table;
}

std::array<uint8_t, 32> Sha256(std::string_view token) {
  std::array<uint8_t, 32> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
  return digest;
}

}  // namespace horizonscale::server

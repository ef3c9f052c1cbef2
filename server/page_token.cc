#include "server/page_token.h"

#include <vector>

#include <absl/strings/escaping.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>

#include "server/uuid.h"

namespace horizonscale::server {

std::string EncodePlanPageToken(const std::string& queue, const db::PlanCursor& cursor) {
  return absl::WebSafeBase64Escape(absl::StrCat(
      "p1\n", queue, "\n", absl::ToUnixMicros(cursor.generated_at), "\n", cursor.plan_id));
}

std::optional<db::PlanCursor> DecodePlanPageToken(const std::string& queue,
                                                  const std::string& token) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(raw, '\n');
  int64_t micros = 0;
  if (parts.size() != 4 || parts[0] != "p1" || parts[1] != queue ||
      !absl::SimpleAtoi(parts[2], &micros) || !IsUuid(parts[3])) {
    return std::nullopt;
  }
  return db::PlanCursor{absl::FromUnixMicros(micros), parts[3]};
}

std::string EncodeOffsetPageToken(const std::string& scope, int64_t offset) {
  return absl::WebSafeBase64Escape(absl::StrCat("o1\n", scope, "\n", offset));
}

std::optional<int64_t> DecodeOffsetPageToken(const std::string& scope, const std::string& token) {
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw)) return std::nullopt;
  const size_t last = raw.rfind('\n');
  int64_t offset = 0;
  if (last == std::string::npos || raw.substr(0, last) != absl::StrCat("o1\n", scope) ||
      !absl::SimpleAtoi(raw.substr(last + 1), &offset) || offset < 0) {
    return std::nullopt;
  }
  return offset;
}

}  // namespace horizonscale::server

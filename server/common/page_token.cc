#include "server/common/page_token.h"

#include <array>
#include <mutex>
#include <vector>

#include <absl/strings/escaping.h>
#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "server/common/uuid.h"

namespace horizonscale::server {
namespace {

// Bytes of the HMAC-SHA256 tag a token carries (128 bits).
constexpr size_t kTagBytes = 16;

// Plan cursors lie within the range of google.protobuf.Timestamp.
constexpr int64_t kMinMicros = -62'135'596'800'000'000;  // 0001-01-01
constexpr int64_t kMaxMicros = 253'402'300'799'999'999;  // 9999-12-31

struct Secret {
  std::mutex mutex;
  std::string key;  // guarded by mutex
};

Secret& TheSecret() {
  static Secret* secret = [] {
    auto* made = new Secret;
    std::array<unsigned char, 32> random{};
    if (RAND_bytes(random.data(), random.size()) != 1) std::abort();
    made->key.assign(reinterpret_cast<const char*>(random.data()), random.size());
    return made;
  }();
  return *secret;
}

std::string Tag(std::string_view content) {
  Secret& secret = TheSecret();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  {
    std::lock_guard lock(secret.mutex);
    HMAC(EVP_sha256(), secret.key.data(), static_cast<int>(secret.key.size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), digest.data(),
         &length);
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), kTagBytes);
}

std::string Sign(const std::string& content) {
  return absl::StrCat(absl::WebSafeBase64Escape(content), ".",
                      absl::WebSafeBase64Escape(Tag(content)));
}

// The content of a token whose tag verifies, or nullopt.
std::optional<std::string> Verify(const std::string& token) {
  if (token.size() > kMaxPageTokenBytes) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  std::string content;
  std::string tag;
  if (parts.size() != 2 || !absl::WebSafeBase64Unescape(parts[0], &content) ||
      !absl::WebSafeBase64Unescape(parts[1], &tag) || tag.size() != kTagBytes ||
      absl::WebSafeBase64Escape(content) != parts[0] ||
      absl::WebSafeBase64Escape(tag) != parts[1]) {
    return std::nullopt;  // malformed, or not in the one encoding Sign makes
  }
  const std::string expected = Tag(content);
  if (CRYPTO_memcmp(expected.data(), tag.data(), kTagBytes) != 0) return std::nullopt;
  return content;
}

}  // namespace

void SetPageTokenSecret(std::string_view secret) {
  Secret& current = TheSecret();
  std::lock_guard lock(current.mutex);
  current.key = std::string(secret);
}

std::string EncodePlanPageToken(const std::string& queue, const db::PlanCursor& cursor) {
  return Sign(absl::StrCat("p1\n", queue, "\n", absl::ToUnixMicros(cursor.generated_at), "\n",
                           cursor.plan_id));
}

std::optional<db::PlanCursor> DecodePlanPageToken(const std::string& queue,
                                                  const std::string& token) {
  const std::optional<std::string> content = Verify(token);
  if (!content.has_value()) return std::nullopt;
  const std::vector<std::string> parts = absl::StrSplit(*content, '\n');
  int64_t micros = 0;
  if (parts.size() != 4 || parts[0] != "p1" || parts[1] != queue ||
      !absl::SimpleAtoi(parts[2], &micros) || micros < kMinMicros || micros > kMaxMicros ||
      !IsUuid(parts[3])) {
    return std::nullopt;
  }
  return db::PlanCursor{absl::FromUnixMicros(micros), parts[3]};
}

std::string EncodeQueuePageToken(const std::string& name) { return Sign("q1\n" + name); }

std::optional<std::string> DecodeQueuePageToken(const std::string& token) {
  const std::optional<std::string> content = Verify(token);
  if (!content.has_value() || !content->starts_with("q1\n") || content->size() == 3) {
    return std::nullopt;
  }
  return content->substr(3);
}

std::string EncodeOffsetPageToken(const std::string& scope, int64_t offset) {
  return Sign(absl::StrCat("o1\n", scope, "\n", offset));
}

std::optional<int64_t> DecodeOffsetPageToken(const std::string& scope, const std::string& token) {
  const std::optional<std::string> content = Verify(token);
  if (!content.has_value()) return std::nullopt;
  const size_t last = content->rfind('\n');
  int64_t offset = 0;
  if (last == std::string::npos || content->substr(0, last) != absl::StrCat("o1\n", scope) ||
      !absl::SimpleAtoi(content->substr(last + 1), &offset) || offset < 0) {
    return std::nullopt;
  }
  return offset;
}

}  // namespace horizonscale::server

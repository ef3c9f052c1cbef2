#include "server/common/text_checks.h"

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

namespace horizonscale::server {
namespace {

// Length of the well-formed UTF-8 sequence at the start of `text`, or 0 when
// it does not start with one.
size_t Utf8SequenceLength(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;  // bounds of the second byte (RFC 3629 table)
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // no overlong forms
    if (lead == 0xed) high = 0x9f;  // no surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // no overlong forms
    if (lead == 0xf4) high = 0x8f;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return length;
}

bool IsControl(unsigned char byte) { return byte < 0x20 || byte == 0x7f; }

}  // namespace

bool IsValidUtf8(std::string_view text) {
  while (!text.empty()) {
    const size_t length = Utf8SequenceLength(text);
    if (length == 0) return false;
    text.remove_prefix(length);
  }
  return true;
}

std::optional<std::string> TextProblem(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return absl::StrCat("must be at most ", max_bytes, " bytes, got ", text.size());
  }
  if (!IsValidUtf8(text)) return std::string("must be valid UTF-8");
  for (char c : text) {
    if (IsControl(static_cast<unsigned char>(c))) {
      return std::string("must not contain control characters (NUL included)");
    }
  }
  return std::nullopt;
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  std::string_view rest = text;
  size_t taken = 0;
  while (!rest.empty()) {
    const size_t length = Utf8SequenceLength(rest);
    const size_t step = length == 0 ? 1 : length;
    if (taken + step > kMaxQuotedBytes) break;
    const auto first = static_cast<unsigned char>(rest[0]);
    if (length == 0 || IsControl(first) || first == '"' || first == '\\') {
      absl::StrAppend(&out, absl::StrFormat("\\x%02x", first));
    } else {
      out.append(rest.substr(0, length));
    }
    rest.remove_prefix(step);
    taken += step;
  }
  out += '"';
  if (!rest.empty()) absl::StrAppend(&out, "... (", text.size(), " bytes)");
  return out;
}

}  // namespace horizonscale::server

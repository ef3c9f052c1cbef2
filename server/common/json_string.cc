#include "server/common/json_string.h"

#include <cstdint>

namespace horizonscale::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendHex4(uint32_t unit, std::string& out) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(unit >> shift) & 0xf]);
}

// Code points protobuf's JSON escaping writes as \uXXXX beyond ASCII: C1
// controls, and invisible or direction-changing characters that could
// mislead a reader of the text (JavaScript's own list of hazards).
bool EscapedBeyondAscii(uint32_t cp) {
  return cp < 0xa0 || cp == 0x00ad || cp == 0x06dd || cp == 0x070f || cp == 0x17b4 ||
         cp == 0x17b5 || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
         (cp >= 0x0600 && cp <= 0x0603) || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x206a && cp <= 0x206f) || cp == 0xe0001 || (cp >= 0x1d173 && cp <= 0x1d17a) ||
         (cp >= 0xe0020 && cp <= 0xe007f);
}

// The code point of the UTF-8 sequence at text[at] and its length; length 0
// when the bytes are not UTF-8 (`consumed` then says how many to drop).
struct Decoded {
  uint32_t cp = 0;
  size_t length = 0;
  size_t consumed = 1;
};
Decoded DecodeUtf8(std::string_view text, size_t at) {
  const auto lead = static_cast<uint8_t>(text[at]);
  size_t more = 0;
  uint32_t cp = 0;
  if (lead >= 0xc0 && lead <= 0xdf) {
    more = 1, cp = lead & 0x1f;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    more = 2, cp = lead & 0x0f;
  } else if (lead >= 0xf0 && lead <= 0xf7) {
    more = 3, cp = lead & 0x07;
  } else {
    return {};  // a continuation byte or 0xf8..0xff where a sequence starts
  }
  size_t next = at + 1;
  for (; more > 0 && next < text.size(); --more, ++next) {
    const auto byte = static_cast<uint8_t>(text[next]);
    if (byte < 0x80 || byte > 0xbf) return {.consumed = next + 1 - at};
    cp = (cp << 6) | (byte & 0x3f);
  }
  if (more > 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
    return {.consumed = next - at};
  }
  return {.cp = cp, .length = next - at, .consumed = next - at};
}

// Whether an ASCII byte is written as it is inside a JSON string.
constexpr bool PlainAscii(uint8_t byte) {
  return byte >= 0x20 && byte < 0x7f && byte != '"' && byte != '\\' && byte != '<' && byte != '>';
}

// `text` as a JSON string literal, escaped as protobuf escapes it: '"', '\',
// controls, '<' and '>' (for HTML pages), DEL and the code points above;
// bytes that are not UTF-8 are dropped.
}  // namespace

void AppendJsonString(std::string_view text, std::string& out) {
  out.push_back('"');
  size_t at = 0;
  while (at < text.size()) {
    // The run of bytes needing no escape, in one append.
    size_t end = at;
    while (end < text.size() && PlainAscii(static_cast<uint8_t>(text[end]))) ++end;
    out.append(text.data() + at, end - at);
    at = end;
    if (at == text.size()) break;
    const auto byte = static_cast<uint8_t>(text[at]);
    if (byte >= 0x80) {
      const Decoded decoded = DecodeUtf8(text, at);
      if (decoded.length == 0) {
        at += decoded.consumed;
      } else if (!EscapedBeyondAscii(decoded.cp)) {
        out.append(text.substr(at, decoded.length));
        at += decoded.length;
      } else if (decoded.cp > 0xffff) {
        const uint32_t offset = decoded.cp - 0x10000;
        AppendHex4(0xd800 + (offset >> 10), out);
        AppendHex4(0xdc00 + (offset & 0x3ff), out);
        at += decoded.length;
      } else {
        AppendHex4(decoded.cp, out);
        at += decoded.length;
      }
      continue;
    }
    switch (byte) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:  // other controls, '<', '>', DEL
        AppendHex4(byte, out);
    }
    ++at;
  }
  out.push_back('"');
}

}  // namespace horizonscale::server

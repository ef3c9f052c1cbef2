// JSON string literals, escaped as protobuf's JSON printer escapes them, for
// every JSON this server writes by hand (log lines, Connect error bodies,
// the JSON bridge's answers).
#pragma once

#include <string>
#include <string_view>

namespace horizonscale::server {

// Appends `text` to `out` as a JSON string literal, quotes included: '"',
// '\\' and control characters escaped (\n, \t, ... or \u00XX), '<' and '>'
// as \u003c and \u003e (safe inside HTML), DEL, C1 controls and invisible
// or direction-changing code points (U+00AD, U+200B..U+200F, U+2028..U+202E,
// U+FEFF, ...) as \uXXXX; other UTF-8 as it is. Bytes that are not UTF-8
// are dropped, as protobuf drops them.
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace horizonscale::server

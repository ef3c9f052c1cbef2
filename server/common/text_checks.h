// Checks on the strings of a request, and quoting client input into error
// messages. Every string a client sends is hostile until checked here: it
// must be valid UTF-8, hold no control character (NUL included) and fit its
// field's length limit; an error message quotes at most a short prefix of it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace horizonscale::server {

// Longest free-text field (names, identifiers) a request may carry, in bytes.
inline constexpr size_t kMaxTextBytes = 128;

// Longest prefix of client input an error message quotes, in bytes.
inline constexpr size_t kMaxQuotedBytes = 64;

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

// What is wrong with `text` as a field of at most `max_bytes` bytes: longer
// than that, not UTF-8, or holding a control character (U+0000 to U+001F,
// U+007F); nullopt when nothing is. The description names no input.
std::optional<std::string> TextProblem(std::string_view text, size_t max_bytes = kMaxTextBytes);

// `text` for an error message: in double quotes, cut to kMaxQuotedBytes
// (without splitting a UTF-8 sequence, with "..." and the full length when
// cut), control characters and invalid bytes escaped as \xNN.
std::string Quoted(std::string_view text);

}  // namespace horizonscale::server

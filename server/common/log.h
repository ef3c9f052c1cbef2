// Structured logging on top of spdlog: an event name plus key=value fields,
// written as one text line or one JSON object per line (--log_format).
//
// Thread safety: Log may be called from any thread after ConfigureLogging.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>

#include <absl/status/status.h>
#include <spdlog/common.h>

#include "server/common/options.h"

namespace horizonscale::server {

// One key=value of a log line. Numbers stay numbers in JSON output.
struct LogField {
  LogField(std::string_view key, std::string_view value) : key(key), value(value) {}
  LogField(std::string_view key, const char* value) : key(key), value(value) {}
  LogField(std::string_view key, const std::string& value) : key(key), value(value) {}
  template <typename Number>
  requires std::is_arithmetic_v<Number> LogField(std::string_view key, Number number)
      : key(key), value(FormatNumber(number)), is_number(true) {}

  std::string_view key;
  std::string value;
  bool is_number = false;

 private:
  static std::string FormatNumber(double number);
};

// Sets the process-wide logger: stderr, UTC timestamps, `level` (trace,
// debug, info, warn, error, off) and `format`; a second call replaces the
// first's logger. Returns INVALID_ARGUMENT for an unknown level.
absl::Status ConfigureLogging(std::string_view level, LogFormat format);

// Writes one line: the event name then the fields, in order.
void Log(spdlog::level::level_enum level, std::string_view event,
         std::initializer_list<LogField> fields = {});

// Renders the body of a line (without time and level); exposed for tests.
std::string RenderLogBody(LogFormat format, std::string_view event,
                          std::initializer_list<LogField> fields);

}  // namespace horizonscale::server

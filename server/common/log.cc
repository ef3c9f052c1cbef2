#include "server/common/log.h"

#include "server/common/json_string.h"

#include <cmath>
#include <cstdio>

#include <absl/strings/str_cat.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace horizonscale::server {
namespace {

LogFormat g_format = LogFormat::kText;

void AppendTextValue(std::string& out, std::string_view value) {
  const bool needs_quotes =
      value.empty() || value.find_first_of(" \"=\t\n") != std::string_view::npos;
  if (!needs_quotes) {
    out.append(value);
    return;
  }
  AppendJsonString(value, out);  // same escaping rules suit logfmt
}

}  // namespace

std::string LogField::FormatNumber(double number) {
  if (!std::isfinite(number)) return std::isnan(number) ? "NaN" : (number > 0 ? "Inf" : "-Inf");
  if (number == std::floor(number) && std::fabs(number) < 1e15) {
    return absl::StrCat(static_cast<long long>(number));
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", number);
  return text;
}

std::string RenderLogBody(LogFormat format, std::string_view event,
                          std::initializer_list<LogField> fields) {
  std::string out;
  if (format == LogFormat::kJson) {
    out += "\"event\":";
    AppendJsonString(event, out);
    for (const LogField& field : fields) {
      out.push_back(',');
      AppendJsonString(field.key, out);
      out.push_back(':');
      if (field.is_number && field.value != "NaN" && field.value.find("Inf") == std::string::npos) {
        out += field.value;
      } else {
        AppendJsonString(field.value, out);
      }
    }
    return out;
  }
  out.append(event);
  for (const LogField& field : fields) {
    out.push_back(' ');
    out.append(field.key);
    out.push_back('=');
    AppendTextValue(out, field.value);
  }
  return out;
}

absl::Status ConfigureLogging(std::string_view level, LogFormat format) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown log level \"", std::string(level), "\""));
  }
  spdlog::drop("horizonscale");  // configured again (tests, benchmarks): replaced
  auto logger = spdlog::stderr_logger_mt("horizonscale");
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::trace);
  if (format == LogFormat::kJson) {
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v})",
                        spdlog::pattern_time_type::utc);
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %-5l %v", spdlog::pattern_time_type::utc);
  }
  spdlog::set_default_logger(logger);
  g_format = format;
  return absl::OkStatus();
}

void Log(spdlog::level::level_enum level, std::string_view event,
         std::initializer_list<LogField> fields) {
  if (!spdlog::should_log(level)) return;
  spdlog::log(level, "{}", RenderLogBody(g_format, event, fields));
}

}  // namespace horizonscale::server

#include "clients/hsctl/output.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include <absl/strings/ascii.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_replace.h>
#include <absl/time/clock.h>
#include <absl/time/time.h>
#include <fmt/core.h>
#include <google/protobuf/util/json_util.h>

namespace horizonscale::hsctl {
namespace {

bool LooksNumeric(const std::string& cell) {
  if (cell.empty()) return false;
  const char first = cell.front();
  return (first >= '0' && first <= '9') || first == '-' || first == '+' || first == '$' ||
         first == '.';
}

std::string Relative(double seconds) {
  const double magnitude = std::abs(seconds);
  std::string amount;
  if (magnitude < 90) {
    amount = fmt::format("{:.0f} s", magnitude);
  } else if (magnitude < 90 * 60) {
    amount = fmt::format("{:.0f} min", magnitude / 60);
  } else if (magnitude < 36 * 3600) {
    amount = fmt::format("{:.0f} h", magnitude / 3600);
  } else {
    amount = fmt::format("{:.0f} d", magnitude / 86400);
  }
  if (seconds >= 0) return absl::StrCat("in ", amount);
  return absl::StrCat(amount, " ago");
}

}  // namespace

void Table::Print(std::ostream& out) const {
  std::vector<size_t> widths(headers_.size());
  for (size_t c = 0; c < headers_.size(); ++c) widths[c] = headers_[c].size();
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], row[c].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string cell = c < cells.size() ? cells[c] : "";
      const size_t pad = widths[c] - std::min(widths[c], cell.size());
      const bool right = !header && LooksNumeric(cell);
      if (c > 0) text.append(2, ' ');
      if (right) text.append(pad, ' ');
      text += cell;
      if (!right) text.append(pad, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
  };
  line(headers_, true);
  for (const auto& row : rows_) line(row, false);
}

void PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  std::cout << json;
  if (json.empty() || json.back() != '\n') std::cout << "\n";
}

std::string FormatTime(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  const absl::Time at = absl::FromUnixSeconds(time.seconds());
  return fmt::format("{} ({})", absl::FormatTime("%Y-%m-%d %H:%M UTC", at, absl::UTCTimeZone()),
                     Relative(absl::ToDoubleSeconds(at - absl::Now())));
}

std::string FormatSeconds(double seconds) {
  if (seconds == 0) return "0 s";
  if (std::abs(seconds) < 1) return fmt::format("{:.3g} ms", seconds * 1000);
  if (std::abs(seconds) < 120) return fmt::format("{:.3g} s", seconds);
  const int64_t whole = std::llround(seconds);
  if (whole < 3600) return fmt::format("{} min {} s", whole / 60, whole % 60);
  if (whole < 86400) return fmt::format("{} h {} min", whole / 3600, whole % 3600 / 60);
  return fmt::format("{} d {} h", whole / 86400, whole % 86400 / 3600);
}

std::string FormatDuration(const google::protobuf::Duration& duration) {
  if (duration.seconds() == 0 && duration.nanos() == 0) return "-";
  return FormatSeconds(duration.seconds() + duration.nanos() / 1e9);
}

std::string FormatShare(double fraction) { return fmt::format("{:.1f} %", fraction * 100); }

std::string FormatMoney(double amount) {
  const std::string digits = fmt::format("{:.2f}", std::abs(amount));
  const size_t whole = digits.find('.');
  std::string out(amount < 0 ? "-$" : "$");
  for (size_t i = 0; i < whole; ++i) {
    if (i > 0 && (whole - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  out.append(digits, whole, std::string::npos);
  return out;
}

std::string EnumLabel(const std::string& name, const std::string& prefix) {
  std::string label = name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
  absl::AsciiStrToLower(&label);
  return absl::StrReplaceAll(label, {{"_", " "}});
}

Progress::Progress(std::string what, std::chrono::seconds every)
    : what_(std::move(what)), every_(every), terminal_(isatty(STDOUT_FILENO) == 1) {}

void Progress::Update(int64_t done, int64_t total, double per_second, double eta_seconds) {
  const auto now = std::chrono::steady_clock::now();
  const double fraction = total > 0 ? static_cast<double>(done) / total : 0;
  const std::string figures =
      fmt::format("{}/{} {} ({:.0f} %), {:.0f}/s, ETA {}", done, total, what_, fraction * 100,
                  per_second, eta_seconds > 0 ? FormatSeconds(eta_seconds) : "-");
  if (terminal_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(std::round(fraction * kWidth));
    std::cout << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
              << figures << "\033[K" << std::flush;
    drawn_ = true;
    return;
  }
  if (last_ != std::chrono::steady_clock::time_point{} && now - last_ < every_ && done < total) {
    return;
  }
  last_ = now;
  std::cout << figures << "\n" << std::flush;
}

void Progress::Finish() {
  if (terminal_ && drawn_) std::cout << "\n";
  drawn_ = false;
}

}  // namespace horizonscale::hsctl

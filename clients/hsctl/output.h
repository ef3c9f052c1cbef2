// How hsctl shows answers: aligned tables and formatted values for people,
// the canonical JSON mapping for scripts (--output json), and progress on a
// terminal or as plain lines.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <google/protobuf/duration.pb.h>
#include <google/protobuf/message.h>
#include <google/protobuf/timestamp.pb.h>

namespace horizonscale::hsctl {

// Rows under headers, each column as wide as its widest cell; cells that
// look like numbers are right-aligned.
class Table {
 public:
  explicit Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  bool empty() const { return rows_.empty(); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

// Prints `message` on stdout in protobuf's canonical JSON mapping (indented,
// lowerCamelCase, enums by name), then a newline.
void PrintJson(const google::protobuf::Message& message);

// "2026-12-07 05:30 UTC (in 3 d)" / "(2 h ago)"; "-" for an unset time.
std::string FormatTime(const google::protobuf::Timestamp& time);
// "1 h 30 min", "45 s", "250 ms"; "-" for zero.
std::string FormatDuration(const google::protobuf::Duration& duration);
std::string FormatSeconds(double seconds);
// 0.853 -> "85.3 %".
std::string FormatShare(double fraction);
// "$1,234.50".
std::string FormatMoney(double amount);
// An enum value's name without its type's prefix, in lower case:
// SCALING_ACTION_SCALE_UP -> "scale up".
std::string EnumLabel(const std::string& name, const std::string& prefix);

// Progress of a long call: on a terminal one line redrawn in place (a bar,
// done/total, rate, ETA); otherwise a plain line at most every `every`.
class Progress {
 public:
  explicit Progress(std::string what, std::chrono::seconds every = std::chrono::seconds(5));
  void Update(int64_t done, int64_t total, double per_second, double eta_seconds);
  // Ends the line on a terminal.
  void Finish();

 private:
  const std::string what_;
  const std::chrono::seconds every_;
  const bool terminal_;
  std::chrono::steady_clock::time_point last_{};
  bool drawn_ = false;
};

}  // namespace horizonscale::hsctl

#include "clients/hsctl/csv_file.h"

#include <algorithm>
#include <cerrno>
#include <system_error>

#include <absl/strings/str_cat.h>

#include "clients/hsctl/cli_context.h"
#include "clients/hsctl/telemetry_csv.h"

namespace horizonscale::hsctl {
namespace {

[[noreturn]] void CannotRead(const std::string& path) {
  throw UsageError{absl::StrCat(
      path, ": cannot be read: ", std::error_code(errno, std::generic_category()).message())};
}

}  // namespace

CsvFile::CsvFile(std::string path, std::string_view header) : path_(std::move(path)) {
  in_.open(path_, std::ios::binary);
  if (!in_) CannotRead(path_);
  std::getline(in_, text_);
  line_ = 1;
  if (!text_.empty() && text_.back() == '\r') text_.pop_back();
  if (text_ != header) Fail(absl::StrCat("expected the header ", std::string(header)));
}

bool CsvFile::Next(std::vector<std::string>& fields) {
  while (std::getline(in_, text_)) {
    ++line_;
    if (text_.empty() || text_ == "\r") {
      blank_lines_.push_back(records_);
      continue;
    }
    ++records_;
    std::string error;
    if (!SplitCsvLine(text_, fields, error)) Fail(error);
    return true;
  }
  if (in_.bad()) CannotRead(path_);
  return false;
}

void CsvFile::Fail(const std::string& what) const {
  throw UsageError{absl::StrCat(path_, ":", line_, ": ", what)};
}

int64_t CsvFile::LineOf(int64_t record) const {
  const auto blanks = std::upper_bound(blank_lines_.begin(), blank_lines_.end(), record);
  return record + 2 + (blanks - blank_lines_.begin());
}

int64_t CountDataLines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) CannotRead(path);
  std::vector<char> buffer(1 << 20);
  int64_t breaks = 0;
  char last = '\n';
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    const auto end = buffer.begin() + in.gcount();
    breaks += std::count(buffer.begin(), end, '\n');
    last = *(end - 1);
  }
  if (in.bad()) CannotRead(path);
  const int64_t lines = breaks + (last == '\n' ? 0 : 1);
  return std::max<int64_t>(0, lines - 1);
}

}  // namespace horizonscale::hsctl

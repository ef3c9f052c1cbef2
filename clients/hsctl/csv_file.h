// A CSV file read a record at a time, one record a line, that knows which
// line each record came from, for errors ("PATH:LINE: what is wrong").
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace horizonscale::hsctl {

class CsvFile {
 public:
  // Opens `path` and reads its first line, which must be `header`. Throws
  // UsageError when the file cannot be read or its header is different.
  CsvFile(std::string path, std::string_view header);

  // The fields of the next record (blank lines are skipped); false at the
  // end of the file. Throws UsageError naming the line when it is not
  // valid CSV (SplitCsvLine).
  bool Next(std::vector<std::string>& fields);

  // Throws UsageError "PATH:LINE: `what`" about the last record read.
  [[noreturn]] void Fail(const std::string& what) const;

  // The line of the record with index `record` (counting records from 0).
  int64_t LineOf(int64_t record) const;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ifstream in_;
  std::string text_;
  int64_t line_ = 0;     // of the last line read
  int64_t records_ = 0;  // read so far
  // For each blank line, the number of records before it.
  std::vector<int64_t> blank_lines_;
};

// Lines after the first (the header) of the file at `path`: the records
// it holds, blank lines included. Throws UsageError when it cannot be
// read.
int64_t CountDataLines(const std::string& path);

}  // namespace horizonscale::hsctl

// The CSV files of a fleet (samples, hosts, breaches), written host by host.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

#include "clients/fleet_generator/fleet_generator.h"

namespace horizonscale::fleetgen {

class CsvSink {
 public:
  // Creates (truncates) the files and writes their headers. `samples_path`
  // "-" is stdout; an empty hosts or breaches path skips that file. Returns
  // an error naming the path when a file cannot be created.
  static absl::StatusOr<std::unique_ptr<CsvSink>> Open(const std::string& samples_path,
                                                       const std::string& hosts_path,
                                                       const std::string& breaches_path);
  CsvSink(const CsvSink&) = delete;
  CsvSink& operator=(const CsvSink&) = delete;
  // Closes files still open (errors are then lost: call Close).
  ~CsvSink();

  // Writes `host`'s rows: `sample_rows` (as AppendSampleRows made them) to
  // the samples file, its spec to the hosts file, its breaches to the
  // breaches file. Returns an error naming the file when a write fails.
  absl::Status Write(const GeneratedHost& host, std::string_view sample_rows);

  // Flushes and closes the files; returns the first error.
  absl::Status Close();

 private:
  struct File {
    std::string path;
    std::FILE* handle = nullptr;
    bool owned = true;  // false for stdout
  };
  CsvSink() = default;
  static absl::Status Create(const std::string& path, std::string_view header, File& file);
  static absl::Status Put(File& file, std::string_view text);
  static absl::Status Finish(File& file);

  File samples_, hosts_, breaches_;
  std::string buffer_;
};

}  // namespace horizonscale::fleetgen

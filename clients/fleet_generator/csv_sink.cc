#include "clients/fleet_generator/csv_sink.h"

#include <cerrno>
#include <system_error>

#include <absl/strings/str_cat.h>

#include "clients/fleet_generator/csv.h"

namespace horizonscale::fleetgen {
namespace {

// The text of an errno value (thread-safe, unlike strerror).
std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CsvSink>> CsvSink::Open(const std::string& samples_path,
                                                       const std::string& hosts_path,
                                                       const std::string& breaches_path) {
  std::unique_ptr<CsvSink> sink(new CsvSink);
  if (absl::Status s = Create(samples_path, kSamplesCsvHeader, sink->samples_); !s.ok()) return s;
  if (absl::Status s = Create(hosts_path, kHostsCsvHeader, sink->hosts_); !s.ok()) return s;
  if (absl::Status s = Create(breaches_path, kBreachesCsvHeader, sink->breaches_); !s.ok()) {
    return s;
  }
  return sink;
}

CsvSink::~CsvSink() {
  for (File* file : {&samples_, &hosts_, &breaches_}) {
    if (file->handle != nullptr && file->owned) std::fclose(file->handle);
  }
}

absl::Status CsvSink::Create(const std::string& path, std::string_view header, File& file) {
  if (path.empty()) return absl::OkStatus();
  file.path = path == "-" ? "stdout" : path;
  if (path == "-") {
    file.handle = stdout;
    file.owned = false;
  } else {
    file.handle = std::fopen(path.c_str(), "w");
    if (file.handle == nullptr) {
      return absl::UnavailableError(absl::StrCat("cannot create ", path, ": ", ErrnoText(errno)));
    }
  }
  return Put(file, header);
}

absl::Status CsvSink::Put(File& file, std::string_view text) {
  if (file.handle == nullptr || text.empty()) return absl::OkStatus();
  if (std::fwrite(text.data(), 1, text.size(), file.handle) != text.size()) {
    return absl::UnavailableError(
        absl::StrCat("cannot write to ", file.path, ": ", ErrnoText(errno)));
  }
  return absl::OkStatus();
}

absl::Status CsvSink::Finish(File& file) {
  if (file.handle == nullptr) return absl::OkStatus();
  std::FILE* handle = file.handle;
  file.handle = nullptr;
  const bool flushed = std::fflush(handle) == 0 && std::ferror(handle) == 0;
  const int saved_errno = errno;
  const bool closed = !file.owned || std::fclose(handle) == 0;
  if (!flushed || !closed) {
    return absl::UnavailableError(absl::StrCat("cannot write to ", file.path, ": ",
                                               ErrnoText(flushed ? errno : saved_errno)));
  }
  return absl::OkStatus();
}

absl::Status CsvSink::Write(const GeneratedHost& host, std::string_view sample_rows) {
  if (absl::Status s = Put(samples_, sample_rows); !s.ok()) return s;
  buffer_.clear();
  AppendHostRow(host.spec, buffer_);
  if (absl::Status s = Put(hosts_, buffer_); !s.ok()) return s;
  buffer_.clear();
  AppendBreachRows(host, buffer_);
  return Put(breaches_, buffer_);
}

absl::Status CsvSink::Close() {
  absl::Status first = absl::OkStatus();
  for (File* file : {&samples_, &hosts_, &breaches_}) first.Update(Finish(*file));
  return first;
}

}  // namespace horizonscale::fleetgen

// Small helpers shared by the repositories: timestamps as SQL literals,
// bytea encoding, and libpqxx exceptions as absl::Status.
#pragma once

#include <deque>
#include <exception>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <absl/time/time.h>
#include <pqxx/pqxx>

namespace horizonscale::db {

// `time` as a timestamptz literal with microseconds, in UTC.
inline std::string SqlTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S+00", time, absl::UTCTimeZone());
}

// SQL expression reading a timestamptz column as Unix microseconds (bigint).
inline std::string MicrosOf(const std::string& column) {
  return "(extract(epoch from " + column + ") * 1000000)::bigint";
}

// Bytes as a bytea input literal in hex format ("\x0a1b...").
std::string ByteaHex(const std::string& bytes);

// Maps a libpqxx exception to a status: UNAVAILABLE for a lost connection,
// INTERNAL for anything else, with `what` naming the operation.
absl::Status DatabaseError(const std::exception& error, const std::string& what);

// Runs `body` (returning T or absl::StatusOr<T>), mapping exceptions with
// DatabaseError.
template <typename T, typename Body>
absl::StatusOr<T> RunSql(const std::string& what, Body&& body) {
  try {
    return body();
  } catch (const std::exception& error) {
    return DatabaseError(error, what);
  }
}

}  // namespace horizonscale::db

namespace horizonscale::db {

// Text parameters of one statement ($1, $2, ...), NULL allowed, for
// statements whose size varies (multi-row VALUES lists).
class SqlParams {
 public:
  // Appends a value and returns its placeholder ("$n").
  std::string Add(std::string value);
  // Appends NULL and returns its placeholder.
  std::string AddNull();
  int size() const { return static_cast<int>(pointers_.size()); }
  // The parameters for exec_params (pointers stay valid while *this lives).
  auto Dynamic() const { return pqxx::prepare::make_dynamic_params(pointers_); }

 private:
  std::deque<std::string> values_;  // stable addresses
  std::vector<const char*> pointers_;
};

// Most parameters one statement may carry (PostgreSQL allows 65535).
inline constexpr int kMaxStatementParams = 30'000;

}  // namespace horizonscale::db

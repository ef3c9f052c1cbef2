// Small helpers shared by the repositories: timestamps as SQL literals,
// bytea encoding, and libpqxx exceptions as absl::Status.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>
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

// Whether a libpqxx exception means the database could not be reached or
// the connection was lost (broken connection, commit outcome unknown, or an
// SQLSTATE of a connection exception, a server shutting down, crashed or
// starting up, or too many connections), rather than a failed statement.
bool IsConnectionFailure(const std::exception& error);

// Maps a libpqxx exception to a status: UNAVAILABLE when IsConnectionFailure,
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

// One array parameter in PostgreSQL's text form ("{"a","b",NULL}"), built
// element by element, so that a whole batch of rows travels as a few array
// parameters of one prepared statement (read back with unnest).
class SqlArray {
 public:
  // Appends an element (quoted and escaped as needed).
  void Add(std::string_view value);
  // Appends NULL.
  void AddNull();
  // Appends `value` formatted by libpqxx, or NULL when it is empty.
  template <typename T>
  void AddOptional(const std::optional<T>& value) {
    value.has_value() ? Add(pqxx::to_string(*value)) : AddNull();
  }
  // The literal, "{}" when empty.
  std::string Literal() const { return absl::StrCat("{", elements_, "}"); }

 private:
  void Separate();
  std::string elements_;
  bool empty_ = true;
};

}  // namespace horizonscale::db

#include "db/sql_support.h"

namespace horizonscale::db {

bool IsConnectionFailure(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
      dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr) {
    return true;
  }
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  if (sql == nullptr) return false;
  const std::string& state = sql->sqlstate();
  // 08: connection exception; 57P01-57P03: the server is shutting down,
  // crashed or is starting up; 53300: too many connections.
  return state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03" ||
         state == "53300";
}

std::string ByteaHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex = "\\x";
  hex.reserve(2 + 2 * bytes.size());
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0xf]);
  }
  return hex;
}

absl::Status DatabaseError(const std::exception& error, const std::string& what) {
  std::string message = error.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (IsConnectionFailure(error)) {
    return absl::UnavailableError(absl::StrCat(what, ": database connection lost: ", message));
  }
  return absl::InternalError(absl::StrCat(what, ": ", message));
}

void SqlArray::Separate() {
  if (!empty_) elements_.push_back(',');
  empty_ = false;
}

void SqlArray::Add(std::string_view value) {
  Separate();
  elements_.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') elements_.push_back('\\');
    elements_.push_back(c);
  }
  elements_.push_back('"');
}

void SqlArray::AddNull() {
  Separate();
  elements_ += "NULL";
}

}  // namespace horizonscale::db

#include "db/sql_support.h"

namespace horizonscale::db {

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
  if (dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr) {
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

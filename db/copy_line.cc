#include "db/copy_line.h"

#include <charconv>
#include <cmath>

#include <absl/strings/str_format.h>
#include <absl/time/civil_time.h>

namespace horizonscale::db {
namespace {

template <typename T>
void AppendFloating(std::string& out, T value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "Infinity" : "-Infinity";
  } else {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    out.append(buffer, result.ptr);
  }
}

}  // namespace

CopyLine& CopyLine::Text(std::string_view value) {
  fields_.push_back({std::string(value), false});
  return *this;
}

CopyLine& CopyLine::Null() {
  fields_.push_back({"", true});
  return *this;
}

CopyLine& CopyLine::Int(int64_t value) {
  fields_.push_back({std::to_string(value), false});
  return *this;
}

CopyLine& CopyLine::Double(double value) {
  CopyField field;
  AppendFloating(field.text, value);
  fields_.push_back(std::move(field));
  return *this;
}

CopyLine& CopyLine::RealArray(std::span<const double> values) {
  CopyField field;
  field.text.reserve(values.size() * 8 + 2);
  field.text += '{';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) field.text += ',';
    AppendFloating(field.text, static_cast<float>(values[i]));
  }
  field.text += '}';
  fields_.push_back(std::move(field));
  return *this;
}

CopyLine& CopyLine::Date(int64_t day) {
  fields_.push_back({IsoDate(day), false});
  return *this;
}

std::string IsoDate(int64_t day) {
  const absl::CivilDay civil = absl::CivilDay(1970, 1, 1) + day;
  return absl::StrFormat("%04d-%02d-%02d", civil.year(), civil.month(), civil.day());
}

}  // namespace horizonscale::db

#include "db/real_array.h"

#include <charconv>
#include <cmath>

#include <absl/strings/str_cat.h>

namespace horizonscale::db {

absl::StatusOr<std::vector<double>> ParseRealArray(std::string_view text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
    return absl::DataLossError(
        absl::StrCat("not an array literal: ", std::string(text.substr(0, 40))));
  }
  std::vector<double> values;
  std::string_view rest = text.substr(1, text.size() - 2);
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    const std::string_view element = rest.substr(0, comma);
    double value = 0;
    if (element == "NaN") {
      value = NAN;
    } else if (element == "Infinity") {
      value = INFINITY;
    } else if (element == "-Infinity") {
      value = -INFINITY;
    } else {
      const auto result = std::from_chars(element.data(), element.data() + element.size(), value);
      if (result.ec != std::errc() || result.ptr != element.data() + element.size()) {
        return absl::DataLossError(
            absl::StrCat("bad array element \"", std::string(element), "\""));
      }
    }
    values.push_back(value);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return values;
}

}  // namespace horizonscale::db

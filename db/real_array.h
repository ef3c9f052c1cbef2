// Reading PostgreSQL real[] / float8[] values in their text form.
#pragma once

#include <string_view>
#include <vector>

#include <absl/status/statusor.h>

namespace horizonscale::db {

// The numbers of a one-dimensional array literal such as "{1.5,-2,NaN}"
// ("Infinity", "-Infinity" and "NaN" included). DATA_LOSS for anything else
// (NULL elements included).
absl::StatusOr<std::vector<double>> ParseRealArray(std::string_view text);

}  // namespace horizonscale::db

#include <cmath>
#include <cstddef>
#include <span>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/boosted/internal/boosted_validation.h"

namespace horizonscale::forecast::internal {

absl::Status ValidateBoostedOptions(const BoostedOptions& options) {
  if (options.trees < 1 || options.trees > 10000) {
    return absl::InvalidArgumentError(
        absl::StrCat("trees must be in [1, 10000], got ", options.trees));
  }
  if (options.max_depth < 1 || options.max_depth > 16) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_depth must be in [1, 16], got ", options.max_depth));
  }
  if (!(options.learning_rate > 0 && options.learning_rate <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("learning_rate must be in (0, 1], got ", options.learning_rate));
  }
  if (options.threads < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be >= 0 (0: all cores), got ", options.threads));
  }
  if (options.training_window_days < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("training_window_days must be >= 1, got ", options.training_window_days));
  }
  if (options.max_training_rows < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_training_rows must be >= 1, got ", options.max_training_rows));
  }
  return absl::OkStatus();
}

absl::Status ValidateBoostedSeries(std::span<const BoostedSeries> series) {
  if (series.empty()) return absl::InvalidArgumentError("no series given");
  for (size_t i = 0; i < series.size(); ++i) {
    if (series[i].group < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("series ", i, ": group must be >= 0, got ", series[i].group));
    }
    const std::span<const double> values = series[i].values;
    for (size_t j = 0; j < values.size(); ++j) {
      if (!std::isfinite(values[j])) {
        return absl::InvalidArgumentError(
            absl::StrCat("series ", i, ": value ", j, " is not finite (", values[j], ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace horizonscale::forecast::internal

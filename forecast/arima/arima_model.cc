// Placeholder until the Arima model lands: FitModel refuses it.
#include <absl/status/status.h>

#include "forecast/internal/models.h"

namespace horizonscale::forecast::internal {

int ArimaMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitArimaModel(std::span<const double>,
                                                           const ModelOptions&) {
  return absl::UnimplementedError("the arima model is not available yet");
}

}  // namespace horizonscale::forecast::internal

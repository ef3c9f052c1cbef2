// Placeholder until the Prophet-style model lands.
#include <absl/status/status.h>

#include "forecast/internal/models.h"

namespace horizonscale::forecast::internal {

int ProphetMinimumLength(const ModelOptions&) { return 2; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitProphetModel(std::span<const double>,
                                                             const ModelOptions&) {
  return absl::UnimplementedError("the Prophet-style model is not implemented yet");
}

}  // namespace horizonscale::forecast::internal

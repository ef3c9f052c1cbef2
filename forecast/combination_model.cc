// Placeholder until the combination model lands: FitModel refuses it.
#include <absl/status/status.h>

#include "forecast/internal/models.h"

namespace horizonscale::forecast::internal {

int CombinationMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitCombinationModel(std::span<const double>,
                                                                 const ModelOptions&) {
  return absl::UnimplementedError("the combination model is not available yet");
}

}  // namespace horizonscale::forecast::internal

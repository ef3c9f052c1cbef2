// Placeholder until the Theta model lands: FitModel refuses it.
#include <absl/status/status.h>

#include "forecast/internal/models.h"

namespace horizonscale::forecast::internal {

int ThetaMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitThetaModel(std::span<const double>,
                                                           const ModelOptions&) {
  return absl::UnimplementedError("the theta model is not available yet");
}

}  // namespace horizonscale::forecast::internal

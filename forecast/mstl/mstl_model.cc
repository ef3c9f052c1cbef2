// Placeholder until the Mstl model lands: FitModel refuses it.
#include <absl/status/status.h>

#include "forecast/internal/models.h"

namespace horizonscale::forecast::internal {

int MstlMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitMstlModel(std::span<const double>,
                                                          const ModelOptions&) {
  return absl::UnimplementedError("the mstl model is not available yet");
}

}  // namespace horizonscale::forecast::internal

// Placeholder until the Ets model lands: FitModel refuses it.
#include <absl/status/status.h>

#include "forecast/internal/models.h"

namespace horizonscale::forecast::internal {

int EtsMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitEtsModel(std::span<const double>,
                                                         const ModelOptions&) {
  return absl::UnimplementedError("the ets model is not available yet");
}

}  // namespace horizonscale::forecast::internal

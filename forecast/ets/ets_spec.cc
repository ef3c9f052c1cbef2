#include "forecast/ets/internal/ets_spec.h"

#include <absl/strings/str_cat.h>

namespace horizonscale::forecast::internal {
namespace {

const char* Letter(EtsComponent component) {
  switch (component) {
    case EtsComponent::kNone:
      return "N";
    case EtsComponent::kAdditive:
      return "A";
    case EtsComponent::kMultiplicative:
      return "M";
  }
  return "?";
}

}  // namespace

std::string EtsMemberName(const EtsSpec& spec) {
  return absl::StrCat("ETS(", Letter(spec.error), ",", Letter(spec.trend), spec.damped ? "d" : "",
                      ",", Letter(spec.season), ")");
}

int EtsSmoothingParameterCount(const EtsSpec& spec) {
  return 1 + (spec.has_trend() ? 1 : 0) + (spec.has_season() ? 1 : 0) + (spec.damped ? 1 : 0);
}

int EtsInitialStateCount(const EtsSpec& spec) {
  return 1 + (spec.has_trend() ? 1 : 0) + (spec.has_season() ? spec.period - 1 : 0);
}

}  // namespace horizonscale::forecast::internal

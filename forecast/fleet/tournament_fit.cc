#include "forecast/fleet/internal/tournament_fit.h"

#include <cmath>

#include <absl/strings/str_cat.h>

namespace horizonscale::forecast::internal {
namespace {

// The options `kind` is fitted with on a series starting on `first_day`.
ModelOptions OptionsFor(ModelKind kind, const TournamentOptions& options, int64_t first_day) {
  ModelOptions model_options;
  model_options.seasonal_period = options.seasonal_period;
  if (kind == ModelKind::kHoltWinters) model_options.seasonality = Seasonality::kAdditive;
  model_options.origin_days = static_cast<double>(first_day);
  model_options.step_days = 1;
  model_options.prophet = options.prophet;
  return model_options;
}

}  // namespace

absl::StatusOr<std::vector<ForecastValue>> FitAndPredictRaw(ModelKind kind,
                                                            std::span<const double> values,
                                                            int64_t first_day, int horizon,
                                                            const TournamentOptions& options,
                                                            std::string* description) {
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(kind, values, OptionsFor(kind, options, first_day));
  if (!model.ok()) return model.status();
  std::vector<ForecastValue> forecasts = (*model)->Predict(horizon, options.interval_level);
  for (const ForecastValue& f : forecasts) {
    if (!std::isfinite(f.value) || !std::isfinite(f.lower) || !std::isfinite(f.upper)) {
      return absl::InternalError(
          absl::StrCat("the ", ModelName(kind), " model forecast a non-finite value"));
    }
  }
  if (description != nullptr) *description = (*model)->description();
  return forecasts;
}

}  // namespace horizonscale::forecast::internal

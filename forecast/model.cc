#include "forecast/model.h"

#include <cmath>

#include <absl/strings/str_cat.h>

#include "forecast/internal/models.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {

const char* ModelName(ModelKind kind) {
  switch (kind) {
    case ModelKind::kEwma:
      return "ewma";
    case ModelKind::kHolt:
      return "holt";
    case ModelKind::kHoltWinters:
      return "holt_winters";
    case ModelKind::kLinear:
      return "linear";
    case ModelKind::kSeasonal:
      return "seasonal";
    case ModelKind::kSeasonalNaive:
      return "seasonal_naive";
    case ModelKind::kProphet:
      return "prophet";
    case ModelKind::kXgboost:
      return "xgboost";
    case ModelKind::kEts:
      return "ets";
    case ModelKind::kTheta:
      return "theta";
    case ModelKind::kArima:
      return "arima";
    case ModelKind::kMstl:
      return "mstl";
    case ModelKind::kCombination:
      return "combination";
  }
  return "unknown";
}

std::optional<ModelKind> ModelKindFromName(std::string_view name) {
  for (ModelKind kind :
       {ModelKind::kEwma, ModelKind::kHolt, ModelKind::kHoltWinters, ModelKind::kLinear,
        ModelKind::kSeasonal, ModelKind::kSeasonalNaive, ModelKind::kProphet, ModelKind::kXgboost,
        ModelKind::kEts, ModelKind::kTheta, ModelKind::kArima, ModelKind::kMstl,
        ModelKind::kCombination}) {
    if (name == ModelName(kind)) return kind;
  }
  return std::nullopt;
}

int MinimumLength(ModelKind kind, const ModelOptions& options) {
  switch (kind) {
    case ModelKind::kEwma:
      return internal::EwmaMinimumLength(options);
    case ModelKind::kHolt:
      return internal::HoltMinimumLength(options);
    case ModelKind::kHoltWinters:
      return internal::HoltWintersMinimumLength(options);
    case ModelKind::kLinear:
      return internal::LinearMinimumLength(options);
    case ModelKind::kSeasonal:
      return internal::SeasonalMinimumLength(options);
    case ModelKind::kSeasonalNaive:
      return internal::SeasonalNaiveMinimumLength(options);
    case ModelKind::kProphet:
      return internal::ProphetMinimumLength(options);
    case ModelKind::kXgboost:
      return 0;
    case ModelKind::kEts:
      return internal::EtsMinimumLength(options);
    case ModelKind::kTheta:
      return internal::ThetaMinimumLength(options);
    case ModelKind::kArima:
      return internal::ArimaMinimumLength(options);
    case ModelKind::kMstl:
      return internal::MstlMinimumLength(options);
    case ModelKind::kCombination:
      return internal::CombinationMinimumLength(options);
  }
  return 0;
}

namespace {

// FitModel's checks of the values and options, before any fit.
absl::Status CheckFitInput(ModelKind kind, std::span<const double> values,
                           const ModelOptions& options) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("value at index ", i, " is not finite (", values[i], ")"));
    }
  }
  if (options.seasonal_period < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the seasonal period must be >= 0 steps, got ", options.seasonal_period));
  }
  const int needed = MinimumLength(kind, options);
  if (static_cast<int>(values.size()) < needed) {
    return InsufficientHistoryError(absl::StrCat(
        "the ", ModelName(kind), " model needs at least ", needed, " points of history",
        options.seasonal_period >= 2
            ? absl::StrCat(" with a seasonal period of ", options.seasonal_period, " steps")
            : std::string(),
        ", got ", values.size()));
  }
  return absl::OkStatus();
}

// The fit of `kind` to checked values.
absl::StatusOr<std::unique_ptr<FittedModel>> FitChecked(ModelKind kind,
                                                        std::span<const double> values,
                                                        const ModelOptions& options) {
  switch (kind) {
    case ModelKind::kEwma:
      return internal::FitEwmaModel(values, options);
    case ModelKind::kHolt:
      return internal::FitHoltModel(values, options);
    case ModelKind::kHoltWinters:
      return internal::FitHoltWintersModel(values, options);
    case ModelKind::kLinear:
      return internal::FitLinearModel(values, options);
    case ModelKind::kSeasonal:
      return internal::FitSeasonalModel(values, options);
    case ModelKind::kSeasonalNaive:
      return internal::FitSeasonalNaiveModel(values, options);
    case ModelKind::kProphet:
      return internal::FitProphetModel(values, options);
    case ModelKind::kXgboost:
      return absl::InvalidArgumentError(
          "the xgboost model is trained across a fleet (forecast/boosted/boosted_fleet_model.h), "
          "not "
          "fitted to one series");
    case ModelKind::kEts:
      return internal::FitEtsModel(values, options);
    case ModelKind::kTheta:
      return internal::FitThetaModel(values, options);
    case ModelKind::kArima:
      return internal::FitArimaModel(values, options);
    case ModelKind::kMstl:
      return internal::FitMstlModel(values, options);
    case ModelKind::kCombination:
      return internal::FitCombinationModel(values, options);
  }
  return absl::InvalidArgumentError("unknown model kind");
}

}  // namespace

absl::StatusOr<std::unique_ptr<FittedModel>> FitModel(ModelKind kind,
                                                      std::span<const double> values,
                                                      const ModelOptions& options) {
  if (absl::Status checked = CheckFitInput(kind, values, options); !checked.ok()) return checked;
  return FitChecked(kind, values, options);
}

absl::StatusOr<std::unique_ptr<FittedModel>> FittedModel::Refit(std::span<const double> values,
                                                                const ModelOptions& options) const {
  if (absl::Status checked = CheckFitInput(kind(), values, options); !checked.ok()) return checked;
  return RefitChecked(values, options);
}

absl::StatusOr<std::unique_ptr<FittedModel>> FittedModel::RefitChecked(
    std::span<const double> values, const ModelOptions& options) const {
  return FitChecked(kind(), values, options);
}

}  // namespace horizonscale::forecast

// Per-kind entry points behind FitModel (forecast/model.h), one pair per
// model family: the fewest values it needs and its fit. FitModel has already
// checked that every value is finite and that there are at least
// MinimumLength values; each fit checks its own options.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/model.h"

namespace horizonscale::forecast::internal {

// forecast/ewma.cc: simple exponential smoothing.
int EwmaMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitEwmaModel(std::span<const double> values,
                                                          const ModelOptions& options);

// forecast/ets/ets_model.cc: Holt and Holt-Winters, the ETS members R's
// holt() and hw() fit (and the whole family, below).
int HoltMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitHoltModel(std::span<const double> values,
                                                          const ModelOptions& options);
int HoltWintersMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitHoltWintersModel(std::span<const double> values,
                                                                 const ModelOptions& options);

// forecast/baseline_models.cc: linear trend, seasonal-naive.
int LinearMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitLinearModel(std::span<const double> values,
                                                            const ModelOptions& options);
int SeasonalNaiveMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitSeasonalNaiveModel(std::span<const double> values,
                                                                   const ModelOptions& options);

// forecast/decomposition_model.cc: seasonal decomposition. Its trend line is
// fitted on at most this many values (rounded down to whole seasons, but
// never fewer than two seasons).
inline constexpr int64_t kMaxTrendWindow = 5000;
int SeasonalMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitSeasonalModel(std::span<const double> values,
                                                              const ModelOptions& options);

// forecast/prophet/prophet_model.cc: the Prophet-style model.
int ProphetMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitProphetModel(std::span<const double> values,
                                                             const ModelOptions& options);

// forecast/ets/: the ETS family, member chosen by AICc.
int EtsMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitEtsModel(std::span<const double> values,
                                                         const ModelOptions& options);

// forecast/theta/: the Theta method.
int ThetaMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitThetaModel(std::span<const double> values,
                                                           const ModelOptions& options);

// forecast/arima/: seasonal ARIMA, orders chosen automatically.
int ArimaMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitArimaModel(std::span<const double> values,
                                                           const ModelOptions& options);

// forecast/mstl/: MSTL decomposition with ETS on the seasonally adjusted series.
int MstlMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitMstlModel(std::span<const double> values,
                                                          const ModelOptions& options);

// forecast/combination_model.cc: the mean of ETS, Theta and ARIMA.
int CombinationMinimumLength(const ModelOptions& options);
absl::StatusOr<std::unique_ptr<FittedModel>> FitCombinationModel(std::span<const double> values,
                                                                 const ModelOptions& options);
// The combination of `members` (fitted ETS, Theta or ARIMA models, at least
// one, all on the same series).
std::unique_ptr<FittedModel> CombineModels(std::vector<std::unique_ptr<FittedModel>> members);

}  // namespace horizonscale::forecast::internal

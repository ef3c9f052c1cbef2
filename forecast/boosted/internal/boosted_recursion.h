// Recursive multi-step forecasting of many series with one booster
// (forecast/boosted/boosted_fleet_model.h): per step, the feature rows of every
// series go to one XGBoost prediction, and each forecast is appended to its
// series to feed the next step. Thread-safe (the booster's Predict is).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <absl/status/status.h>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/boosted/internal/boosted_features.h"
#include "forecast/boosted/internal/boosted_xgboost.h"

namespace horizonscale::forecast::internal {

// Forecasts `horizon` days after the end of series[i] for every i in
// `indices` into (*result)[i] (resized to `horizon`). The series are
// validated and hold at least spec.min_history() values. INTERNAL when
// XGBoost fails.
absl::Status RecursiveForecast(const XgbBooster& booster, const BoostedFeatureSpec& spec,
                               std::span<const BoostedSeries> series,
                               std::span<const size_t> indices, int horizon,
                               std::vector<std::vector<double>>* result);

}  // namespace horizonscale::forecast::internal

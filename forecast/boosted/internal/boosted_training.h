// The training set of the global XGBoost model: which rows (series, day) are
// used and their features and targets (forecast/boosted/internal/boosted_features.h).
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/boosted/internal/boosted_features.h"

namespace horizonscale::forecast::internal {

// Dense row-major features and their targets.
struct BoostedTrainingSet {
  std::vector<float> features;  // rows × spec.num_features()
  std::vector<float> targets;   // rows
  int64_t rows = 0;
};

// Number of rows series of these lengths offer: for each, the targets at
// indices max(min_history, size − window) .. size − 1.
int64_t EligibleTrainingRows(std::span<const BoostedSeries> series, int min_history, int window);

// Splits a cap on training rows between groups offering `eligible` rows
// each (every entry >= 1), in proportion to them by largest remainder: the
// shares sum to min(cap, total eligible) but are at least 1 each and never
// more than the group offers.
std::vector<int64_t> SplitRowCap(int64_t cap, std::span<const int64_t> eligible);

// The rows of every series (already validated: finite values, groups >= 0)
// in the last `options.training_window_days` with at least
// spec.min_history() values before them; when there are more than
// `options.max_training_rows`, exactly that many drawn uniformly without
// replacement with `options.seed` (selection sampling, in series order).
BoostedTrainingSet BuildBoostedTrainingSet(std::span<const BoostedSeries> series,
                                           const BoostedFeatureSpec& spec,
                                           const BoostedOptions& options);

}  // namespace horizonscale::forecast::internal

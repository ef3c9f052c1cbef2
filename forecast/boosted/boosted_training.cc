#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/boosted/internal/boosted_features.h"
#include "forecast/boosted/internal/boosted_training.h"

namespace horizonscale::forecast::internal {
namespace {

// First target index of a series of `size` values (== size when none).
int64_t FirstTarget(int64_t size, int min_history, int window) {
  return std::min(size, std::max<int64_t>(min_history, size - window));
}

}  // namespace

int64_t EligibleTrainingRows(std::span<const BoostedSeries> series, int min_history, int window) {
  int64_t rows = 0;
  for (const BoostedSeries& s : series) {
    const auto size = static_cast<int64_t>(s.values.size());
    rows += size - FirstTarget(size, min_history, window);
  }
  return rows;
}

std::vector<int64_t> SplitRowCap(int64_t cap, std::span<const int64_t> eligible) {
  int64_t total = 0;
  for (int64_t e : eligible) total += e;
  std::vector<int64_t> shares(eligible.size());
  if (total <= cap) {
    std::copy(eligible.begin(), eligible.end(), shares.begin());
    return shares;
  }
  // Floors of the exact quotas, then one more row to the largest remainders.
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t g = 0; g < eligible.size(); ++g) {
    const double quota =
        static_cast<double>(cap) * static_cast<double>(eligible[g]) / static_cast<double>(total);
    shares[g] = static_cast<int64_t>(quota);
    given += shares[g];
    remainders.emplace_back(-(quota - static_cast<double>(shares[g])), g);
  }
  std::sort(remainders.begin(), remainders.end());
  for (size_t k = 0; given < cap && k < remainders.size(); ++k, ++given) {
    ++shares[remainders[k].second];
  }
  for (size_t g = 0; g < eligible.size(); ++g) {
    shares[g] = std::clamp<int64_t>(shares[g], 1, eligible[g]);
  }
  return shares;
}

BoostedTrainingSet BuildBoostedTrainingSet(std::span<const BoostedSeries> series,
                                           const BoostedFeatureSpec& spec,
                                           const BoostedOptions& options) {
  const int min_history = spec.min_history();
  const int window = options.training_window_days;
  const int columns = spec.num_features();
  const int64_t eligible = EligibleTrainingRows(series, min_history, window);
  const int64_t wanted = std::min(eligible, options.max_training_rows);

  BoostedTrainingSet set;
  set.features.resize(static_cast<size_t>(wanted) * columns);
  set.targets.resize(static_cast<size_t>(wanted));
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  int64_t seen = 0;
  for (const BoostedSeries& s : series) {
    const auto size = static_cast<int64_t>(s.values.size());
    const double scale = BoostedSeriesScale(s.values);
    for (int64_t t = FirstTarget(size, min_history, window); t < size; ++t, ++seen) {
      // Knuth's selection sampling: keep this row with probability
      // (still wanted) / (still unseen), which draws exactly `wanted` rows.
      const int64_t still_wanted = wanted - set.rows;
      if (still_wanted == 0) break;
      if (wanted < eligible && uniform(random) * static_cast<double>(eligible - seen) >=
                                   static_cast<double>(still_wanted)) {
        continue;
      }
      const auto row = static_cast<size_t>(set.rows++);
      const double anchor = BoostedFeatureRow(
          spec, s.values.first(static_cast<size_t>(t)), scale, s.first_day + t, s.group,
          std::span<float>(set.features).subspan(row * columns, columns));
      set.targets[row] = static_cast<float>((s.values[static_cast<size_t>(t)] - anchor) / scale);
    }
  }
  return set;
}

}  // namespace horizonscale::forecast::internal

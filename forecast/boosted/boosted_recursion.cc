#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <absl/status/status.h>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/boosted/internal/boosted_features.h"
#include "forecast/boosted/internal/boosted_recursion.h"
#include "forecast/boosted/internal/boosted_xgboost.h"

namespace horizonscale::forecast::internal {

absl::Status RecursiveForecast(const XgbBooster& booster, const BoostedFeatureSpec& spec,
                               std::span<const BoostedSeries> series,
                               std::span<const size_t> indices, int horizon,
                               std::vector<std::vector<double>>* result) {
  // Per series: its last `lookback` values followed by the forecasts so far.
  const size_t count = indices.size();
  const auto lookback = static_cast<size_t>(spec.min_history());
  const size_t stride = lookback + static_cast<size_t>(horizon);
  const auto columns = static_cast<size_t>(spec.num_features());
  std::vector<double> buffer(count * stride);
  std::vector<double> scales(count);
  for (size_t k = 0; k < count; ++k) {
    const std::span<const double> values = series[indices[k]].values;
    const std::span<const double> tail = values.last(lookback);
    std::copy(tail.begin(), tail.end(), buffer.begin() + static_cast<std::ptrdiff_t>(k * stride));
    scales[k] = BoostedSeriesScale(values);
    (*result)[indices[k]].assign(static_cast<size_t>(horizon), 0.0);
  }
  std::vector<float> features(count * columns);
  std::vector<double> anchors(count);
  std::vector<float> predicted(count);
  for (int step = 0; step < horizon; ++step) {
    for (size_t k = 0; k < count; ++k) {
      const BoostedSeries& s = series[indices[k]];
      const std::span<const double> history(buffer.data() + k * stride, lookback + step);
      const int64_t day = s.first_day + static_cast<int64_t>(s.values.size()) + step;
      anchors[k] = BoostedFeatureRow(spec, history, scales[k], day, s.group,
                                     std::span<float>(features).subspan(k * columns, columns));
    }
    if (absl::Status status = booster.Predict(features, static_cast<int64_t>(count), predicted);
        !status.ok()) {
      return status;
    }
    for (size_t k = 0; k < count; ++k) {
      const double value = anchors[k] + scales[k] * predicted[k];
      buffer[k * stride + lookback + step] = value;
      (*result)[indices[k]][step] = value;
    }
  }
  return absl::OkStatus();
}

}  // namespace horizonscale::forecast::internal

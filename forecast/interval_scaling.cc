#include "forecast/interval_scaling.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

namespace horizonscale::forecast {

double StandardizedError(const ForecastValue& forecast, double actual) {
  const double deviation = actual - forecast.value;
  if (deviation == 0) return 0;
  const double half_width =
      deviation > 0 ? forecast.upper - forecast.value : forecast.value - forecast.lower;
  if (!(half_width > 0)) return std::numeric_limits<double>::infinity();
  return std::abs(deviation) / half_width;
}

namespace {

// Counts of positions 0..size−1 in a Fenwick tree: add or remove one,
// and find the position of the k-th present one, each in O(log size).
class PositionCounts {
 public:
  explicit PositionCounts(size_t size) : tree_(size + 1, 0) {}

  void Add(size_t position, int delta) {
    for (size_t i = position + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += delta;
  }

  // The position of the (rank + 1)-th present position (rank < the count).
  size_t Select(int64_t rank) const {
    size_t position = 0;
    size_t step = 1;
    while (step * 2 < tree_.size()) step *= 2;
    for (; step > 0; step /= 2) {
      if (position + step < tree_.size() && tree_[position + step] <= rank) {
        position += step;
        rank -= tree_[position];
      }
    }
    return position;  // 1-based index position + 1, i.e. 0-based `position`
  }

 private:
  std::vector<int64_t> tree_;
};

}  // namespace

std::vector<double> WidthScales(const std::vector<std::vector<double>>& errors, double level) {
  const int steps = static_cast<int>(errors.size());
  std::vector<double> scales(steps, 1.0);
  // Every error's position in the sorted order of all of them; the pooled
  // window of steps slides forward (both of its ends only grow), so each
  // step's errors enter and leave the counts once, and each scale is an
  // order statistic of the counts: O(N log N) for N errors in all, where
  // copying and selecting each step's window would be O(N × window).
  std::vector<std::pair<double, size_t>> sorted;  // (error, index in `flat`)
  std::vector<size_t> first(steps + 1, 0);        // step k's errors: [first[k], first[k + 1])
  for (int k = 0; k < steps; ++k) {
    first[k + 1] = first[k] + errors[k].size();
    for (double error : errors[k]) {
      // A NaN (a forecast or interval that is not a number) covers nothing.
      sorted.emplace_back(std::isnan(error) ? std::numeric_limits<double>::infinity() : error,
                          sorted.size());
    }
  }
  std::sort(sorted.begin(), sorted.end());
  std::vector<size_t> position(sorted.size());
  for (size_t p = 0; p < sorted.size(); ++p) position[sorted[p].second] = p;
  PositionCounts counts(sorted.size());
  auto add_step = [&](int k, int delta) {
    for (size_t i = first[k]; i < first[k + 1]; ++i) counts.Add(position[i], delta);
  };
  int low = 0, high = -1;  // the steps whose errors are counted
  int64_t pooled = 0;
  for (int h = 0; h < steps; ++h) {
    const int half_window = std::max(2, h / 8);
    const int new_low = std::max(0, h - half_window);
    const int new_high = std::min(steps - 1, h + half_window);
    for (; high < new_high; ++high) {
      add_step(high + 1, +1);
      pooled += static_cast<int64_t>(errors[high + 1].size());
    }
    for (; low < new_low; ++low) {
      add_step(low, -1);
      pooled -= static_cast<int64_t>(errors[low].size());
    }
    if (pooled == 0) {
      if (h > 0) scales[h] = scales[h - 1];
      continue;
    }
    const auto covered = static_cast<int64_t>(std::ceil(level * static_cast<double>(pooled)));
    const int64_t rank = std::clamp<int64_t>(covered, 1, pooled) - 1;
    scales[h] = sorted[counts.Select(rank)].first;
  }
  return scales;
}

void ScaleIntervals(std::span<const double> scales, std::vector<ForecastValue>& forecasts) {
  if (scales.empty()) return;
  for (size_t h = 0; h < forecasts.size(); ++h) {
    const double scale = scales[std::min(h, scales.size() - 1)];
    ForecastValue& f = forecasts[h];
    // A side without width keeps none (an infinite scale would make it NaN).
    if (f.value > f.lower) f.lower = f.value - scale * (f.value - f.lower);
    if (f.upper > f.value) f.upper = f.value + scale * (f.upper - f.value);
  }
}

}  // namespace horizonscale::forecast

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "forecast/boosted/internal/boosted_features.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr int kLags[] = {1, 2, 3, 4, 5, 6, 7, 14, 21, 28};
constexpr int kNumLags = static_cast<int>(std::size(kLags));
// lags, mean_28, mean_91, trend_28, trend_91, dow, doy_sin, doy_cos, group.
constexpr int kNumCommon = kNumLags + 8;
constexpr int kNumYearly = 4;
constexpr int kScaleWindow = 365;
constexpr double kDaysPerYear = 365.2425;

// Mean of history[end - from .. end - to] (inclusive offsets from the end,
// from >= to >= 1): the values y_{t-from} .. y_{t-to}.
double MeanBack(const double* end, int from, int to) {
  double sum = 0;
  for (int k = to; k <= from; ++k) sum += *(end - k);
  return sum / (from - to + 1);
}

}  // namespace

int BoostedFeatureSpec::num_features() const { return kNumCommon + (yearly ? kNumYearly : 0); }

int BoostedFeatureSpec::min_history() const { return yearly ? 392 : 98; }

std::vector<std::string> BoostedFeatureSpec::names() const {
  std::vector<std::string> names;
  for (int lag : kLags) names.push_back("lag_" + std::to_string(lag));
  for (const char* name : {"mean_28", "mean_91", "trend_28", "trend_91"}) names.emplace_back(name);
  if (yearly) {
    for (const char* name : {"yoy_point", "yoy_week", "yoy_slope_28", "yoy_level"}) {
      names.emplace_back(name);
    }
  }
  for (const char* name : {"dow", "doy_sin", "doy_cos", "group"}) names.emplace_back(name);
  return names;
}

double BoostedSeriesScale(std::span<const double> values) {
  const size_t n = values.size();
  const size_t begin = n > kScaleWindow ? n - kScaleWindow : 0;
  double abs_change = 0;
  double abs_level = 0;
  for (size_t i = begin; i < n; ++i) {
    abs_level += std::abs(values[i]);
    if (i > begin) abs_change += std::abs(values[i] - values[i - 1]);
  }
  const size_t count = n - begin;
  const double mean_change = count > 1 ? abs_change / static_cast<double>(count - 1) : 0;
  const double floor = 1e-6 * std::max(1.0, abs_level / static_cast<double>(count));
  return std::max(mean_change, floor);
}

int DayOfWeek(int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

double BoostedFeatureRow(const BoostedFeatureSpec& spec, std::span<const double> history,
                         double scale, int64_t day, int group, std::span<float> out) {
  const double* end = history.data() + history.size();
  const double anchor = MeanBack(end, 7, 1);
  const double inv = 1.0 / scale;
  int column = 0;
  auto put = [&](double value) { out[column++] = static_cast<float>(value); };
  for (int lag : kLags) put((*(end - lag) - anchor) * inv);
  put((MeanBack(end, 28, 1) - anchor) * inv);
  put((MeanBack(end, 91, 1) - anchor) * inv);
  put((anchor - MeanBack(end, 35, 29)) * inv / 28);
  put((anchor - MeanBack(end, 98, 92)) * inv / 91);
  if (spec.yearly) {
    const double year_ago_week = MeanBack(end, 371, 365);
    put((*(end - 364) - year_ago_week) * inv);
    put((MeanBack(end, 364, 358) - year_ago_week) * inv);
    put((MeanBack(end, 364, 337) - MeanBack(end, 392, 365)) * inv / 28);
    put((anchor - year_ago_week) * inv);
  }
  put(DayOfWeek(day));
  const double day_of_year_mod = std::fmod(static_cast<double>(day), kDaysPerYear);
  const double phase = 2 * std::numbers::pi * day_of_year_mod / kDaysPerYear;
  put(std::sin(phase));
  put(std::cos(phase));
  put(group);
  return anchor;
}

}  // namespace horizonscale::forecast::internal

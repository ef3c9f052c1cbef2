// The features and target of the global XGBoost model (forecast/
// boosted_fleet_model.h), shared by training and recursive forecasting so
// both compute them with the same code. Pure functions; thread-safe.
//
// For the value y_t of a series at index t, with history y_0 .. y_{t-1}:
//   anchor A = mean(y_{t-7} .. y_{t-1})        (the last week's level)
//   scale  s = the series' scale (BoostedSeriesScale)
//   target   = (y_t - A) / s
// and the features, every level taken relative to A and divided by s (so the
// model is invariant to the series' level and scale):
//   lag_k      (y_{t-k} - A) / s for k = 1..7, 14, 21, 28
//   mean_28    (mean(y_{t-28} .. y_{t-1}) - A) / s
//   mean_91    (mean(y_{t-91} .. y_{t-1}) - A) / s
//   trend_28   (A - mean(y_{t-35} .. y_{t-29})) / (28 s)   mean daily change
//   trend_91   (A - mean(y_{t-98} .. y_{t-92})) / (91 s)
//   yearly only (spec.yearly), 364 = 52 weeks keeps the weekday:
//   yoy_point  (y_{t-364} - mean(y_{t-371} .. y_{t-365})) / s
//   yoy_week   (mean(y_{t-364} .. y_{t-358}) - mean(y_{t-371} .. y_{t-365})) / s
//   yoy_slope_28  (mean(y_{t-364} .. y_{t-337}) - mean(y_{t-392} .. y_{t-365})) / (28 s)
//                 last year's mean daily change over the 4 weeks from t
//   yoy_level  (A - mean(y_{t-371} .. y_{t-365})) / s   growth over a year
//   dow        day of week of t, 0 = Monday .. 6 = Sunday
//   doy_sin, doy_cos   sin / cos of 2π (day of t) / 365.2425
//   group      the series' group (e.g. resource index)
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace horizonscale::forecast::internal {

// Bumped whenever a feature's definition or order changes: a serialized model
// records it and Load refuses another.
inline constexpr int kBoostedFeatureVersion = 1;

// Which features a model uses.
struct BoostedFeatureSpec {
  // Whether the year-ago features (yoy_*) are included.
  bool yearly = true;

  // Number of features (columns).
  int num_features() const;
  // Fewest values of history a feature row needs: 392 with yearly features,
  // 98 without.
  int min_history() const;
  // Feature names in column order ("lag_1", ..., "group").
  std::vector<std::string> names() const;
};

// The series' scale s: the mean absolute daily change over its last 365
// values (all of them when shorter), floored at 1e-6 × max(1, mean |value|)
// so that a constant series gets a small positive scale. `values` non-empty.
double BoostedSeriesScale(std::span<const double> values);

// Day of week of `day` (days since 1970-01-01, a Thursday): 0 = Monday.
int DayOfWeek(int64_t day);

// Writes the feature row for the value that follows `history` into `out`
// (spec.num_features() floats) and returns the anchor A. `history` holds at
// least spec.min_history() values (only its end is read); `day` is the day of
// the value being predicted; `scale` > 0.
double BoostedFeatureRow(const BoostedFeatureSpec& spec, std::span<const double> history,
                         double scale, int64_t day, int group, std::span<float> out);

}  // namespace horizonscale::forecast::internal

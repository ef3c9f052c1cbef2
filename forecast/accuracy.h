// Forecast accuracy on held-out data: MAPE, sMAPE, MASE, RMSE and the
// coverage of prediction intervals. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>

#include "forecast/forecast.h"

namespace horizonscale::forecast {

// One held-out observation and what was forecast for it.
struct ScoredPoint {
  double actual = 0;
  ForecastValue forecast;
};

struct Accuracy {
  // Mean of |actual − forecast| / |actual| × 100 over the points whose
  // actual is not zero (MAPE is undefined at zero: those points are skipped
  // here and counted in zero_actuals; sMAPE, MASE and RMSE include them); 0
  // when every actual is zero (then zero_actuals == points_scored). "Zero"
  // means exactly 0.0.
  double mape_percent = 0;
  // Mean of 200 |a − f| / (|a| + |f|), a point with a = f = 0 counting 0.
  double smape_percent = 0;
  // MAE divided by `mase_scale` (see MaseScale); 0 when both are 0, +inf
  // when only the scale is (a scale that is not positive counts as 0).
  double mase = 0;
  double rmse = 0;
  // Share of points with lower <= actual <= upper.
  double interval_coverage = 0;
  int64_t points_scored = 0;
  int64_t zero_actuals = 0;
};

// The MASE denominator: the mean absolute error of the in-sample one-step
// seasonal-naive forecast y_t ≈ y_{t−m} on `training` (m = seasonal_period,
// or 1 — the naive forecast — when seasonal_period < 2 or the series is
// shorter than m + 1). 0 for fewer than 2 values.
double MaseScale(std::span<const double> training, int seasonal_period);

// Scores `points` (all zero when empty).
Accuracy Score(std::span<const ScoredPoint> points, double mase_scale);

// Score one point at a time, without keeping the points: Add each, then
// Result. The same points added in the same order give exactly what Score
// gives.
class AccuracyAccumulator {
 public:
  void Add(const ScoredPoint& point);
  Accuracy Result(double mase_scale) const;

 private:
  double absolute_percentage_ = 0;  // over non-zero actuals only
  double symmetric_percentage_ = 0;
  double absolute_ = 0;
  double squared_ = 0;
  int64_t covered_ = 0;
  int64_t zero_actuals_ = 0;
  int64_t count_ = 0;
};

}  // namespace horizonscale::forecast

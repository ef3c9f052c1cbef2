// Split-conformal calibration of prediction intervals: width multipliers
// per step ahead, learnt from how far held-out actuals fell from forecasts
// relative to the forecasts' own half-widths. Shared by the engine (per
// series, from its rolling-origin backtest) and the fleet tournament (per
// model, across the fleet: forecast/fleet/tournament_calibration.h).
// Pure; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "forecast/forecast.h"

namespace horizonscale::forecast {

// |actual − point| over the half-width on the actual's side: the smallest
// multiplier of the interval's half-widths that covers `actual`. 0 when the
// actual is the point; +inf when that side has no width.
double StandardizedError(const ForecastValue& forecast, double actual);

// Width multipliers for steps 1..errors.size() ahead (element h: h + 1
// steps) at nominal coverage `level` in (0, 1): for each step, the smallest
// multiplier that covers a `level` share of the standardized errors of the
// steps within ±max(2, h/8) of it (pooling neighbours smooths the table
// without blurring the short steps). errors[h] holds the standardized
// errors (StandardizedError) of forecasts h + 1 steps ahead (a NaN counts
// as +inf: nothing covers it); a step without any pooled error gets the
// previous step's multiplier (the first, 1).
std::vector<double> WidthScales(const std::vector<std::vector<double>>& errors, double level);

// Scales forecasts[h]'s half-widths around its point by scales[h] (a step
// beyond the table uses its last entry; a half-width of 0 stays 0); no-op
// for empty scales.
void ScaleIntervals(std::span<const double> scales, std::vector<ForecastValue>& forecasts);

}  // namespace horizonscale::forecast

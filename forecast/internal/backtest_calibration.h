// Calibration of a model's analytic prediction intervals on its own
// rolling-origin backtest (split conformal: forecast/interval_scaling.h),
// and the backtest of an equal-weight combination built from its members'
// backtests. Internal to hs_forecast (the engine's automatic selection).
// Pure; thread-safe.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "forecast/internal/backtest.h"

namespace horizonscale::forecast {

// Fewest backtest origins a calibration is learnt from: two per half of
// the cross-fit.
inline constexpr int kMinCalibrationOrigins = 4;

// Most steps ahead with a multiplier of their own; further steps take the
// last one (the pooled windows are wide there, and the multipliers vary
// slowly), which keeps calibrating a 10,000-step backtest to milliseconds.
inline constexpr size_t kMaxCalibratedSteps = 512;

struct BacktestCalibration {
  // Width multipliers per step ahead, up to kMaxCalibratedSteps (WidthScales
  // of the standardized errors of every origin; a narrowing one shrunk
  // towards 1 the fewer forecast windows the origins span, all within
  // [0.2, 100]: see backtest_calibration.cc); empty when the backtest cannot
  // be calibrated.
  std::vector<double> width_scales;
  // Share of held-out actuals inside the calibrated intervals, each half of
  // the origins scored with the scales learnt on the other half, so that no
  // actual is scored by an interval calibrated on it.
  double held_out_coverage = 0;
};

// Calibrates `backtest` (of a model with analytic intervals, run on
// `values`) at nominal coverage `level`. Without at least
// kMinCalibrationOrigins origins, or for a model without analytic
// intervals, the scales are empty and the coverage is the backtest's own.
BacktestCalibration CalibrateBacktest(const BacktestResult& backtest,
                                      std::span<const double> values, double level);

// The backtest of the equal-weight mean of `members` (at least one, all run
// on `values` with the same plan): per origin and step, the mean of their
// points and of their interval bounds; scored with `mase_scale`. Its
// interval is analytic when every member's is; its extended_to_end is the
// combination of the members'; its description and parameters are left
// empty.
BacktestResult CombineBacktests(std::span<const BacktestResult* const> members,
                                std::span<const double> values, double mase_scale);

}  // namespace horizonscale::forecast

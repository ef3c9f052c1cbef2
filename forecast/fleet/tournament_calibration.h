// Learns the tournament's interval calibration (forecast/
// interval_calibration.h) by replaying the tournament one horizon earlier on
// a sample of the fleet: each sampled series loses its last horizon_days
// days, the tournament runs on the rest exactly as it will on the whole
// history (same models, the boosted one included, same backtest and choice
// of champion), and the champion's forecast of the lost days is compared
// with what happened. The multiplier of a model at step h is the
// interval_level quantile of the standardized errors
// |actual − point| / (half-width on the actual's side) of its forecasts as
// champion at steps near h.
//
// Conditioning on the choice matters: a model is champion on the series it
// suits, where its errors are smaller than on average, so intervals
// calibrated on every series would be too wide for the golden forecasts.
// Pure; thread-safe.
#pragma once

#include <span>

#include <absl/status/statusor.h>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/fleet/fleet_boosting.h"
#include "forecast/fleet/interval_calibration.h"
#include "forecast/fleet/tournament.h"

namespace horizonscale::forecast {

struct CalibrationOptions {
  // Series of the sample, evenly spaced among those long enough (at least
  // twice horizon_days, and more than horizon_days + backtest_days + 1);
  // >= 1.
  int max_series = 600;
  // A model champion of fewer sampled series than this gets the multipliers
  // of all champions pooled; >= 1.
  int min_series_per_model = 30;
  // Threads running the sampled tournaments; >= 1.
  int threads = 1;
  // The fleet-wide boosted model's options when it competes; null when it
  // does not.
  const BoostedOptions* boosted = nullptr;
};

// The calibration of every model of the tournament (options.models, plus
// kXgboost when calibration.boosted is set) learnt on `fleet`; `options`
// must be valid, its own calibration is ignored. Without any series long
// enough the result is empty (sample_series 0: intervals stay as the models
// make them). INVALID_ARGUMENT for calibration options out of range; the
// boosted model's training errors.
absl::StatusOr<IntervalCalibration> CalibrateIntervals(std::span<const BoostingInput> fleet,
                                                       const TournamentOptions& options,
                                                       const CalibrationOptions& calibration);

}  // namespace horizonscale::forecast

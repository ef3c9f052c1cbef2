// The boosted contestant of the fleet tournament: the fleet-wide XGBoost
// model (forecast/boosted/boosted_fleet_model.h) trained on every series
// without its backtest window, then on everything (and, with a long
// backtest, a third time without the long backtest's window) — and turned
// into each series' ExternalForecasts (forecast/fleet/tournament.h) with
// intervals (the long backtest's from the same errors as the future's).
//
// Intervals come from the backtest errors pooled across the fleet: each error
// is divided by its series' scale (mean absolute daily change), and the
// (1 ∓ level)/2 quantiles of those scaled errors, per group and per step
// ahead, times a series' scale, are its interval offsets.
//  - The future forecasts' intervals use every series' backtest errors
//    (steps beyond the backtest window widen with sqrt(steps / window)).
//  - The backtest forecasts' own intervals, whose coverage the tournament
//    scores, must not be built from the errors they are scored on: the
//    series are split in two halves (even and odd positions) and each half's
//    intervals come from the other half's errors (cross-fitting).
// Pure; thread-safe; XGBoost uses BoostedOptions::threads threads.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/fleet/fleet_refinery.h"
#include "forecast/fleet/tournament.h"

namespace horizonscale::forecast {

// One series of the fleet and its group (e.g. the resource).
struct BoostingInput {
  const DailySeries* series = nullptr;
  int group = 0;
};

// The boosted forecasts of every input (same order), nullopt for a series too
// short for the model (fewer than MinimumHistory + backtest_days + 1 days).
// `tournament` gives the backtest window, horizon and interval level.
// Errors: Train's and Forecast's (e.g. INSUFFICIENT_HISTORY when no series is
// long enough).
absl::StatusOr<std::vector<std::optional<ExternalForecasts>>> ComputeBoostedForecasts(
    std::span<const BoostingInput> inputs, const TournamentOptions& tournament,
    const BoostedOptions& options);

// What the tournament of a series of `history_days` days is given in place of
// boosted forecasts it has none of: FAILED_PRECONDITION, reason
// INSUFFICIENT_HISTORY, with the days the model needs.
ExternalForecasts BoostedForecastsUnavailable(size_t history_days,
                                              const TournamentOptions& tournament,
                                              const BoostedOptions& options);

}  // namespace horizonscale::forecast

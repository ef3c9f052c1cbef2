// The heuristic initial state of an ETS member: R's forecast:::initstate
// (8.20). Internal to forecast/ets/.
#pragma once

#include <span>

#include "forecast/ets/internal/ets_spec.h"

namespace horizonscale::forecast::internal {

// Fewest values HeuristicInitialState accepts for `spec`: 1 without season;
// with one, max(4, m + 1) (R drops the season when n <= m and refuses n < 4).
int HeuristicInitialStateMinimumLength(const EtsSpec& spec);

// The state just before values[0] (next_season = 0: seasonals[k] applies to
// values[k]):
//  - season: with n >= 3m, the classical decomposition of all values (R's
//    `decompose`: centred moving average of order m, seasonal figure = mean
//    detrended value per position, centred to sum 0 / mean 1); with n < 3m,
//    the values detrended by the least-squares fit of y on 1, t, sin(2πt/m),
//    cos(2πt/m) (t = 1 … n; no sine for m = 2), taken as they are for the
//    positions 1 … m − 1. The index at position 0 is set so that the m
//    indices sum to 0 (additive) or m (multiplicative); multiplicative
//    indices are first floored at 0.01 and rescaled when they sum to more
//    than m.
//  - level (and trend): the mean (least-squares line at t = 0 and slope)
//    of the first min(max(10, 2m), n) seasonally adjusted values.
// Preconditions: values.size() >= HeuristicInitialStateMinimumLength(spec);
// all values > 0 for a multiplicative season.
EtsState HeuristicInitialState(std::span<const double> values, const EtsSpec& spec);

}  // namespace horizonscale::forecast::internal

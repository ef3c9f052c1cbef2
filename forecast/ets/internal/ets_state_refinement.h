// Gauss-Newton refinement of an ETS member's initial state with its
// smoothing parameters fixed. Internal to forecast/ets/.
#pragma once

#include <span>

#include "forecast/ets/internal/ets_spec.h"

namespace horizonscale::forecast::internal {

// Improves `initial` (level, trend, and the m − 1 free seasonal indices; the
// index at position 0 keeps the normalisation: sum 0 or m) for `spec` and
// `params` over `values`: one Gauss-Newton step on the sum of squared
// one-step errors (relative ones for multiplicative errors), with the
// Jacobian propagated through the recursions in O(n·p²) for p free states,
// shortened by halving until R's likelihood criterion improves on
// `likelihood` (the criterion at `initial`). Returns the criterion at the
// (possibly unchanged) state. Multiplicative seasonal indices stay >= 0.
double RefineInitialState(std::span<const double> values, const EtsSpec& spec,
                          const EtsParameters& params, double likelihood, EtsState& initial);

}  // namespace horizonscale::forecast::internal

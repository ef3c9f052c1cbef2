// The ETS state recursions (forecast/ets/internal/ets_spec.h), R's
// likelihood criterion, and point forecasts. Internal to forecast/ets/.
#pragma once

#include <span>
#include <vector>

#include "forecast/ets/internal/ets_spec.h"

namespace horizonscale::forecast::internal {

// What a pass of the recursions leaves behind for the likelihood.
struct EtsRunTotals {
  // Σ e_t² over the pass: e_t = y_t − ŷ_t for additive errors, the relative
  // error (y_t − ŷ_t) / ŷ_t for multiplicative ones.
  double sum_squared_errors = 0;
  // Σ log |ŷ_t| over the pass (computed for every member; only the
  // multiplicative-error likelihood uses it).
  double sum_log_abs_forecast = 0;
  int count = 0;  // observations in the pass
};

// Runs the recursions over `values` (the observations that follow `state`),
// updating `state` in place (its ring must hold spec.period indices when
// seasonal). Allocation-free, O(len(values)). A division by a seasonal index
// or q_t within 1e-10 of zero uses 1e10 instead, as R does; the totals may
// then be huge or non-finite, which EtsLikelihood turns into +inf.
EtsRunTotals RunEtsRecursions(std::span<const double> values, const EtsSpec& spec,
                              const EtsParameters& params, EtsState& state);

// R's optimisation criterion "lik" (−2 log-likelihood without constants):
// n·log(Σe²) for additive errors, n·log(Σe²) + 2·Σlog|ŷ_t| for
// multiplicative ones. Non-finite values give +inf; values below −1e10 (a
// perfect fit) give −1e10, as in R.
double EtsLikelihood(const EtsSpec& spec, const EtsRunTotals& totals);

// The point forecasts ŷ_{t+1|t} … ŷ_{t+horizon|t} from `state`: the
// recursions with zero errors, (ℓ + φ_h b) (+ or ×) s, φ_h = φ + … + φ^h.
std::vector<double> EtsPointForecasts(const EtsSpec& spec, const EtsParameters& params,
                                      const EtsState& state, int horizon);

}  // namespace horizonscale::forecast::internal

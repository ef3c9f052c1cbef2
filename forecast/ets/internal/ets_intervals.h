// The h-step forecast distribution of a fitted ETS member: mean and
// variance, for Gaussian innovations (Hyndman, Koehler, Ord & Snyder 2008,
// ch. 6). Internal to forecast/ets/.
#pragma once

#include <vector>

#include "forecast/ets/internal/ets_spec.h"

namespace horizonscale::forecast::internal {

struct EtsForecastMoments {
  std::vector<double> mean;      // E[y_{t+h} | state], h = 1 … horizon
  std::vector<double> variance;  // Var[y_{t+h} | state]
};

// The moments of y_{t+1} … y_{t+horizon} given `state` (the state after
// observation t) and the innovation variance `sigma2` (of the relative
// errors for multiplicative errors):
//  - class 1 (additive error, no or additive season): the point forecast
//    and σ² (1 + Σ_{j<h} c_j²), c_j = α + β φ_j + γ [j mod m = 0]
//    (φ_j = φ + … + φ^j);
//  - class 2 (multiplicative error, no or additive season): the point
//    forecast μ_h and (1 + σ²) θ_h − μ_h², θ_1 = μ_1²,
//    θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j};
//  - class 3 (multiplicative error and season): exact first and second
//    moments by a recursion over the level/trend state weighted by the
//    seasonal growth factors Π(1 + γ ε) that reach step h: O(h) per step,
//    O(horizon²) in all, for any period. For h > m the mean differs from
//    the point forecast (by O(γσ²)). R's class3 computes the same moments
//    with Kronecker products in O(h (2m)³), but for a damped trend it uses
//    ℓ + b where the model has ℓ + φ b, so R's ETS(M,Ad,M) forecasts differ
//    from these by (1 − φ) b s from the first step on.
// Additive error with multiplicative season is not a member (R's restrict).
EtsForecastMoments EtsForecastDistribution(const EtsSpec& spec, const EtsParameters& params,
                                           const EtsState& state, double sigma2, int horizon);

}  // namespace horizonscale::forecast::internal

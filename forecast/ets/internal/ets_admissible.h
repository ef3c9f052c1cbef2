// R's admissibility test of ETS smoothing parameters (forecast:::admissible,
// 8.20): whether the model forecasts stably (Hyndman, Akram & Archibald
// 2008). Internal to forecast/ets/.
#pragma once

#include "forecast/ets/internal/ets_spec.h"

namespace horizonscale::forecast::internal {

// Whether `params` are admissible for `spec`. Without season: α and β inside
// the region given by φ. With one (m = spec.period): R's linear conditions on
// α, β, γ, φ and every root of the characteristic polynomial
// φ(1 − α − γ) + (α + β − αφ + γ − 1) z + (α + β − αφ)(z² + … + z^{m−1})
// + (α + β − φ) z^m + z^{m+1} inside the closed unit disk, tested by the
// Schur–Cohn recursion in O(m²) on the polynomial in z / (1 + 1e-6) (R allows
// roots up to modulus 1 + 1e-10; a root on the unit circle, as z = 1 always is
// without trend, must pass).
bool EtsAdmissible(const EtsSpec& spec, const EtsParameters& params);

}  // namespace horizonscale::forecast::internal

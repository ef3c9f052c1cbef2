// The standard normal quantile. Pure; thread-safe.
#pragma once

namespace horizonscale::numerics {

// Standard normal quantile Φ⁻¹(p) for p in (0, 1) (Acklam's rational
// approximation refined by one Halley step; |error| < 1e-12). −∞ at 0, +∞ at
// 1, NaN outside [0, 1].
double NormalQuantile(double p);

}  // namespace horizonscale::numerics

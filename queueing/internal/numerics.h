// Special functions and sums shared by the queueing models. Internal to
// hs_queueing: not part of the public contract (queueing.h).
//
// All functions are pure and thread-safe (no global state; LogGamma uses the
// re-entrant lgamma_r, not lgamma, which writes the global `signgam`).
#pragma once

#include <cstdint>

namespace horizonscale::queueing::internal {

// (1 − e^{−x}) / x for x >= 0, with the limit 1 at x = 0; computed with expm1
// so that it is accurate for tiny x (no cancellation). Lies in (0, 1].
double OneMinusExpOverX(double x);

// Σ_{i=0}^{n−1} exp(log_first + i · log_ratio) for n >= 0 (0 when n <= 0),
// for a ratio of either side of 1, without forming r^n when it would
// overflow: the largest term is factored out and the rest summed in closed
// form with expm1. Accurate to a few ulps; underflows gracefully to 0.
double ScaledGeometricSum(double log_first, double log_ratio, int64_t n);

// Mean index of the truncated geometric law P(i) ∝ exp(i · log_ratio),
// i = 0..n−1 (0 when n <= 1), stable for log_ratio near 0 (where it tends to
// (n−1)/2) and for large n.
double TruncatedGeometricMean(int64_t n, double log_ratio);

// ln Γ(x) for x > 0 (re-entrant).
double LogGamma(double x);

// ln(mean^k e^{−mean} / Γ(k+1)) for real k >= 0 and mean >= 0: the Poisson
// probability mass at integer k, and the gamma-density kernel otherwise.
// Uses Loader's saddle-point form (Stirling error + deviance), accurate to a
// few ulps even when k and mean are in the millions.
double LogPoissonPmf(double k, double mean);

// Regularized incomplete gamma functions P(k, x) = γ(k, x)/Γ(k) and
// Q(k, x) = 1 − P(k, x) for shape k > 0 and x >= 0: series for x < k + 1,
// continued fraction (modified Lentz) otherwise. O(sqrt(k)) iterations near
// x ≈ k; meant for k up to ~1e4 (larger shapes use a normal approximation in
// the callers).
double RegularizedGammaP(double k, double x);
double RegularizedGammaQ(double k, double x);

// ln Φ(z) for the standard normal CDF Φ, finite for every finite z
// (asymptotic series in the far lower tail, where Φ underflows).
double LogNormalCdf(double z);

// E[1 / (k + N)] for N ~ Poisson(mean), k > 0, mean >= 0: summed outward
// from the mode until the terms are negligible. O(sqrt(mean)) terms.
double PoissonMeanOfReciprocal(double k, double mean);

}  // namespace horizonscale::queueing::internal

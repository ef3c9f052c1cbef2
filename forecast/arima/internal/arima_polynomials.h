// Lag polynomials of seasonal ARIMA models: expansion of the multiplicative
// seasonal form, root conditions (stationarity, invertibility), R's
// partial-autocorrelation reparameterisation of AR coefficients and the
// reflection of non-invertible MA roots. Internal to forecast/arima/.
//
// Conventions (those of R's stats::arima): an AR polynomial with coefficients
// a_1..a_p is 1 − a_1 B − ... − a_p B^p; an MA polynomial with coefficients
// b_1..b_q is 1 + b_1 B + ... + b_q B^q.
#pragma once

#include <span>
#include <vector>

namespace horizonscale::forecast::internal {

// Coefficients of the AR polynomial (1 − Σ ar_i B^i)(1 − Σ sar_j B^{jm}),
// length p + m·P (index k − 1 holds the coefficient of B^k, same sign
// convention). m >= 1.
std::vector<double> ExpandAr(std::span<const double> ar, std::span<const double> sar, int m);

// Coefficients of the MA polynomial (1 + Σ ma_i B^i)(1 + Σ sma_j B^{jm}),
// length q + m·Q. m >= 1.
std::vector<double> ExpandMa(std::span<const double> ma, std::span<const double> sma, int m);

// Whether every root of 1 − Σ a_k z^k has modulus > `radius` (> 0), decided
// by the Schur–Cohn step-down recursion on the coefficients a_k·radius^k (no
// root finding). An empty or all-zero `a` qualifies. For an MA polynomial
// 1 + Σ b_k z^k pass −b.
bool RootsOutside(std::span<const double> a, double radius);

// R's ARIMA_transPars for one AR block: the coefficients whose partial
// autocorrelations are tanh(raw_k) (Durbin–Levinson), always stationary.
// `out` has the size of `raw`.
void PacfToAr(std::span<const double> raw, std::span<double> out);

// The inverse of PacfToAr for stationary `ar`: atanh of its partial
// autocorrelations, each clamped to |·| <= 1 − 1e-8 first.
std::vector<double> ArToPacf(std::span<const double> ar);

// The MA coefficients with every root of 1 + Σ ma_k z^k inside the unit
// circle replaced by its reciprocal (R's maInvert): the same
// autocorrelations, invertible. Trailing zero coefficients are kept.
std::vector<double> InvertMa(std::span<const double> ma);

// The first `count` ψ-weights (ψ_0 = 1) of the process with AR coefficients
// `phi` and MA coefficients `theta`: the coefficients of
// (1 + Σ θ_k B^k) / (1 − Σ φ_k B^k). `phi` may have unit roots (an ARIMA's
// differencing folded in).
std::vector<double> PsiWeights(std::span<const double> phi, std::span<const double> theta,
                               int count);

}  // namespace horizonscale::forecast::internal

// The Kalman filter of a stationary ARMA process in Harvey's state-space form
// (Harvey 1989 §3.4; the form of R's stats::arima, Gardner, Harvey & Phillips
// 1980), started at the stationary distribution, so that the innovations it
// yields give the exact Gaussian likelihood. Internal to forecast/arima/.
//
// With r = max(p, q + 1) the state α_t (r values) evolves as
// α_t = T α_{t−1} + R ε_t, w_t = α_t[0], where T has φ in its first column and
// ones on its superdiagonal and R = (1, θ_1, ..., θ_{r−1}). Instead of the
// r×r covariance recursion the filter runs the Chandrasekhar recursions
// (Morf, Sidhu & Kailath 1974; Herbst 2015): started at the stationary
// covariance Σ, the covariance increments P_{t+1} − P_t have rank one, so
// each step costs O(r) instead of O(r²). Only the first column of Σ is
// needed, which follows from the autocovariances γ(0..r−1) and the ψ-weights.
// Once the rank-one increments fall below the rounding of F_t (after r steps
// for a pure AR, geometrically for an invertible MA) the gain is frozen and a
// step only moves the state.
//
// Units: innovation variance 1 (the likelihood concentrates σ² out).
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace horizonscale::forecast::internal {

class ArmaKalmanFilter {
 public:
  // Starts the filter for AR coefficients `phi` and MA coefficients `theta`
  // (sign conventions of internal/arima_polynomials.h; either may be empty),
  // in the stationary state with nothing observed. Returns false, leaving the
  // filter unusable, when the AR part is not stationary or its autocovariance
  // is not finite and positive. Reuses its storage across calls.
  bool Start(std::span<const double> phi, std::span<const double> theta);

  // Absorbs the next value w_t: returns the innovation v_t = w_t − E[w_t |
  // w_1..w_{t−1}] and sets *variance to its variance F_t (>= 1 in exact
  // arithmetic, → 1 as the filter converges for an invertible MA part).
  // F_t is NaN or <= 0 only if the recursions broke down numerically.
  double Update(double w, double* variance);

  // Absorbs w_t − shift for each value of `w` (as Update) and sets *ssq to
  // Σ v_t² / F_t and *sumlog to Σ log F_t, the exact Gaussian likelihood's
  // ingredients; with `standardised` non-empty (w.size() values) it receives
  // v_t / sqrt(F_t). False when the recursions break down or a sum is not
  // finite.
  bool Likelihood(std::span<const double> w, double shift, std::span<double> standardised,
                  double* ssq, double* sumlog);

  // E[w_{t+k} | w_1..w_t] for k = 1..out.size(), t the last absorbed value.
  void Forecast(std::span<double> out) const;

 private:
  // Update's body (inlined into Likelihood); also sets *inverse to 1 / F_t.
  [[gnu::always_inline]] double Advance(double w, double* variance, double* inverse);

  // out = T x (out and x distinct, both of size r).
  void ApplyTransition(std::span<const double> x, std::span<double> out) const;

  std::vector<double> phi_;    // φ padded with zeros to r
  std::vector<double> state_;  // a_t = E[α_t | w_1..w_{t−1}], then a 0 (r + 1 values)
  std::vector<double> gain_;   // K_t = T P_t Z'
  std::vector<double> w_;      // P_{t+1} − P_t = m_ · W W', W = w_[0..r), then a 0
  std::vector<double> scratch_;
  std::vector<double> psi_, gamma_, work_;  // Start's scratch
  std::vector<size_t> ar_lags_, ma_lags_;   // Start's scratch: nonzero lags
  double f_ = 1;                            // F_t = P_t[0][0]
  double inverse_f_ = 1;
  double m_ = 0;
  // K_t and F_t have stopped changing (W_t negligible): only the state moves.
  bool converged_ = false;
};

}  // namespace horizonscale::forecast::internal

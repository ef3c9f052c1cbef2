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
//
// Units: innovation variance 1 (the likelihood concentrates σ² out).
#pragma once

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

  // E[w_{t+k} | w_1..w_t] for k = 1..out.size(), t the last absorbed value.
  void Forecast(std::span<double> out) const;

 private:
  // out = T x (out and x distinct, both of size r).
  void ApplyTransition(std::span<const double> x, std::span<double> out) const;

  std::vector<double> phi_;    // φ padded with zeros to r
  std::vector<double> state_;  // a_t = E[α_t | w_1..w_{t−1}]
  std::vector<double> gain_;   // K_t = T P_t Z'
  std::vector<double> w_;      // P_{t+1} − P_t = m_ · w_ w_'
  std::vector<double> scratch_;
  double f_ = 1;  // F_t = P_t[0][0]
  double m_ = 0;
};

}  // namespace horizonscale::forecast::internal

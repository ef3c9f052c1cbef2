// The Kalman filter of a stationary ARMA process (internal/arima_kalman.h).
#include "forecast/arima/internal/arima_kalman.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <span>
#include <vector>

#include <Eigen/Dense>

#include "forecast/arima/internal/arima_polynomials.h"

namespace horizonscale::forecast::internal {
namespace {

// Autocovariances γ(0..count−1) of the ARMA(phi, theta) process with unit
// innovation variance, given its ψ-weights psi (at least q + 1 of them):
// γ(k) − Σ φ_j γ(|k − j|) = Σ_{j>=k} θ_j ψ_{j−k} (θ_0 = 1), a linear system
// for γ(0..p), then the same recursion upwards. Empty when the system is
// singular.
std::vector<double> Autocovariances(std::span<const double> phi, std::span<const double> theta,
                                    std::span<const double> psi, size_t count) {
  const size_t p = phi.size();
  const size_t q = theta.size();
  auto moving_term = [&](size_t k) {
    double sum = 0;
    for (size_t j = k; j <= q; ++j) sum += (j == 0 ? 1.0 : theta[j - 1]) * psi[j - k];
    return sum;
  };
  std::vector<double> gamma(std::max(count, p + 1), 0.0);
  const int size = static_cast<int>(p + 1);
  Eigen::MatrixXd a = Eigen::MatrixXd::Identity(size, size);
  Eigen::VectorXd b(size);
  for (size_t k = 0; k <= p; ++k) {
    for (size_t j = 1; j <= p; ++j) {
      const size_t lag = k >= j ? k - j : j - k;
      a(static_cast<int>(k), static_cast<int>(lag)) -= phi[j - 1];
    }
    b(static_cast<int>(k)) = moving_term(k);
  }
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(a);
  const Eigen::VectorXd solution = lu.solve(b);
  for (size_t k = 0; k <= p; ++k) gamma[k] = solution(static_cast<int>(k));
  for (size_t k = p + 1; k < gamma.size(); ++k) {
    double value = k <= q ? moving_term(k) : 0.0;
    for (size_t j = 1; j <= p; ++j) value += phi[j - 1] * gamma[k - j];
    gamma[k] = value;
  }
  gamma.resize(count);
  return gamma;
}

}  // namespace

bool ArmaKalmanFilter::Start(std::span<const double> phi, std::span<const double> theta) {
  if (!RootsOutside(phi, 1.0)) return false;
  const size_t r = std::max(phi.size(), theta.size() + 1);
  phi_.assign(r, 0.0);
  std::copy(phi.begin(), phi.end(), phi_.begin());
  const std::vector<double> psi = PsiWeights(phi, theta, static_cast<int>(r));
  const std::vector<double> gamma = Autocovariances(phi, theta, psi, r);
  if (!(gamma[0] > 0) || !std::isfinite(gamma[0])) return false;
  // First column of the stationary state covariance: Cov(α[i], w) =
  // Σ_{k=0}^{r−1−i} (φ_{i+1+k} γ(k + 1) + θ_{i+k} ψ_k).
  scratch_.assign(r, 0.0);
  scratch_[0] = gamma[0];
  for (size_t i = 1; i < r; ++i) {
    double sum = 0;
    for (size_t k = 0; k + i < r; ++k) {
      sum += phi_[i + k] * (k + 1 < r ? gamma[k + 1] : 0.0);
      if (i + k <= theta.size()) sum += theta[i + k - 1] * psi[k];
    }
    scratch_[i] = sum;
  }
  gain_.assign(r, 0.0);
  ApplyTransition(scratch_, gain_);
  w_ = gain_;
  f_ = gamma[0];
  m_ = -1 / f_;
  state_.assign(r, 0.0);
  return true;
}

double ArmaKalmanFilter::Update(double w, double* variance) {
  const size_t r = state_.size();
  const double innovation = w - state_[0];
  const double f = f_;
  *variance = f;
  // a_{t+1} = T a_t + K_t v_t / F_t.
  ApplyTransition(state_, scratch_);
  const double step = innovation / f;
  for (size_t i = 0; i < r; ++i) state_[i] = scratch_[i] + gain_[i] * step;
  // Chandrasekhar: with g = Z W_t, F_{t+1} = F_t + M g², K_{t+1} = K_t + M g T W_t,
  // W_{t+1} = T W_t − (g / F_{t+1}) K_{t+1}, M_{t+1} = M F_{t+1} / F_t.
  const double g = w_[0];
  const double f_next = f + m_ * g * g;
  ApplyTransition(w_, scratch_);
  const double gain_step = m_ * g;
  for (size_t i = 0; i < r; ++i) gain_[i] += gain_step * scratch_[i];
  const double shrink = g / f_next;
  for (size_t i = 0; i < r; ++i) w_[i] = scratch_[i] - shrink * gain_[i];
  m_ *= f_next / f;
  f_ = f_next;
  return innovation;
}

void ArmaKalmanFilter::Forecast(std::span<double> out) const {
  std::vector<double> a = state_;
  std::vector<double> next(a.size());
  for (double& value : out) {
    value = a[0];
    ApplyTransition(a, next);
    a.swap(next);
  }
}

void ArmaKalmanFilter::ApplyTransition(std::span<const double> x, std::span<double> out) const {
  const size_t r = phi_.size();
  const double head = x[0];
  for (size_t i = 0; i + 1 < r; ++i) out[i] = phi_[i] * head + x[i + 1];
  out[r - 1] = phi_[r - 1] * head;
}

}  // namespace horizonscale::forecast::internal

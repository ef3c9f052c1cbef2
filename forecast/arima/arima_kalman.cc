// The Kalman filter of a stationary ARMA process (internal/arima_kalman.h).
#include "forecast/arima/internal/arima_kalman.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

namespace horizonscale::forecast::internal {
namespace {

// The filter is taken as converged when M_t·max W_t[i]² (a bound on every
// element of the next covariance increment) is at most this fraction of F_t.
constexpr double kConvergedIncrement = 1e-16;

// Two doubles (GCC/Clang vector extension: SSE2 on x86-64, NEON on ARM64).
// Element-wise arithmetic in the same order as the scalar code, so results
// do not depend on the width.
using Pair = double __attribute__((vector_size(16)));

Pair Load(const double* p) {
  Pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

void Store(double* p, Pair v) { std::memcpy(p, &v, sizeof v); }

// Autocovariances γ(0..count−1) of the ARMA(phi, theta) process with unit
// innovation variance, into `gamma`; false when the AR part is not
// stationary. O(p² + count·q) with no linear solve: the step-down
// (Schur–Cohn) recursion gives the partial autocorrelations κ_k of the AR
// part (stationary iff all |κ_k| < 1), the Levinson step-up recursion turns
// them into the autocorrelations of u = ε / φ(B), and
// γ(k) = Σ_{i,j} θ_i θ_j γ_u(k + j − i) (θ_0 = 1) for x = θ(B) u.
// `work` is scratch storage.
bool Autocovariances(std::span<const double> phi, std::span<const double> theta, size_t count,
                     std::vector<double>& work, std::vector<double>& gamma) {
  const size_t p = phi.size();
  const size_t q = theta.size();
  // work: [0, p) coefficients, [p, 2p) κ, [2p, 3p) scratch, then γ_u.
  const size_t lags = count + q;  // γ_u(0..lags−1)
  work.assign(3 * p + std::max(lags, p + 1), 0.0);
  double* c = work.data();
  double* kappa = c + p;
  double* next = kappa + p;
  double* gamma_u = next + p;
  std::copy(phi.begin(), phi.end(), c);
  for (size_t k = p; k >= 1; --k) {
    const double reflection = c[k - 1];
    if (!(std::abs(reflection) < 1)) return false;
    kappa[k - 1] = reflection;
    const double scale = 1 / (1 - reflection * reflection);
    for (size_t j = 0; j + 1 < k; ++j) next[j] = (c[j] + reflection * c[k - 2 - j]) * scale;
    std::copy(next, next + (k - 1), c);
  }
  // Step-up: c holds the order-k AR coefficients, v = Π_{i<=k} (1 − κ_i²).
  double v = 1;
  gamma_u[0] = 1;  // autocorrelations first
  for (size_t k = 1; k <= p; ++k) {
    double rho = kappa[k - 1] * v;
    for (size_t j = 1; j < k; ++j) rho += c[j - 1] * gamma_u[k - j];
    gamma_u[k] = rho;
    for (size_t j = 1; j < k; ++j) next[j - 1] = c[j - 1] - kappa[k - 1] * c[k - j - 1];
    std::copy(next, next + (k - 1), c);
    c[k - 1] = kappa[k - 1];
    v *= 1 - kappa[k - 1] * kappa[k - 1];
  }
  if (!(v > 0)) return false;
  const double variance = 1 / v;
  for (size_t k = 0; k <= p; ++k) gamma_u[k] *= variance;
  for (size_t k = p + 1; k < lags; ++k) {
    double value = 0;
    for (size_t j = 1; j <= p; ++j) {
      if (phi[j - 1] != 0) value += phi[j - 1] * gamma_u[k - j];
    }
    gamma_u[k] = value;
  }
  gamma.assign(count, 0.0);
  auto theta_at = [&](size_t i) { return i == 0 ? 1.0 : theta[i - 1]; };
  for (size_t i = 0; i <= q; ++i) {
    const double ti = theta_at(i);
    if (ti == 0) continue;
    for (size_t j = 0; j <= q; ++j) {
      const double tj = theta_at(j);
      if (tj == 0) continue;
      const double weight = ti * tj;
      // γ(k) += θ_i θ_j γ_u(|k + j − i|).
      for (size_t k = 0; k < count; ++k) {
        const size_t lag = k + j >= i ? k + j - i : i - k - j;
        gamma[k] += weight * gamma_u[lag];
      }
    }
  }
  return true;
}

}  // namespace

bool ArmaKalmanFilter::Start(std::span<const double> phi, std::span<const double> theta) {
  const size_t r = std::max(phi.size(), theta.size() + 1);
  if (!Autocovariances(phi, theta, r, work_, gamma_)) return false;
  const std::vector<double>& gamma = gamma_;
  if (!(gamma[0] > 0) || !std::isfinite(gamma[0])) return false;
  phi_.assign(r, 0.0);
  std::copy(phi.begin(), phi.end(), phi_.begin());
  // The nonzero lags (seasonal polynomials are sparse).
  ar_lags_.clear();
  ma_lags_.clear();
  for (size_t j = 1; j <= phi.size(); ++j) {
    if (phi[j - 1] != 0) ar_lags_.push_back(j);
  }
  for (size_t j = 1; j <= theta.size(); ++j) {
    if (theta[j - 1] != 0) ma_lags_.push_back(j);
  }
  // ψ-weights ψ_0..ψ_{r−1}.
  psi_.assign(r, 0.0);
  for (size_t j = 0; j < r; ++j) {
    double value = j == 0 ? 1.0 : (j <= theta.size() ? theta[j - 1] : 0.0);
    for (const size_t lag : ar_lags_) {
      if (lag > j) break;
      value += phi[lag - 1] * psi_[j - lag];
    }
    psi_[j] = value;
  }
  const std::vector<double>& psi = psi_;
  // First column of the stationary state covariance: Cov(α[i], w) =
  // Σ_{k=0}^{r−1−i} (φ_{i+1+k} γ(k + 1) + θ_{i+k} ψ_k), over the nonzero
  // φ_j (j = i + 1 + k) and θ_j (j = i + k).
  scratch_.assign(r, 0.0);
  scratch_[0] = gamma[0];
  for (size_t i = 1; i < r; ++i) {
    double sum = 0;
    for (const size_t j : ar_lags_) {
      if (j >= i + 1 && j - i < r) sum += phi[j - 1] * gamma[j - i];
    }
    for (const size_t j : ma_lags_) {
      if (j >= i) sum += theta[j - 1] * psi[j - i];
    }
    scratch_[i] = sum;
  }
  gain_.assign(r, 0.0);
  ApplyTransition(scratch_, gain_);
  // w_ and state_ carry a trailing zero (index r) so that T x reads x[i + 1]
  // for every i < r.
  w_.assign(r + 1, 0.0);
  std::copy(gain_.begin(), gain_.end(), w_.begin());
  f_ = gamma[0];
  inverse_f_ = 1 / f_;
  m_ = -inverse_f_;
  converged_ = false;
  state_.assign(r + 1, 0.0);
  return true;
}

inline double ArmaKalmanFilter::Advance(double w, double* variance, double* inverse) {
  const size_t r = phi_.size();
  const double* phi = phi_.data();
  double* a = state_.data();
  double* k = gain_.data();
  const double a0 = a[0];
  const double innovation = w - a0;
  const double f = f_;
  const double inverse_f = inverse_f_;
  *variance = f;
  *inverse = inverse_f;
  // a_{t+1} = T a_t + K_t v_t / F_t, in place: elements i, i + 1 read
  // a[i + 1], a[i + 2] before they are overwritten (T shifts up and adds
  // φ a_t[0]); a[r] is 0.
  const double step = innovation * inverse_f;
  size_t i = 0;
  if (converged_) {
    for (; i + 1 < r; i += 2) {
      Store(a + i, Load(phi + i) * a0 + Load(a + i + 1) + Load(k + i) * step);
    }
    if (i < r) a[i] = phi[i] * a0 + a[i + 1] + k[i] * step;
    return innovation;
  }
  // Chandrasekhar: with g = Z W_t, F_{t+1} = F_t + M g², K_{t+1} = K_t + M g T W_t,
  // W_{t+1} = T W_t − (g / F_{t+1}) K_{t+1}, M_{t+1} = M F_{t+1} / F_t; fused
  // with the state update (which uses K_t) in one pass.
  double* wv = w_.data();
  const double g = wv[0];
  const double f_next = f + m_ * g * g;
  const double inverse_next = 1 / f_next;  // the one division of the step
  const double gain_step = m_ * g;
  const double shrink = g * inverse_next;
  Pair largest = {0, 0};  // max W_{t+1}[i]²
  for (; i + 1 < r; i += 2) {
    const Pair ph = Load(phi + i);
    const Pair ki = Load(k + i);
    Store(a + i, ph * a0 + Load(a + i + 1) + ki * step);
    const Pair tw = ph * g + Load(wv + i + 1);
    const Pair kn = ki + gain_step * tw;
    Store(k + i, kn);
    const Pair wn = tw - shrink * kn;
    Store(wv + i, wn);
    const Pair square = wn * wn;
    largest = square > largest ? square : largest;
  }
  double largest_square = std::max(largest[0], largest[1]);
  if (i < r) {
    a[i] = phi[i] * a0 + a[i + 1] + k[i] * step;
    const double tw = phi[i] * g + wv[i + 1];
    const double kn = k[i] + gain_step * tw;
    k[i] = kn;
    const double wn = tw - shrink * kn;
    wv[i] = wn;
    largest_square = std::max(largest_square, wn * wn);
  }
  m_ *= f_next * inverse_f;
  f_ = f_next;
  inverse_f_ = inverse_next;
  // Once the next covariance increment M W W' is below rounding of F, K and F
  // no longer change (in floating point): the steady state.
  if (!(std::abs(m_) * largest_square > kConvergedIncrement * f_next)) converged_ = true;
  return innovation;
}

double ArmaKalmanFilter::Update(double w, double* variance) {
  double inverse = 0;
  return Advance(w, variance, &inverse);
}

bool ArmaKalmanFilter::Likelihood(std::span<const double> w, double shift,
                                  std::span<double> standardised, double* ssq, double* sumlog) {
  double squares = 0;
  double logs = 0;
  // Σ log F_t as the log of products of 16 (F_t >= 1 in exact arithmetic:
  // no overflow), one log call per block.
  double product = 1;
  const bool keep = !standardised.empty();
  double last_inverse = 0;
  double scale = 0;
  for (size_t t = 0; t < w.size(); ++t) {
    double variance = 0;
    double inverse = 0;
    const double v = Advance(w[t] - shift, &variance, &inverse);
    if (!(variance > 0)) return false;
    if (inverse != last_inverse) {  // constant once converged
      last_inverse = inverse;
      scale = std::sqrt(inverse);
    }
    const double standard = v * scale;  // v_t / sqrt(F_t)
    squares += standard * standard;
    product *= variance;
    if ((t & 15) == 15) {
      logs += std::log(product);
      product = 1;
    }
    if (keep) standardised[t] = standard;
  }
  *ssq = squares;
  *sumlog = logs + std::log(product);
  return std::isfinite(squares) && std::isfinite(logs);
}

void ArmaKalmanFilter::Forecast(std::span<double> out) const {
  std::vector<double> a(state_.begin(), state_.end() - 1);
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

// Lag polynomials of seasonal ARIMA models (internal/arima_polynomials.h).
#include "forecast/arima/internal/arima_polynomials.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace horizonscale::forecast::internal {

std::vector<double> ExpandAr(std::span<const double> ar, std::span<const double> sar, int m) {
  const size_t p = ar.size();
  std::vector<double> out(p + static_cast<size_t>(m) * sar.size(), 0.0);
  for (size_t i = 0; i < p; ++i) out[i] += ar[i];
  for (size_t j = 0; j < sar.size(); ++j) {
    const size_t lag = (j + 1) * static_cast<size_t>(m);
    out[lag - 1] += sar[j];
    for (size_t i = 0; i < p; ++i) out[lag + i] -= ar[i] * sar[j];
  }
  return out;
}

std::vector<double> ExpandMa(std::span<const double> ma, std::span<const double> sma, int m) {
  const size_t q = ma.size();
  std::vector<double> out(q + static_cast<size_t>(m) * sma.size(), 0.0);
  for (size_t i = 0; i < q; ++i) out[i] += ma[i];
  for (size_t j = 0; j < sma.size(); ++j) {
    const size_t lag = (j + 1) * static_cast<size_t>(m);
    out[lag - 1] += sma[j];
    for (size_t i = 0; i < q; ++i) out[lag + i] += ma[i] * sma[j];
  }
  return out;
}

bool RootsOutside(std::span<const double> a, double radius) {
  std::vector<double> c(a.begin(), a.end());
  double scale = radius;
  for (double& value : c) {
    if (!std::isfinite(value)) return false;
    value *= scale;
    scale *= radius;
  }
  std::vector<double> next(c.size());
  for (size_t k = c.size(); k >= 1; --k) {
    const double reflection = c[k - 1];
    if (!(std::abs(reflection) < 1)) return false;
    const double denominator = 1 - reflection * reflection;
    for (size_t j = 0; j + 1 < k; ++j) next[j] = (c[j] + reflection * c[k - 2 - j]) / denominator;
    std::copy(next.begin(), next.begin() + static_cast<long>(k - 1), c.begin());
  }
  return true;
}

void PacfToAr(std::span<const double> raw, std::span<double> out) {
  const size_t p = raw.size();
  std::vector<double> work(p);
  for (size_t j = 0; j < p; ++j) work[j] = out[j] = std::tanh(raw[j]);
  for (size_t j = 1; j < p; ++j) {
    const double a = out[j];
    for (size_t k = 0; k < j; ++k) work[k] -= a * out[j - k - 1];
    std::copy(work.begin(), work.begin() + static_cast<long>(j), out.begin());
  }
}

std::vector<double> ArToPacf(std::span<const double> ar) {
  const size_t p = ar.size();
  std::vector<double> c(ar.begin(), ar.end());
  std::vector<double> pacf(p);
  std::vector<double> next(p);
  constexpr double kLimit = 1 - 1e-8;
  for (size_t k = p; k >= 1; --k) {
    const double reflection = std::clamp(c[k - 1], -kLimit, kLimit);
    pacf[k - 1] = std::atanh(reflection);
    const double denominator = 1 - reflection * reflection;
    for (size_t j = 0; j + 1 < k; ++j) next[j] = (c[j] + reflection * c[k - 2 - j]) / denominator;
    std::copy(next.begin(), next.begin() + static_cast<long>(k - 1), c.begin());
  }
  return pacf;
}

std::vector<double> InvertMa(std::span<const double> ma) {
  std::vector<double> out(ma.begin(), ma.end());
  size_t degree = ma.size();
  while (degree > 0 && ma[degree - 1] == 0) --degree;
  if (degree == 0) return out;
  if (degree == 1) {
    if (std::abs(ma[0]) > 1) out[0] = 1 / ma[0];
    return out;
  }
  // Roots of 1 + Σ b_k z^k: eigenvalues of the companion matrix of the monic
  // polynomial z^q + (b_{q−1}/b_q) z^{q−1} + ... + 1/b_q.
  const int q = static_cast<int>(degree);
  Eigen::MatrixXd companion = Eigen::MatrixXd::Zero(q, q);
  for (int k = 0; k < q; ++k) {
    const double coefficient = k == 0 ? 1.0 : ma[static_cast<size_t>(k - 1)];
    companion(k, q - 1) = -coefficient / ma[degree - 1];
    if (k > 0) companion(k, k - 1) = 1;
  }
  const Eigen::VectorXcd roots = companion.eigenvalues();
  bool any_inside = false;
  for (int k = 0; k < q; ++k) any_inside = any_inside || std::abs(roots[k]) < 1;
  if (!any_inside) return out;
  // Rebuild Π (1 − z/r_k) with each root inside the unit circle reflected.
  std::vector<std::complex<double>> poly{1.0};
  for (int k = 0; k < q; ++k) {
    const std::complex<double> root = std::abs(roots[k]) < 1 ? 1.0 / roots[k] : roots[k];
    poly.push_back(0.0);
    for (size_t j = poly.size() - 1; j >= 1; --j) poly[j] -= poly[j - 1] / root;
  }
  for (size_t k = 0; k < degree; ++k) out[k] = poly[k + 1].real();
  return out;
}

std::vector<double> PsiWeights(std::span<const double> phi, std::span<const double> theta,
                               int count) {
  std::vector<double> psi(static_cast<size_t>(std::max(count, 0)), 0.0);
  for (size_t j = 0; j < psi.size(); ++j) {
    double value = j == 0 ? 1.0 : (j <= theta.size() ? theta[j - 1] : 0.0);
    for (size_t i = 1; i <= std::min(j, phi.size()); ++i) value += phi[i - 1] * psi[j - i];
    psi[j] = value;
  }
  return psi;
}

}  // namespace horizonscale::forecast::internal

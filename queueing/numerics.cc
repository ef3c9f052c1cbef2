// Special functions and closed-form sums used by the queueing models.
#include "queueing/internal/numerics.h"

#include <cmath>  // also declares glibc's re-entrant ::lgamma_r (_GNU_SOURCE)
#include <numbers>

namespace horizonscale::queueing::internal {
namespace {

constexpr double kLnSqrt2Pi = 0.918938533204672741780329736406;  // ln √(2π)
constexpr int kMaxIterations = 1'000'000;
constexpr double kTiny = 1e-300;  // Lentz's guard against division by zero

// ψ(z) = 1/expm1(z) − 1/z + 1/2 for z > 0: the smooth part of 1/(e^z − 1).
// Bernoulli series below 0.1 (where the direct form cancels), direct above.
double SmoothInverseExpm1(double z) {
  if (z < 0.1) {
    const double z2 = z * z;
    return z * (1.0 / 12 - z2 * (1.0 / 720 - z2 * (1.0 / 30240 - z2 / 1209600)));
  }
  return 1 / std::expm1(z) - 1 / z + 0.5;
}

// Stirling's error ln Γ(n+1) − ((n + 1/2) ln n − n + ln √(2π)) for n > 0.
double StirlingError(double n) {
  if (n <= 15) return LogGamma(n + 1) - (n + 0.5) * std::log(n) + n - kLnSqrt2Pi;
  const double nn = n * n;
  constexpr double kS0 = 1.0 / 12;
  constexpr double kS1 = 1.0 / 360;
  constexpr double kS2 = 1.0 / 1260;
  constexpr double kS3 = 1.0 / 1680;
  constexpr double kS4 = 1.0 / 1188;
  return (kS0 - (kS1 - (kS2 - (kS3 - kS4 / nn) / nn) / nn) / nn) / n;
}

// Deviance x ln(x / m) + m − x >= 0, by a series when x ≈ m (Loader's bd0).
double Deviance(double x, double m) {
  if (std::fabs(x - m) < 0.1 * (x + m)) {
    const double v = (x - m) / (x + m);
    const double v2 = v * v;
    double sum = (x - m) * v;
    double ej = 2 * x * v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v2;
      const double next = sum + ej / (2 * j + 1);
      if (next == sum) return next;
      sum = next;
    }
    return sum;
  }
  return x * std::log(x / m) + m - x;
}

// P(k, x) by its power series; meant for x < k + 1.
double GammaPSeries(double k, double x) {
  double term = 1;
  double sum = 1;
  for (int n = 1; n < kMaxIterations; ++n) {
    term *= x / (k + n);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return std::exp(LogPoissonPmf(k, x)) * sum;
}

// Q(k, x) by its continued fraction (modified Lentz); meant for x >= k + 1.
double GammaQContinuedFraction(double k, double x) {
  double b = x + 1 - k;
  double c = 1 / kTiny;
  double d = 1 / b;
  double h = d;
  for (int i = 1; i < kMaxIterations; ++i) {
    const double an = -i * (i - k);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = b + an / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < 1e-16) break;
  }
  return std::exp(std::log(k) + LogPoissonPmf(k, x)) * h;
}

}  // namespace

// (1 − e^{−x})/x, 1 at 0, 0 at +inf.
double OneMinusExpOverX(double x) {
  if (x == 0) return 1;
  if (std::isinf(x)) return 0;
  return -std::expm1(-x) / x;
}

// Σ_{i<n} exp(log_first + i log_ratio), largest term factored out.
double ScaledGeometricSum(double log_first, double log_ratio, int64_t n) {
  if (n <= 0) return 0;
  if (n == 1) return std::exp(log_first);
  const double count = static_cast<double>(n);
  const double y = std::fabs(log_ratio);
  const double log_lead = log_ratio <= 0 ? log_first : log_first + (count - 1) * log_ratio;
  const double sum_of_fractions = y == 0 ? count : std::expm1(-count * y) / std::expm1(-y);
  return std::exp(log_lead) * sum_of_fractions;
}

// Mean of i ∝ exp(i log_ratio) on 0..n−1 (series form near ratio 1).
double TruncatedGeometricMean(int64_t n, double log_ratio) {
  if (n <= 1) return 0;
  const double count = static_cast<double>(n);
  if (log_ratio > 0) return (count - 1) - TruncatedGeometricMean(n, -log_ratio);
  const double y = -log_ratio;
  if (y == 0) return 0.5 * (count - 1);
  const double ny = count * y;
  if (ny >= 1) return 1 / std::expm1(y) - count / std::expm1(ny);
  return 0.5 * (count - 1) + SmoothInverseExpm1(y) - count * SmoothInverseExpm1(ny);
}

// ln Γ(x), re-entrant (lgamma_r).
double LogGamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// ln(mean^k e^{−mean}/Γ(k+1)), Loader's form for k >= 10.
double LogPoissonPmf(double k, double mean) {
  if (mean == 0) return k == 0 ? 0 : -HUGE_VAL;
  if (k == 0) return -mean;
  if (k < 10) return k * std::log(mean) - mean - LogGamma(k + 1);
  return -StirlingError(k) - Deviance(k, mean) - 0.5 * std::log(2 * std::numbers::pi * k);
}

// P(k, x): series below k + 1, 1 − continued fraction above.
double RegularizedGammaP(double k, double x) {
  if (x <= 0) return 0;
  if (std::isinf(x)) return 1;
  if (x < k + 1) return GammaPSeries(k, x);
  return 1 - GammaQContinuedFraction(k, x);
}

// Q(k, x): 1 − series below k + 1, continued fraction above.
double RegularizedGammaQ(double k, double x) {
  if (x <= 0) return 1;
  if (std::isinf(x)) return 0;
  if (x < k + 1) return 1 - GammaPSeries(k, x);
  return GammaQContinuedFraction(k, x);
}

// ln Φ(z): erfc above −30, asymptotic series below.
double LogNormalCdf(double z) {
  if (z > 0) return std::log1p(-0.5 * std::erfc(z / std::numbers::sqrt2));
  if (z > -30) return std::log(0.5 * std::erfc(-z / std::numbers::sqrt2));
  const double w = 1 / (z * z);
  return -0.5 * z * z - std::log(-z) - kLnSqrt2Pi +
         std::log1p(-w * (1 - w * (3 - w * (15 - 105 * w))));
}

// E[1/(k + N)], N ~ Poisson(mean), summed outward from the mode.
double PoissonMeanOfReciprocal(double k, double mean) {
  if (mean <= 0) return 1 / k;
  const double mode = std::floor(mean);
  const double p_mode = std::exp(LogPoissonPmf(mode, mean));
  double sum = p_mode / (k + mode);
  double p = p_mode;
  for (int64_t i = 1;; ++i) {  // n = mode + i, upward
    const double n = mode + static_cast<double>(i);
    p *= mean / n;
    const double term = p / (k + n);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  p = p_mode;
  for (int64_t i = 0; static_cast<double>(i) < mode; ++i) {  // n = mode − i − 1, downward
    const double n = mode - static_cast<double>(i);
    p *= n / mean;  // p(n − 1)
    const double term = p / (k + n - 1);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return sum;
}

}  // namespace horizonscale::queueing::internal

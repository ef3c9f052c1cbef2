// Service-time laws and their convolution with an exponential wait tail.
#include "queueing/internal/service_distribution.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "queueing/internal/numerics.h"
#include "queueing/internal/root_finding.h"

namespace horizonscale::queueing::internal {
namespace {

// Gamma(k, rate b) service: J(t) = ∫_0^t f_S(s) e^{−ν(t−s)} ds
//   = e^{−bt} (bt)^k / Γ(k+1) · M(1, k+1, z),  z = (b − ν) t,
// with Kummer's M(1, k+1, z) = Σ_n z^n / ((k+1)(k+2)...(k+n)). Evaluated as
//   z in [0, k+1]: that series (positive terms, ratio < 1);
//   z > k+1:       e^{−νt} (b/(b−ν))^k P(k, z) (P regularized; the prefactor
//                  is <= 1 there, so nothing overflows);
//   z < 0:         Kummer's transformation M(1, k+1, z) = k E[1/(k+N)] with
//                  N ~ Poisson(−z) (positive terms again).
double GammaExpSumExcess(double k, double b, double t, double nu) {
  if (t <= 0) return 0;
  const double z = (b - nu) * t;
  if (z > k + 1) return std::exp(-nu * t - k * std::log1p(-nu / b)) * RegularizedGammaP(k, z);
  const double prefactor = std::exp(LogPoissonPmf(k, b * t));
  if (prefactor == 0) return 0;
  if (z < 0) return prefactor * k * PoissonMeanOfReciprocal(k, -z);
  double term = 1;
  double sum = 1;
  for (int n = 1; n < 10'000'000; ++n) {
    term *= z / (k + n);
    sum += term;
    const double next_ratio = z / (k + n + 1);
    if (term * next_ratio < 1e-17 * sum * (1 - next_ratio)) break;
  }
  return std::min(1.0, prefactor * sum);
}

}  // namespace

// Stores the law; gamma shape 1/CV² and rate shape/mean.
ServiceDistribution::ServiceDistribution(Kind kind, double mean, double cv)
    : kind_(kind), mean_(mean), cv_(cv) {
  if (kind == Kind::kExponential) rate_ = 1 / mean;
  if (kind == Kind::kGamma) {
    shape_ = 1 / (cv * cv);
    rate_ = shape_ / mean;
  }
}

// Exponential service of the given mean.
ServiceDistribution ServiceDistribution::Exponential(double mean) {
  return {Kind::kExponential, mean, 1};
}

// Deterministic, exponential, gamma or normal by CV (see the header).
ServiceDistribution ServiceDistribution::WithMeanAndCv(double mean, double cv) {
  if (cv == 0) return {Kind::kDeterministic, mean, 0};
  if (cv == 1) return Exponential(mean);
  if (1 / (cv * cv) > kMaxGammaShape) return {Kind::kNormal, mean, cv};
  return {Kind::kGamma, mean, cv};
}

// Static description for QueueMetrics::method.
const char* ServiceDistribution::Describe() const {
  switch (kind_) {
    case Kind::kExponential:
      return "exponential service";
    case Kind::kDeterministic:
      return "deterministic service";
    case Kind::kGamma:
      return "gamma service";
    case Kind::kNormal:
      return "normal service (gamma shape > 1e4)";
  }
  return "";
}

// P(S > t); 1 for t <= 0.
double ServiceDistribution::Survival(double t) const {
  if (t <= 0) return 1;
  switch (kind_) {
    case Kind::kExponential:
      return std::exp(-rate_ * t);
    case Kind::kDeterministic:
      return t < mean_ ? 1 : 0;
    case Kind::kGamma:
      return RegularizedGammaQ(shape_, rate_ * t);
    case Kind::kNormal:
      return 0.5 * std::erfc((t - mean_) / (mean_ * cv_ * std::numbers::sqrt2));
  }
  return 0;
}

// inf{t : P(S > t) <= 1 − p}: closed form or Brent.
double ServiceDistribution::Quantile(double p) const {
  switch (kind_) {
    case Kind::kExponential:
      return -std::log1p(-p) / rate_;
    case Kind::kDeterministic:
      return mean_;
    case Kind::kGamma:
    case Kind::kNormal:
      break;
  }
  return SurvivalQuantile([this](double t) { return Survival(t); }, p, 0, mean_);
}

// P(E + S > t) − P(S > t), E ~ Exp(ν); 0 for t <= 0.
double ServiceDistribution::ExpSumExcess(double t, double nu) const {
  if (t <= 0) return 0;
  switch (kind_) {
    case Kind::kExponential: {
      // μ (e^{−μt} − e^{−νt}) / (ν − μ), symmetric in μ and ν, written as
      // μ t e^{−min(μ,ν) t} (1 − e^{−|ν−μ| t}) / (|ν−μ| t): no cancellation
      // at ν ≈ μ and no overflow.
      const double mu = rate_;
      return mu * t * std::exp(-std::min(mu, nu) * t) * OneMinusExpOverX(std::fabs(nu - mu) * t);
    }
    case Kind::kDeterministic:
      return t < mean_ ? 0 : std::exp(-nu * (t - mean_));
    case Kind::kGamma:
      return GammaExpSumExcess(shape_, rate_, t, nu);
    case Kind::kNormal: {
      // Exponentially modified Gaussian: e^{−ν(t−m) + ν²σ²/2} Φ((t−m)/σ − νσ).
      const double sigma = mean_ * cv_;
      const double u = (t - mean_) / sigma;
      const double log_j =
          -nu * (t - mean_) + 0.5 * nu * nu * sigma * sigma + LogNormalCdf(u - nu * sigma);
      return std::min(1.0, std::exp(log_j));
    }
  }
  return 0;
}

}  // namespace horizonscale::queueing::internal

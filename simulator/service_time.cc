// Service-time distributions (parameterisations in internal/service_time.h).
#include "simulator/internal/service_time.h"

#include <cmath>

namespace horizonscale::simulator::internal {

ServiceSampler::ServiceSampler(const ServiceTime& service, uint64_t seed)
    : distribution_(service.distribution), mean_(service.mean), rng_(seed, Stream::kService) {
  const double cv = service.coefficient_of_variation;
  // A spread this small is no spread: sampling it would only lose precision
  // (a gamma's shape 1/c² overflows to infinity once c² underflows, and its
  // draws become NaN).
  if (cv < kNegligibleVariation) distribution_ = ServiceDistribution::kDeterministic;
  if (distribution_ == ServiceDistribution::kLognormal) {
    log_scale_ = std::sqrt(std::log1p(cv * cv));
    log_location_ = std::log(mean_) - log_scale_ * log_scale_ / 2;
  } else if (distribution_ == ServiceDistribution::kGamma) {
    shape_ = 1 / (cv * cv);
    scale_ = mean_ * cv * cv;
    const double boosted = shape_ < 1 ? shape_ + 1 : shape_;
    mt_d_ = boosted - 1.0 / 3.0;
    mt_c_ = 1 / std::sqrt(9 * mt_d_);
  }
}

double ServiceSampler::SampleLognormal() {
  return std::exp(log_location_ + log_scale_ * normal_.Next(rng_));
}

double ServiceSampler::StandardGammaAtLeastOne() {
  for (;;) {
    double z = 0;
    double v = 0;
    do {
      z = normal_.Next(rng_);
      v = 1 + mt_c_ * z;
    } while (v <= 0);
    v = v * v * v;
    const double u = rng_.UniformPositive();
    const double z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return mt_d_ * v;
    if (std::log(u) < z2 / 2 + mt_d_ * (1 - v + std::log(v))) return mt_d_ * v;
  }
}

double ServiceSampler::SampleGamma() {
  double x = StandardGammaAtLeastOne();
  // Shape below 1: Gamma(k) = Gamma(k + 1) · U^{1/k}.
  if (shape_ < 1) x *= std::pow(rng_.UniformPositive(), 1 / shape_);
  return x * scale_;
}

}  // namespace horizonscale::simulator::internal

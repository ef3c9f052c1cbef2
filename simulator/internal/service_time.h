// Service-time variates with a given mean m and coefficient of variation c
// (standard deviation / mean). Internal to hs_simulator.
//
// Parameterisations:
//   exponential:   rate 1/m (c is 1 by definition; the field is ignored)
//   deterministic: always m (c ignored)
//   lognormal:     exp(μ + σZ) with σ² = ln(1 + c²), μ = ln m − σ²/2
//   gamma:         shape k = 1/c², scale θ = m·c² (mean kθ = m, cv 1/√k = c);
//                  Marsaglia–Tsang (2000) squeeze/rejection for k >= 1, and
//                  Gamma(k + 1)·U^{1/k} for k < 1.
// Draws come from the service stream only, one variate per job in the order
// the jobs start service (FIFO: arrival order), so the k-th job gets the same
// service time under every plan.
#pragma once

#include <cstdint>

#include "simulator/internal/random.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

// Below this coefficient of variation a lognormal or gamma service time is
// sampled as deterministic (its mean).
inline constexpr double kNegligibleVariation = 1e-6;

class ServiceSampler {
 public:
  // `service` must be valid (see ValidateScenario).
  ServiceSampler(const ServiceTime& service, uint64_t seed);

  // The next service time, seconds (>= 0).
  double Sample() {
    switch (distribution_) {
      case ServiceDistribution::kExponential:
        return mean_ * rng_.Exponential();
      case ServiceDistribution::kDeterministic:
        return mean_;
      case ServiceDistribution::kLognormal:
        return SampleLognormal();
      case ServiceDistribution::kGamma:
        return SampleGamma();
    }
    return mean_;
  }

 private:
  double SampleLognormal();
  double SampleGamma();
  // A Gamma(shape, 1) variate for shape >= 1 (Marsaglia–Tsang).
  double StandardGammaAtLeastOne();

  ServiceDistribution distribution_;
  double mean_;
  double log_location_ = 0;  // lognormal μ
  double log_scale_ = 0;     // lognormal σ
  double shape_ = 1;         // gamma k
  double scale_ = 1;         // gamma θ
  double mt_d_ = 0;          // Marsaglia–Tsang d = k' − 1/3 with k' = max(k, k + 1)
  double mt_c_ = 0;          // 1 / sqrt(9 d)
  Rng rng_;
  NormalSampler normal_;
};

}  // namespace horizonscale::simulator::internal

// Service-time samplers: sample mean and coefficient of variation against the
// requested ones (within 5 standard errors), for each distribution.
#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "simulator/internal/service_time.h"

namespace horizonscale::simulator {
namespace {

struct Moments {
  double mean = 0;
  double cv = 0;
};

Moments Sample(const ServiceTime& service, int n) {
  internal::ServiceSampler sampler(service, 77);
  double sum = 0;
  double squares = 0;
  for (int i = 0; i < n; ++i) {
    const double x = sampler.Sample();
    EXPECT_GE(x, 0);
    sum += x;
    squares += x * x;
  }
  const double mean = sum / n;
  const double variance = std::max(0.0, squares / n - mean * mean);
  return {mean, std::sqrt(variance) / mean};
}

class ServiceMomentsTest : public ::testing::TestWithParam<ServiceTime> {};

TEST_P(ServiceMomentsTest, MeanAndCoefficientOfVariation) {
  const ServiceTime service = GetParam();
  const int n = 400'000;
  const Moments m = Sample(service, n);
  const double cv = service.distribution == ServiceDistribution::kExponential ? 1
                    : service.distribution == ServiceDistribution::kDeterministic
                        ? 0
                        : service.coefficient_of_variation;
  // Standard error of the mean: cv·mean/√n.
  EXPECT_NEAR(m.mean, service.mean, 5 * cv * service.mean / std::sqrt(n) + 1e-9);
  // The sample cv of heavy-tailed laws converges slowly: 3 % relative.
  EXPECT_NEAR(m.cv, cv, 0.03 * cv + 1e-9);
}

INSTANTIATE_TEST_SUITE_P(Distributions, ServiceMomentsTest,
                         ::testing::Values(ServiceTime{ServiceDistribution::kExponential, 2.0, 1},
                                           ServiceTime{ServiceDistribution::kDeterministic, 0.3, 0},
                                           ServiceTime{ServiceDistribution::kLognormal, 0.5, 0.5},
                                           ServiceTime{ServiceDistribution::kLognormal, 1.0, 1.0},
                                           ServiceTime{ServiceDistribution::kGamma, 1.5, 0.3},
                                           ServiceTime{ServiceDistribution::kGamma, 1.0, 1.0},
                                           ServiceTime{ServiceDistribution::kGamma, 0.2, 2.0}));

TEST(ServiceTimeTest, DeterministicIsExact) {
  internal::ServiceSampler sampler({ServiceDistribution::kDeterministic, 0.25, 0}, 1);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(sampler.Sample(), 0.25);
}

TEST(ServiceTimeTest, NegligibleVariationIsDeterministic) {
  // c = 1.7e-307 made the gamma's shape 1/c² infinite and every draw NaN;
  // the simulation then never ended (found by bench/fuzz/simulate_fuzz).
  for (double cv : {1.7e-307, 1e-200, 9e-7}) {
    for (ServiceDistribution distribution :
         {ServiceDistribution::kGamma, ServiceDistribution::kLognormal}) {
      internal::ServiceSampler sampler({distribution, 0.00634765625, cv}, 7);
      for (int i = 0; i < 10; ++i) EXPECT_EQ(sampler.Sample(), 0.00634765625) << cv;
    }
  }
  // Just above the threshold the draws are still samples: finite, near m.
  internal::ServiceSampler gamma({ServiceDistribution::kGamma, 2.0, 2e-6}, 7);
  for (int i = 0; i < 100; ++i) EXPECT_NEAR(gamma.Sample(), 2.0, 2.0 * 2e-5);
}

TEST(ServiceTimeTest, LognormalMedian) {
  // Median of exp(μ + σZ) is e^μ = m / √(1 + c²).
  internal::ServiceSampler sampler({ServiceDistribution::kLognormal, 1.0, 1.0}, 5);
  int below = 0;
  const int n = 200'000;
  for (int i = 0; i < n; ++i) below += sampler.Sample() < 1 / std::sqrt(2.0);
  EXPECT_NEAR(static_cast<double>(below) / n, 0.5, 5 * 0.5 / std::sqrt(n));
}

}  // namespace
}  // namespace horizonscale::simulator

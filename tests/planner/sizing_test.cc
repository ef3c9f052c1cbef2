#include "planner/sizing.h"

#include <cmath>

#include <gtest/gtest.h>

namespace horizonscale::planner {
namespace {

QueueSample Service(double mean) {
  QueueSample sample;
  sample.mean_service_time = mean;
  return sample;
}

TEST(ServiceTimeStddev, ExponentialServiceUsesTheMean) {
  QueueSample service = Service(0.2);
  service.service_time_stddev = 0.05;
  EXPECT_EQ(ServiceTimeStddev(service, /*general=*/false), 0.2);
}

TEST(ServiceTimeStddev, GeneralServicePrefersTheReportedStddev) {
  QueueSample service = Service(0.2);
  service.service_time_stddev = 0.05;
  service.service_time_p95 = 0.6;
  EXPECT_EQ(ServiceTimeStddev(service, true), 0.05);
  EXPECT_EQ(ServiceTimeStddev(Service(0.2), true), 0.2);  // nothing reported: exponential
}

TEST(ServiceTimeStddev, P95AloneFitsALognormal) {
  // Lognormal with σ_ln = 0.5 and mean 0.1: μ_ln = ln 0.1 − 0.125,
  // p95 = e^{μ_ln + 1.645·0.5}, stddev = 0.1·sqrt(e^{0.25} − 1).
  const double sigma = 0.5;
  const double mu = std::log(0.1) - sigma * sigma / 2;
  QueueSample service = Service(0.1);
  service.service_time_p95 = std::exp(mu + 1.6448536269514722 * sigma);
  EXPECT_NEAR(ServiceTimeStddev(service, true), 0.1 * std::sqrt(std::expm1(0.25)), 1e-12);

  // A P95 beyond what any lognormal with this mean has is capped, not NaN.
  service.service_time_p95 = 100;
  const double capped = ServiceTimeStddev(service, true);
  EXPECT_TRUE(std::isfinite(capped));
  EXPECT_GT(capped, 0.1);
}

}  // namespace
}  // namespace horizonscale::planner

// EstimateServiceRate: estimators, their weighted mean, the confidence rule
// and input validation.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

ServiceRateEstimate MustEstimate(const ServiceObservation& o) {
  absl::StatusOr<ServiceRateEstimate> estimate = EstimateServiceRate(o);
  EXPECT_TRUE(estimate.ok()) << estimate.status();
  return estimate.ok() ? *estimate : ServiceRateEstimate{};
}

TEST(ServiceRateTest, DirectMeasurementAlone) {
  const ServiceRateEstimate e = MustEstimate({.mean_service_time = 0.05});
  EXPECT_DOUBLE_EQ(e.service_rate, 20);
  EXPECT_DOUBLE_EQ(e.confidence, 0.8);
  EXPECT_EQ(e.method, "1/mean_service_time");
}

TEST(ServiceRateTest, SingleIndirectEstimators) {
  // 100 jobs/s done by 10 workers busy half the time: μ = 100 / 5 = 20.
  ServiceRateEstimate e = MustEstimate({.throughput = 100, .utilization = 0.5, .workers = 10});
  EXPECT_DOUBLE_EQ(e.service_rate, 20);
  EXPECT_DOUBLE_EQ(e.confidence, 0.6);
  EXPECT_EQ(e.method, "throughput/(utilization*workers)");
  // Little's law on the servers: 4 jobs in service, 100 jobs/s: W = 0.04 s.
  e = MustEstimate({.throughput = 100, .active_jobs = 4});
  EXPECT_DOUBLE_EQ(e.service_rate, 25);
  EXPECT_DOUBLE_EQ(e.confidence, 0.6);
  EXPECT_EQ(e.method, "throughput/active_jobs");
}

TEST(ServiceRateTest, AgreeingEstimatorsGiveFullConfidence) {
  const ServiceRateEstimate e = MustEstimate({.mean_service_time = 0.05,
                                              .throughput = 100,
                                              .utilization = 0.5,
                                              .active_jobs = 5,
                                              .workers = 10});
  EXPECT_DOUBLE_EQ(e.service_rate, 20);
  EXPECT_DOUBLE_EQ(e.confidence, 1);
  EXPECT_NE(e.method.find("throughput/active_jobs"), std::string::npos) << e.method;
}

TEST(ServiceRateTest, DisagreementLowersConfidence) {
  // 20 (direct, weight 2) and 25 (Little, weight 1): (40 + 25)/3; 0.9 · 20/25.
  const ServiceRateEstimate e =
      MustEstimate({.mean_service_time = 0.05, .throughput = 100, .active_jobs = 4});
  EXPECT_DOUBLE_EQ(e.service_rate, 65.0 / 3);
  EXPECT_DOUBLE_EQ(e.confidence, 0.9 * 0.8);
  // All three: 20, 20, 25 → (40 + 20 + 25)/4, confidence 1 · 20/25.
  const ServiceRateEstimate all = MustEstimate({.mean_service_time = 0.05,
                                                .throughput = 100,
                                                .utilization = 0.5,
                                                .active_jobs = 4,
                                                .workers = 10});
  EXPECT_DOUBLE_EQ(all.service_rate, 85.0 / 4);
  EXPECT_DOUBLE_EQ(all.confidence, 0.8);
  // Wildly off: confidence near 0.
  const ServiceRateEstimate off =
      MustEstimate({.mean_service_time = 0.05, .throughput = 1, .active_jobs = 100});
  EXPECT_LT(off.confidence, 0.01);
}

TEST(ServiceRateTest, UnusableInputsOnlyDisableTheirEstimator) {
  // Idle pool (throughput 0) next to a direct measurement.
  const ServiceRateEstimate e = MustEstimate({.mean_service_time = 0.5,
                                              .throughput = 0,
                                              .utilization = 0,
                                              .active_jobs = 0,
                                              .workers = 3});
  EXPECT_DOUBLE_EQ(e.service_rate, 2);
  EXPECT_EQ(e.method, "1/mean_service_time");
}

TEST(ServiceRateTest, InvalidInputsNameTheField) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    ServiceObservation observation;
    const char* field;
  };
  for (const Case& c : {
           Case{{.mean_service_time = nan}, "mean_service_time"},
           Case{{.mean_service_time = 0}, "mean_service_time"},
           Case{{.mean_service_time = inf}, "mean_service_time"},
           Case{{.throughput = nan, .active_jobs = 2}, "throughput"},
           Case{{.throughput = 10, .utilization = 1.5, .workers = 2}, "utilization"},
           Case{{.throughput = 10, .utilization = nan, .workers = 2}, "utilization"},
           Case{{.throughput = 10, .active_jobs = -inf}, "active_jobs"},
           Case{{.throughput = 10, .utilization = 0.5, .workers = 0}, "workers"},
           Case{{.mean_service_time = 1, .workers = kMaxWorkers + 1}, "workers"},
       }) {
    const absl::StatusOr<ServiceRateEstimate> e = EstimateServiceRate(c.observation);
    ASSERT_FALSE(e.ok()) << c.field;
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find(c.field), absl::string_view::npos) << e.status();
  }
}

TEST(ServiceRateTest, NothingUsable) {
  for (const ServiceObservation& o :
       {ServiceObservation{}, ServiceObservation{.throughput = 10},
        ServiceObservation{.throughput = 10, .utilization = 0.5},
        ServiceObservation{.utilization = 0.5, .active_jobs = 3, .workers = 4}}) {
    const absl::StatusOr<ServiceRateEstimate> e = EstimateServiceRate(o);
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(e.status().message().find("no usable"), absl::string_view::npos) << e.status();
  }
}

}  // namespace
}  // namespace horizonscale::queueing

// Properties that must hold for every valid input, over random pools spanning
// extreme loads, service-time CVs, worker counts and capacities: no NaN,
// percentiles ordered, response >= wait, response >= service time alone,
// figures consistent with each other.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

TEST(PropertiesTest, RandomValidPoolsGiveConsistentFigures) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> unit(0, 1);
  auto log_uniform = [&](double lo, double hi) {
    return std::exp(std::log(lo) + unit(rng) * (std::log(hi) - std::log(lo)));
  };
  for (int i = 0; i < 3000; ++i) {
    PoolSpec pool;
    const int pick = static_cast<int>(unit(rng) * 4);
    pool.model = pick == 0   ? Model::kMM1
                 : pick == 1 ? Model::kMMc
                 : pick == 2 ? Model::kMGc
                             : Model::kMMcK;
    pool.workers = pool.model == Model::kMM1 ? 1 : static_cast<int>(log_uniform(1, kMaxWorkers));
    pool.mean_service_time = log_uniform(1e-6, 1e4);
    // Load from idle to heavily overloaded, with some ρ pinned near 1.
    double rho = unit(rng) < 0.1 ? 1 - log_uniform(1e-12, 1e-3) : log_uniform(1e-6, 3);
    if (unit(rng) < 0.05) rho = 0;
    pool.arrival_rate = rho * pool.workers / pool.mean_service_time;
    const double cv = unit(rng) < 0.1 ? 0 : unit(rng) < 0.1 ? 1 : log_uniform(1e-4, 30);
    pool.service_time_stddev = cv * pool.mean_service_time;
    pool.system_capacity =
        pool.workers + static_cast<int64_t>(unit(rng) < 0.2 ? 0 : log_uniform(1, 1e6));
    SCOPED_TRACE(testing::Message()
                 << "case " << i << " model=" << static_cast<int>(pool.model)
                 << " c=" << pool.workers << " s=" << pool.mean_service_time << " rho=" << rho
                 << " cv=" << cv << " K=" << pool.system_capacity);
    const absl::StatusOr<QueueMetrics> result = Evaluate(pool);
    ASSERT_TRUE(result.ok()) << result.status();
    const QueueMetrics& m = *result;
    for (double v :
         {m.utilization, m.probability_of_wait, m.mean_queue_length, m.queue_length_p95,
          m.mean_wait, m.mean_response, m.wait_p50, m.wait_p95, m.wait_p99, m.response_p50,
          m.response_p95, m.response_p99, m.blocking_probability, m.effective_arrival_rate}) {
      ASSERT_FALSE(std::isnan(v));
      ASSERT_GE(v, 0);
    }
    EXPECT_LE(m.probability_of_wait, 1);
    EXPECT_LE(m.blocking_probability, 1);
    EXPECT_LE(m.wait_p50, m.wait_p95);
    EXPECT_LE(m.wait_p95, m.wait_p99);
    EXPECT_LE(m.response_p50, m.response_p95);
    EXPECT_LE(m.response_p95, m.response_p99);
    if (!m.stable) {
      EXPECT_NE(pool.model, Model::kMMcK);
      EXPECT_EQ(m.response_p95, HUGE_VAL);
      continue;
    }
    const double s = pool.mean_service_time;
    for (double v : {m.mean_wait, m.wait_p99, m.response_p99, m.mean_queue_length}) {
      EXPECT_TRUE(std::isfinite(v)) << v;
    }
    // T >= W and T >= S (percentile-wise), up to the solver tolerance.
    const double tol = 1e-9;
    EXPECT_GE(m.response_p95, m.wait_p95 * (1 - tol));
    EXPECT_GE(m.response_p99, m.wait_p99 * (1 - tol));
    if (pool.model != Model::kMGc || cv == 1) {
      EXPECT_GE(m.response_p95, s * std::log(20.0) * (1 - tol));
    }
    EXPECT_NEAR(m.mean_response, m.mean_wait + s, 1e-12 * m.mean_response);
    EXPECT_LE(m.utilization, pool.model == Model::kMMcK ? 1 + 1e-12 : 1);
    // Little's law on the queue.
    if (m.effective_arrival_rate > 0 && m.mean_wait > 0) {
      EXPECT_NEAR(m.mean_queue_length, m.effective_arrival_rate * m.mean_wait,
                  1e-9 * m.mean_queue_length + 1e-300);
    }
    if (m.probability_of_wait <= 0.05) {
      EXPECT_EQ(m.wait_p95, 0);
    }
  }
}

}  // namespace
}  // namespace horizonscale::queueing

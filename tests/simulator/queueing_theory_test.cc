// Long steady-state runs against queueing theory: each figure's 99 %
// Student-t interval over independent replications (different seeds) must
// contain the analytic value, and be narrow enough for that to mean
// something. References: queueing::Evaluate / ErlangC (M/M/c) and the
// Pollaczek–Khinchine formula (M/G/1, computed here).
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "queueing/queueing.h"
#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::FixedPlan;
using testing::Interval;
using testing::MeanInterval;
using testing::MustSimulate;

constexpr double kLevel = 0.99;
constexpr int kReplications = 10;

struct SteadyState {
  std::vector<double> mean_response;  // per replication
  std::vector<double> p95_response;
  std::vector<double> mean_wait;         // of the jobs that started service
  std::vector<double> wait_probability;  // arrivals finding every worker busy
  std::vector<double> utilization;       // busy / paid worker-time
  std::vector<Summary> summaries;
};

SteadyState Replicate(double rate, int workers, const SimulationConfig& base,
                      absl::Duration duration) {
  SteadyState out;
  for (int r = 0; r < kReplications; ++r) {
    SimulationConfig config = base;
    config.seed = 1000 + r;
    internal::Diagnostics diagnostics;
    const RunResult result = MustSimulate(ConstantScenario(rate, duration, absl::Minutes(10)),
                                          FixedPlan(workers), config, &diagnostics);
    const Summary& s = result.summary;
    out.mean_response.push_back(s.average_latency);
    out.p95_response.push_back(s.p95_latency);
    out.mean_wait.push_back(diagnostics.wait_seconds /
                            static_cast<double>(diagnostics.jobs_started));
    out.wait_probability.push_back(static_cast<double>(diagnostics.arrivals_waiting) /
                                   static_cast<double>(s.jobs_arrived));
    out.utilization.push_back(diagnostics.busy_seconds / diagnostics.paid_seconds);
    out.summaries.push_back(s);
  }
  return out;
}

// Expects `interval` to contain `theory` and to be narrower than
// `max_relative_half_width` of it.
void ExpectCovers(const char* what, const Interval& interval, double theory,
                  double max_relative_half_width) {
  EXPECT_TRUE(interval.Contains(theory)) << what << ": simulated " << interval.mean << " ± "
                                         << interval.half_width << ", theory " << theory;
  EXPECT_LT(interval.half_width, max_relative_half_width * theory) << what;
  std::printf("%-22s simulated %.5f ± %.5f (99%% CI), theory %.5f\n", what, interval.mean,
              interval.half_width, theory);
}

TEST(QueueingTheoryTest, MMcMatchesErlangC) {
  // λ = 8/s, μ = 1/s, c = 10: ρ = 0.8.
  const double lambda = 8;
  const double mu = 1;
  const int c = 10;
  const SteadyState sim = Replicate(
      lambda, c, Config(ServiceDistribution::kExponential, 1 / mu, 1, 0), absl::Seconds(30'000));

  queueing::PoolSpec pool;
  pool.model = queueing::Model::kMMc;
  pool.arrival_rate = lambda;
  pool.mean_service_time = 1 / mu;
  pool.workers = c;
  const absl::StatusOr<queueing::QueueMetrics> theory = queueing::Evaluate(pool);
  ASSERT_TRUE(theory.ok()) << theory.status();
  const double erlang_c = queueing::ErlangC(lambda / mu, c);
  ASSERT_NEAR(theory->probability_of_wait, erlang_c, 1e-12);

  ExpectCovers("M/M/c mean response", MeanInterval(sim.mean_response, kLevel),
               theory->mean_response, 0.05);
  ExpectCovers("M/M/c mean wait", MeanInterval(sim.mean_wait, kLevel), theory->mean_wait, 0.08);
  ExpectCovers("M/M/c P(wait > 0)", MeanInterval(sim.wait_probability, kLevel), erlang_c, 0.05);
  ExpectCovers("M/M/c utilization", MeanInterval(sim.utilization, kLevel), lambda / (c * mu), 0.02);
  // P95 of the response time: the exact CDF of wait + service (queueing) vs
  // the histogram percentile (0.39 % bucket error, well inside the interval).
  ExpectCovers("M/M/c P95 response", MeanInterval(sim.p95_response, kLevel), theory->response_p95,
               0.05);

  // The same through the public SummaryIntervals.
  const std::vector<MetricInterval> intervals = SummaryIntervals(sim.summaries, kLevel);
  ASSERT_EQ(intervals.size(), 12U);
  EXPECT_EQ(intervals[1].metric, "average_latency");
  EXPECT_LE(intervals[1].lower, theory->mean_response);
  EXPECT_GE(intervals[1].upper, theory->mean_response);
}

// Pollaczek–Khinchine: Wq = λ E[S²] / (2 (1 − ρ)) with E[S²] = m² (1 + cv²).
double PollaczekKhinchineWait(double lambda, double mean, double cv) {
  const double rho = lambda * mean;
  return lambda * mean * mean * (1 + cv * cv) / (2 * (1 - rho));
}

TEST(QueueingTheoryTest, MD1MatchesPollaczekKhinchine) {
  // λ = 0.7/s, deterministic service 1 s: Wq = ρ / (2μ(1 − ρ)) = 7/6 s.
  const double lambda = 0.7;
  const double mean = 1;
  const SteadyState sim = Replicate(
      lambda, 1, Config(ServiceDistribution::kDeterministic, mean, 0, 0), absl::Seconds(80'000));
  const double wait = PollaczekKhinchineWait(lambda, mean, 0);
  ASSERT_NEAR(wait, 0.7 / (2 * (1 - 0.7)), 1e-12);
  ExpectCovers("M/D/1 mean wait", MeanInterval(sim.mean_wait, kLevel), wait, 0.05);
  ExpectCovers("M/D/1 mean response", MeanInterval(sim.mean_response, kLevel), wait + mean, 0.05);
  // M/G/1: an arrival waits iff the server is busy, P = ρ (PASTA).
  ExpectCovers("M/D/1 P(wait > 0)", MeanInterval(sim.wait_probability, kLevel), lambda * mean,
               0.03);
  ExpectCovers("M/D/1 utilization", MeanInterval(sim.utilization, kLevel), lambda * mean, 0.03);
}

TEST(QueueingTheoryTest, MG1GammaMatchesPollaczekKhinchine) {
  // Gamma service, mean 0.1 s, cv 0.5; λ = 6/s: ρ = 0.6.
  const double lambda = 6;
  const double mean = 0.1;
  const double cv = 0.5;
  const SteadyState sim =
      Replicate(lambda, 1, Config(ServiceDistribution::kGamma, mean, cv, 0), absl::Seconds(10'000));
  ExpectCovers("M/G/1 gamma wait", MeanInterval(sim.mean_wait, kLevel),
               PollaczekKhinchineWait(lambda, mean, cv), 0.05);
  ExpectCovers("M/G/1 gamma response", MeanInterval(sim.mean_response, kLevel),
               PollaczekKhinchineWait(lambda, mean, cv) + mean, 0.05);
}

TEST(QueueingTheoryTest, MG1LognormalMatchesPollaczekKhinchine) {
  // Lognormal service, mean 0.1 s, cv 1.5; λ = 5/s: ρ = 0.5.
  const double lambda = 5;
  const double mean = 0.1;
  const double cv = 1.5;
  const SteadyState sim = Replicate(lambda, 1, Config(ServiceDistribution::kLognormal, mean, cv, 0),
                                    absl::Seconds(20'000));
  ExpectCovers("M/G/1 lognormal wait", MeanInterval(sim.mean_wait, kLevel),
               PollaczekKhinchineWait(lambda, mean, cv), 0.1);
  ExpectCovers("M/G/1 lognormal resp.", MeanInterval(sim.mean_response, kLevel),
               PollaczekKhinchineWait(lambda, mean, cv) + mean, 0.08);
}

}  // namespace
}  // namespace horizonscale::simulator

// M/G/c (Allen–Cunneen): Cs = 1 reproduces M/M/c, Cs = 0 halves the wait,
// and the response percentiles of the documented approximation (exponential
// wait tail + gamma service) against a brute-force numerical convolution.
#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "queueing/queueing.h"
#include "tests/queueing/reference.h"

namespace horizonscale::queueing {
namespace {

using reference::ExpectRelativelyNear;
using reference::FactorialErlangC;
using reference::MustEvaluate;

PoolSpec Pool(Model model, double lambda, double mean, double stddev, int c) {
  PoolSpec pool;
  pool.model = model;
  pool.arrival_rate = lambda;
  pool.mean_service_time = mean;
  pool.service_time_stddev = stddev;
  pool.workers = c;
  return pool;
}

// Gamma(k = 1/m or integer, rate b) service, wait = 0 w.p. 1 − C else Exp(ν):
// P(T > t) = P(S > t) + C ∫_0^t f_S(s) e^{−ν(t−s)} ds, integrated by Simpson
// after s = v^m (which makes the density smooth for k = 1/m).
struct BruteForceGammaResponse {
  long double k, b, erlang_c, nu;
  int m;  // substitution power: 1 for integer k, 1/k for k = 1/m

  long double Survival(long double t) const {
    const int n = 4000;
    const long double upper = std::pow(t, 1.0L / m);
    const long double h = upper / n;
    const long double norm = m * std::pow(b, k) / std::tgamma(k);
    // Density in v: m b^k v^{mk−1} e^{−b v^m} / Γ(k).
    auto density = [&](long double v) {
      const long double s = std::pow(v, static_cast<long double>(m));
      const long double power = m * k - 1 == 0 ? 1 : std::pow(v, m * k - 1);
      return norm * power * std::exp(-b * s);
    };
    long double cdf = 0;
    long double excess = 0;
    for (int i = 0; i <= n; ++i) {
      const long double v = i * h;
      const long double weight = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
      const long double d = density(v);
      cdf += weight * d;
      excess += weight * d * std::exp(-nu * (t - std::pow(v, static_cast<long double>(m))));
    }
    cdf *= h / 3;
    excess *= h / 3;
    return (1 - cdf) + erlang_c * excess;
  }
  long double Quantile(long double p) const {
    long double lo = 0;
    long double hi = 1;
    while (Survival(hi) > 1 - p) hi *= 2;
    while (hi - lo > 1e-12L * hi) {
      const long double mid = (lo + hi) / 2;
      (Survival(mid) > 1 - p ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
  }
};

TEST(MGcTest, UnitCvReproducesMMcExactly) {
  for (const auto& [lambda, c] : {std::pair{0.7, 1}, {7.5, 10}, {190.0, 200}, {1.0, 2}}) {
    const QueueMetrics mgc = MustEvaluate(Pool(Model::kMGc, lambda, 1, 1, c));
    const QueueMetrics mmc = MustEvaluate(Pool(Model::kMMc, lambda, 1, 0, c));
    EXPECT_EQ(mgc.probability_of_wait, mmc.probability_of_wait);
    EXPECT_EQ(mgc.mean_queue_length, mmc.mean_queue_length);
    EXPECT_EQ(mgc.queue_length_p95, mmc.queue_length_p95);
    EXPECT_EQ(mgc.mean_wait, mmc.mean_wait);
    EXPECT_EQ(mgc.mean_response, mmc.mean_response);
    EXPECT_EQ(mgc.wait_p50, mmc.wait_p50);
    EXPECT_EQ(mgc.wait_p95, mmc.wait_p95);
    EXPECT_EQ(mgc.wait_p99, mmc.wait_p99);
    EXPECT_EQ(mgc.response_p50, mmc.response_p50);
    EXPECT_EQ(mgc.response_p95, mmc.response_p95);
    EXPECT_EQ(mgc.response_p99, mmc.response_p99);
    EXPECT_EQ(mgc.utilization, mmc.utilization);
  }
}

TEST(MGcTest, DeterministicServiceHalvesTheWait) {
  for (const auto& [lambda, c] : {std::pair{0.7, 1}, {8.5, 10}, {45.0, 50}}) {
    const double s = 0.2;
    const QueueMetrics md = MustEvaluate(Pool(Model::kMGc, lambda / s, s, 0, c));
    const QueueMetrics mm = MustEvaluate(Pool(Model::kMMc, lambda / s, s, 0, c));
    EXPECT_EQ(md.probability_of_wait, mm.probability_of_wait);
    ExpectRelativelyNear(md.mean_wait, mm.mean_wait / 2, 1e-15);
    ExpectRelativelyNear(md.mean_queue_length, mm.mean_queue_length / 2, 1e-15);
    ExpectRelativelyNear(md.mean_response, mm.mean_wait / 2 + s, 1e-15);
    // Wait tail rate doubles: ln(C/(1−p)) / (2θ).
    ExpectRelativelyNear(md.wait_p95, mm.wait_p95 / 2, 1e-14);
    // T = s + W exactly.
    ExpectRelativelyNear(md.response_p50, s + md.wait_p50, 1e-15);
    ExpectRelativelyNear(md.response_p95, s + md.wait_p95, 1e-15);
    ExpectRelativelyNear(md.response_p99, s + md.wait_p99, 1e-15);
  }
  // M/D/1, λ = 0.5, s = 1: Pollaczek–Khinchine Wq = ρ s / (2(1 − ρ)) = 0.5.
  ExpectRelativelyNear(MustEvaluate(Pool(Model::kMGc, 0.5, 1, 0, 1)).mean_wait, 0.5L, 1e-15);
}

TEST(MGcTest, AllenCunneenScalesTheMeanWait) {
  for (double cv : {0.3, 0.5, 2.0, 5.0}) {
    const QueueMetrics mg = MustEvaluate(Pool(Model::kMGc, 40, 0.2, 0.2 * cv, 10));
    const QueueMetrics mm = MustEvaluate(Pool(Model::kMMc, 40, 0.2, 0, 10));
    ExpectRelativelyNear(mg.mean_wait, mm.mean_wait * (1 + cv * cv) / 2, 1e-14);
    ExpectRelativelyNear(mg.mean_queue_length, mm.mean_queue_length * (1 + cv * cv) / 2, 1e-14);
    EXPECT_EQ(mg.probability_of_wait, mm.probability_of_wait);
    // M/G/1 with Pollaczek–Khinchine: Wq = ρ s (1 + Cs²) / (2(1 − ρ)).
    const QueueMetrics pk = MustEvaluate(Pool(Model::kMGc, 3, 0.25, 0.25 * cv, 1));
    ExpectRelativelyNear(pk.mean_wait, 0.75L * 0.25L * (1 + cv * cv) / (2 * 0.25L), 1e-14);
  }
}

TEST(MGcTest, GammaResponseMatchesBruteForceConvolution) {
  struct Case {
    double lambda, mean, cv;
    int c;
    long double k;
    int m;
  };
  const double half = std::numbers::sqrt2 / 2;
  for (const Case& t :
       {Case{9, 1, 0.5, 10, 4, 1}, Case{50, 1, 0.5, 100, 4, 1}, Case{9.5, 1, 1.0 / 3, 10, 9, 1},
        Case{3, 0.5, half, 2, 2, 1}, Case{8, 1, 2, 10, 0.25L, 4},
        Case{40, 1, std::numbers::sqrt2, 60, 0.5L, 2}, Case{0.6, 1, 2, 1, 0.25L, 4}}) {
    SCOPED_TRACE(testing::Message() << "lambda=" << t.lambda << " cv=" << t.cv << " c=" << t.c);
    const QueueMetrics m = MustEvaluate(Pool(Model::kMGc, t.lambda, t.mean, t.mean * t.cv, t.c));
    const long double factor = (1 + static_cast<long double>(t.cv) * t.cv) / 2;
    const long double theta = (t.c - static_cast<long double>(t.lambda) * t.mean) / t.mean;
    const long double nu = theta / factor;
    const BruteForceGammaResponse bf{t.k, t.k / t.mean, m.probability_of_wait, nu, t.m};
    ExpectRelativelyNear(m.response_p50, bf.Quantile(0.50L), 2e-8);
    ExpectRelativelyNear(m.response_p95, bf.Quantile(0.95L), 2e-8);
    ExpectRelativelyNear(m.response_p99, bf.Quantile(0.99L), 2e-8);
    // The exponential wait tail has mean Wq / C.
    if (m.probability_of_wait > 0.05) {
      ExpectRelativelyNear(m.wait_p95, std::log(m.probability_of_wait / 0.05L) / nu, 1e-13);
    }
  }
}

TEST(MGcTest, QueueLengthTailMatchesLq) {
  for (double cv : {0.0, 0.5, 2.0}) {
    const QueueMetrics m = MustEvaluate(Pool(Model::kMGc, 9, 1, cv, 10));
    // Geometric tail P(Nq >= k) = C r^k with C r/(1 − r) = Lq.
    const long double erlang_c = m.probability_of_wait;
    const long double lq = m.mean_queue_length;
    const long double r = lq / (erlang_c + lq);
    const long double k = m.queue_length_p95;
    EXPECT_LE(erlang_c * std::pow(r, k + 1), 0.05L);
    EXPECT_GT(erlang_c * std::pow(r, k), 0.05L);
  }
}

TEST(MGcTest, NearDeterministicServiceIsContinuous) {
  // Across the switch from gamma to its normal approximation (shape 1e4).
  const QueueMetrics below = MustEvaluate(Pool(Model::kMGc, 9, 1, 0.01001, 10));
  const QueueMetrics above = MustEvaluate(Pool(Model::kMGc, 9, 1, 0.00999, 10));
  ExpectRelativelyNear(above.response_p95, below.response_p95, 1e-4);
  ExpectRelativelyNear(above.response_p50, below.response_p50, 1e-4);
  // Tiny CV: close to deterministic service.
  const QueueMetrics tiny = MustEvaluate(Pool(Model::kMGc, 9, 1, 1e-6, 10));
  const QueueMetrics det = MustEvaluate(Pool(Model::kMGc, 9, 1, 0, 10));
  ExpectRelativelyNear(tiny.response_p95, det.response_p95, 1e-5);
  ExpectRelativelyNear(tiny.response_p99, det.response_p99, 1e-5);
}

TEST(MGcTest, UnstableAndNoArrivals) {
  const QueueMetrics unstable = MustEvaluate(Pool(Model::kMGc, 10, 1, 2, 10));
  EXPECT_FALSE(unstable.stable);
  EXPECT_EQ(unstable.response_p95, HUGE_VAL);
  EXPECT_EQ(unstable.mean_wait, HUGE_VAL);
  EXPECT_FALSE(std::isnan(unstable.mean_queue_length));
  const QueueMetrics idle = MustEvaluate(Pool(Model::kMGc, 0, 1, 0.5, 3));
  EXPECT_EQ(idle.probability_of_wait, 0);
  EXPECT_EQ(idle.mean_wait, 0);
  EXPECT_EQ(idle.wait_p99, 0);
  // Response = Gamma(4, 4) service: P(S > t) = Σ_{i<4} e^{−4t}(4t)^i/i! = 0.05.
  const double t = idle.response_p95;
  const double x = 4 * t;
  EXPECT_NEAR(std::exp(-x) * (1 + x + x * x / 2 + x * x * x / 6), 0.05, 1e-12);
}

TEST(MGcTest, MonotoneInWorkers) {
  QueueMetrics previous = MustEvaluate(Pool(Model::kMGc, 20, 1, 2.5, 21));
  for (int c = 22; c <= 60; ++c) {
    const QueueMetrics m = MustEvaluate(Pool(Model::kMGc, 20, 1, 2.5, c));
    EXPECT_LE(m.mean_wait, previous.mean_wait);
    EXPECT_LE(m.queue_length_p95, previous.queue_length_p95);
    EXPECT_LE(m.wait_p99, previous.wait_p99);
    EXPECT_LE(m.response_p95, previous.response_p95);
    EXPECT_LE(m.response_p99, previous.response_p99);
    previous = m;
  }
}

}  // namespace
}  // namespace horizonscale::queueing

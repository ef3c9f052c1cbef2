// The generator's variates against their exact laws: tail probabilities of
// the ziggurat exponential (including beyond the base layer r ≈ 7.7), and of
// the polar-method normal, within 5 binomial standard errors.
#include <cmath>
#include <cstdint>

#include <gtest/gtest.h>

#include "simulator/internal/random.h"

namespace horizonscale::simulator {
namespace {

void ExpectTail(int64_t hits, int64_t n, double p, const char* what) {
  const double expected = p * static_cast<double>(n);
  EXPECT_NEAR(static_cast<double>(hits), expected, 5 * std::sqrt(expected * (1 - p)) + 1) << what;
}

TEST(RandomTest, ExponentialTailsAndMoments) {
  internal::Rng rng(99, internal::Stream::kArrivals);
  const int64_t n = 2'000'000;
  const double thresholds[] = {0.01, 0.1, 0.5, 1, 2, 4, 7, 8, 10};
  int64_t above[std::size(thresholds)] = {};
  double sum = 0;
  double squares = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double x = rng.Exponential();
    ASSERT_GE(x, 0);
    sum += x;
    squares += x * x;
    for (size_t k = 0; k < std::size(thresholds); ++k) above[k] += x > thresholds[k];
  }
  for (size_t k = 0; k < std::size(thresholds); ++k) {
    ExpectTail(above[k], n, std::exp(-thresholds[k]), "P(X > t)");
  }
  const double mean = sum / static_cast<double>(n);
  EXPECT_NEAR(mean, 1, 5 / std::sqrt(static_cast<double>(n)));
  EXPECT_NEAR(squares / static_cast<double>(n) - mean * mean, 1, 0.01);  // variance 1
}

TEST(RandomTest, ZigguratLayersHaveEqualArea) {
  const internal::ExponentialZiggurat& z = internal::kExponentialZiggurat;
  const double v = z.x[0] * z.f[1];                 // base layer
  EXPECT_NEAR(v, z.x[1] * z.f[1] + z.f[1], 1e-13);  // rectangle + tail ∫_r^∞ e^{−x}
  for (int i = 1; i < 256; ++i) EXPECT_NEAR(z.x[i] * (z.f[i + 1] - z.f[i]), v, 1e-13) << i;
}

TEST(RandomTest, NormalTails) {
  internal::Rng rng(5, internal::Stream::kNoise);
  internal::NormalSampler normal;
  const int64_t n = 1'000'000;
  int64_t above1 = 0;
  int64_t below_minus2 = 0;
  int64_t above3 = 0;
  for (int64_t i = 0; i < n; ++i) {
    const double z = normal.Next(rng);
    above1 += z > 1;
    below_minus2 += z < -2;
    above3 += z > 3;
  }
  ExpectTail(above1, n, 0.15865525393145707, "P(Z > 1)");
  ExpectTail(below_minus2, n, 0.022750131948179195, "P(Z < -2)");
  ExpectTail(above3, n, 0.0013498980316300946, "P(Z > 3)");
}

TEST(RandomTest, StreamsDiffer) {
  internal::Rng a(1, internal::Stream::kArrivals);
  internal::Rng b(1, internal::Stream::kService);
  internal::Rng c(2, internal::Stream::kArrivals);
  const uint64_t x = a.Next();
  EXPECT_NE(x, b.Next());
  EXPECT_NE(x, c.Next());
}

}  // namespace
}  // namespace horizonscale::simulator

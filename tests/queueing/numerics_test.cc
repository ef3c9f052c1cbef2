// The internal special functions against independent evaluations.
#include <cmath>

#include <gtest/gtest.h>

#include "queueing/internal/numerics.h"
#include "queueing/internal/root_finding.h"

namespace horizonscale::queueing::internal {
namespace {

// Q(n, x) for integer n = P(Poisson(x) <= n − 1), summed in long double.
long double PoissonCdf(int n_minus_1, long double x) {
  long double term = std::exp(-x);
  long double sum = term;
  for (int i = 1; i <= n_minus_1; ++i) {
    term *= x / i;
    sum += term;
  }
  return sum;
}

TEST(NumericsTest, RegularizedGammaMatchesPoissonForIntegerShape) {
  for (int k : {1, 2, 5, 20, 100}) {
    for (double x : {0.01, 0.5, 1.0, 3.0, 10.0, 25.0, 80.0, 120.0}) {
      const long double q = PoissonCdf(k - 1, x);
      EXPECT_NEAR(RegularizedGammaQ(k, x), static_cast<double>(q), 1e-14 + 1e-12 * q)
          << "k=" << k << " x=" << x;
      EXPECT_NEAR(RegularizedGammaP(k, x), static_cast<double>(1 - q), 1e-14 + 1e-12 * (1 - q));
    }
  }
}

TEST(NumericsTest, RegularizedGammaHalfIntegerIsErfc) {
  // Q(1/2, x) = erfc(√x).
  for (double x : {0.001, 0.3, 1.0, 2.0, 7.5, 30.0}) {
    EXPECT_NEAR(RegularizedGammaQ(0.5, x), std::erfc(std::sqrt(x)),
                1e-15 + 1e-12 * std::erfc(std::sqrt(x)));
  }
}

TEST(NumericsTest, RegularizedGammaHalfIntegerShapes) {
  // Q(a + 1, x) = Q(a, x) + x^a e^{−x} / Γ(a + 1), from Q(1/2, x) = erfc(√x).
  for (double x : {0.2, 1.0, 4.0, 12.0, 40.0}) {
    long double q = std::erfc(std::sqrt(static_cast<long double>(x)));
    for (int n = 0; n < 30; ++n) {
      const long double a = n + 0.5L;
      if (n == 1 || n == 2 || n == 10 || n == 29) {
        EXPECT_NEAR(RegularizedGammaQ(static_cast<double>(a), x), static_cast<double>(q),
                    1e-15 + 1e-11 * q)
            << "a=" << static_cast<double>(a) << " x=" << x;
      }
      q += std::exp(a * std::log(static_cast<long double>(x)) - x - std::lgamma(a + 1));
    }
  }
}

TEST(NumericsTest, LogPoissonPmfMatchesLgamma) {
  for (double k : {0.0, 1.0, 7.0, 15.0, 16.0, 100.0, 12345.0, 1e6}) {
    for (double mean : {0.5, 10.0, 100.0, 12000.0, 1e6}) {
      const long double expected =
          k * std::log(static_cast<long double>(mean)) - mean - std::lgamma(k + 1.0L);
      EXPECT_NEAR(LogPoissonPmf(k, mean), static_cast<double>(expected),
                  1e-12 * std::max(1.0L, std::fabs(expected)));
    }
  }
}

TEST(NumericsTest, GeometricSums) {
  auto direct = [](double lf, double lr, int n) {
    long double s = 0;
    for (int i = 0; i < n; ++i) s += std::exp(static_cast<long double>(lf) + i * lr);
    return static_cast<double>(s);
  };
  for (double lr : {-3.0, -0.1, -1e-9, 0.0, 1e-9, 0.1, 2.0}) {
    for (int n : {0, 1, 2, 10, 300}) {
      const double expected = direct(-20, lr, n);
      EXPECT_NEAR(ScaledGeometricSum(-20, lr, n), expected, 1e-13 * expected + 1e-300);
    }
  }
  // No overflow of r^n: Σ_{i<n} e^{i} e^{-n} for n = 10^6.
  EXPECT_NEAR(ScaledGeometricSum(-1e6, 1.0, 1'000'000), std::exp(-1.0) / (1 - std::exp(-1.0)),
              1e-12);
}

TEST(NumericsTest, TruncatedGeometricMean) {
  auto direct = [](int n, double lr) {
    long double num = 0;
    long double den = 0;
    for (int i = 0; i < n; ++i) {
      const long double w = std::exp(static_cast<long double>(i) * lr);
      num += i * w;
      den += w;
    }
    return static_cast<double>(num / den);
  };
  for (double lr : {-5.0, -0.5, -1e-3, -1e-8, 0.0, 1e-8, 1e-3, 0.5, 5.0}) {
    for (int n : {1, 2, 3, 50, 2000}) {
      const double expected = direct(n, lr);
      EXPECT_NEAR(TruncatedGeometricMean(n, lr), expected, 1e-12 * std::max(1.0, expected))
          << "n=" << n << " lr=" << lr;
    }
  }
}

TEST(NumericsTest, OneMinusExpOverX) {
  EXPECT_EQ(OneMinusExpOverX(0), 1.0);
  EXPECT_NEAR(OneMinusExpOverX(1e-12), 1 - 0.5e-12, 1e-16);
  EXPECT_NEAR(OneMinusExpOverX(2), (1 - std::exp(-2.0)) / 2, 1e-16);
}

TEST(NumericsTest, LogNormalCdf) {
  for (double z : {-3.0, 0.0, 1.5, -20.0, -29.0}) {
    EXPECT_NEAR(LogNormalCdf(z), std::log(0.5 * std::erfc(-z / std::sqrt(2.0))),
                1e-12 * std::max(1.0, z * z));
  }
  // Continuity across the switch to the asymptotic series at z = −30.
  EXPECT_NEAR(LogNormalCdf(-30.0000001), LogNormalCdf(-29.9999999), 1e-5);
}

TEST(NumericsTest, PoissonMeanOfReciprocal) {
  // E[1/(1+N)] = (1 − e^{−m})/m.
  for (double m : {0.0, 0.3, 5.0, 80.0, 2500.0}) {
    const double expected = m == 0 ? 1 : -std::expm1(-m) / m;
    EXPECT_NEAR(PoissonMeanOfReciprocal(1, m), expected, 1e-14 * expected);
  }
}

TEST(NumericsTest, BrentFindsRootsToTolerance) {
  const double root = BrentZero([](double x) { return std::cos(x) - x; }, 0, 1, 1, std::cos(1) - 1);
  // Brent stops at ~kRootRelativeTolerance (1e-13) relative.
  EXPECT_NEAR(root, 0.7390851332151607, 1e-13);
  const double cubic = BrentZero([](double x) { return x * x * x - 2; }, 0, 2, -2, 6);
  EXPECT_NEAR(cubic, std::cbrt(2.0), 2e-13);
  const double q = SurvivalQuantile([](double t) { return std::exp(-t); }, 0.95, 0, 1);
  EXPECT_NEAR(q, std::log(20.0), 1e-12);
}

}  // namespace
}  // namespace horizonscale::queueing::internal

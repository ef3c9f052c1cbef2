// Student's t CDF and quantile (see student_t.h).
#include "forecast/numerics/student_t.h"

#include <cmath>  // also declares glibc's re-entrant ::lgamma_r (_GNU_SOURCE)
#include <limits>
#include <numbers>

#include "forecast/numerics/normal_quantile.h"

namespace horizonscale::numerics {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ln Γ(x) for x > 0, re-entrant (std::lgamma writes the global signgam).
double LogGamma(double x) {
  int sign = 0;
  return ::lgamma_r(x, &sign);
}

// The continued fraction of I_x(a, b) (modified Lentz), converging fast for
// x < (a + 1) / (a + b + 2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  constexpr int kMaxIterations = 10'000;
  const double qab = a + b;
  const double qap = a + 1;
  const double qam = a - 1;
  double c = 1;
  double d = 1 - qab * x / qap;
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= kMaxIterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return h;
}

// The t density at t.
double StudentTDensity(double t, double df) {
  return std::exp(LogGamma((df + 1) / 2) - LogGamma(df / 2) -
                  0.5 * std::log(df * std::numbers::pi) - (df + 1) / 2 * std::log1p(t * t / df));
}

// Cornish–Fisher expansion of the t quantile around the normal one (z the
// normal quantile at the same probability): a starting point.
double CornishFisherStart(double z, double df) {
  const double z2 = z * z;
  const double g1 = (z2 + 1) * z / 4;
  const double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
  const double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
  const double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

// The t > 0 with P(T > t) = q, for q in (0, 0.5).
double UpperQuantile(double q, double df) {
  if (df == 1) return std::cos(std::numbers::pi * q) / std::sin(std::numbers::pi * q);
  if (df == 2) return (1 - 2 * q) / std::sqrt(2 * q * (1 - q));
  double t = CornishFisherStart(-NormalQuantile(q), df);
  if (!(t > 0) || !std::isfinite(t)) t = 1;
  // Bracket [low, high] with tail(low) > q >= tail(high).
  double low = 0;
  double high = t;
  while (StudentTUpperTail(high, df) > q) {
    low = high;
    high *= 2;
  }
  for (int i = 0; i < 200; ++i) {
    const double excess = StudentTUpperTail(t, df) - q;  // decreasing in t
    if (excess > 0) {
      low = t;
    } else {
      high = t;
    }
    double next = t + excess / StudentTDensity(t, df);
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (std::fabs(next - t) <= 1e-15 * t || high - low <= 1e-15 * high) return next;
    t = next;
  }
  return t;
}

}  // namespace

double RegularizedIncompleteBeta(double a, double b, double x, double one_minus_x) {
  if (!(x > 0)) return 0;
  if (!(one_minus_x > 0)) return 1;
  const double log_front =
      LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * std::log(x) + b * std::log(one_minus_x);
  if (x < (a + 1) / (a + b + 2)) {
    return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  }
  return 1 - std::exp(log_front) * BetaContinuedFraction(b, a, one_minus_x) / b;
}

double StudentTUpperTail(double t, double df) {
  const double t2 = t * t;
  // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t²).
  const double two_sided = RegularizedIncompleteBeta(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
  return t >= 0 ? two_sided / 2 : 1 - two_sided / 2;
}

double StudentTQuantile(double p, double df) {
  if (!(p > 0 && p < 1) || !(df > 0)) return kNaN;
  if (p == 0.5) return 0;
  return p > 0.5 ? UpperQuantile(1 - p, df) : -UpperQuantile(p, df);
}

}  // namespace horizonscale::numerics

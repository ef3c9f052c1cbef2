// Bracketing root finder (Brent's method) for the percentile solvers.
// Internal to hs_queueing.
#pragma once

#include <cfloat>
#include <cmath>

namespace horizonscale::queueing::internal {

// Relative tolerance the percentile solvers ask of Brent's method.
inline constexpr double kRootRelativeTolerance = 1e-13;

// Finds a zero of `f` in [a, b] given fa = f(a) and fb = f(b) of opposite
// signs (or one of them zero), by Brent's method (R. P. Brent, "Algorithms
// for Minimization without Derivatives", 1973, procedure zero): inverse
// quadratic / secant steps safeguarded by bisection, so it never leaves the
// bracket and converges at worst like bisection. Stops when the bracket is
// within 2·DBL_EPSILON·|x| + rel_tol·|x| + abs_tol. When fa and fb have the
// same sign, returns the end point with the smaller |f| (callers guarantee a
// bracket).
template <class F>
double BrentZero(F&& f, double a, double b, double fa, double fb,
                 double rel_tol = kRootRelativeTolerance, double abs_tol = 0) {
  if (fa == 0) return a;
  if (fb == 0) return b;
  if ((fa > 0) == (fb > 0)) return std::fabs(fa) < std::fabs(fb) ? a : b;
  double c = a;
  double fc = fa;
  double d = b - a;
  double e = d;
  for (int iteration = 0; iteration < 300; ++iteration) {
    if ((fb > 0) == (fc > 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 2 * DBL_EPSILON * std::fabs(b) + 0.5 * (rel_tol * std::fabs(b) + abs_tol);
    const double xm = 0.5 * (c - b);
    if (std::fabs(xm) <= tol || fb == 0) return b;
    if (std::fabs(e) >= tol && std::fabs(fa) > std::fabs(fb)) {
      const double s = fb / fa;
      double p;
      double q;
      if (a == c) {
        p = 2 * xm * s;
        q = 1 - s;
      } else {
        const double qa = fa / fc;
        const double r = fb / fc;
        p = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) {
        q = -q;
      } else {
        p = -p;
      }
      if (2 * p < 3 * xm * q - std::fabs(tol * q) && p < std::fabs(0.5 * e * q)) {
        e = d;
        d = p / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += std::fabs(d) > tol ? d : std::copysign(tol, xm);
    fb = f(b);
  }
  return b;
}

// The p-quantile inf{t >= lo : survival(t) <= 1 − p} of a continuous,
// non-increasing survival function, given a lower bound `lo` (survival(lo) >
// 1 − p is not required: lo is returned when it already qualifies) and a
// positive `scale` for the first step of the upward bracket search (which
// doubles the step until survival drops to 1 − p). Returns +infinity if no
// bracket is found within 2^200 · scale.
template <class Survival>
double SurvivalQuantile(Survival&& survival, double p, double lo, double scale) {
  const double tail = 1 - p;
  const double f_lo = survival(lo) - tail;
  if (f_lo <= 0) return lo;
  double step = scale;
  double a = lo;
  double fa = f_lo;
  for (int i = 0; i < 200; ++i) {
    const double b = lo + step;
    const double fb = survival(b) - tail;
    if (fb <= 0) {
      return BrentZero([&](double t) { return survival(t) - tail; }, a, b, fa, fb);
    }
    a = b;
    fa = fb;
    step *= 2;
  }
  return HUGE_VAL;
}

}  // namespace horizonscale::queueing::internal

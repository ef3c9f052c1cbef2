// Student's t distribution: CDF and quantile, for the confidence intervals
// of the simulator's SummaryIntervals. Pure; thread-safe.
#pragma once

namespace horizonscale::numerics {

// Regularized incomplete beta I_x(a, b) for a, b > 0 and x in [0, 1], by
// Lentz's continued fraction (with the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
// where it converges faster); relative accuracy ~1e-14. `one_minus_x` must be
// 1 − x (passed separately so that it keeps its precision when x is near 1).
double RegularizedIncompleteBeta(double a, double b, double x, double one_minus_x);

// P(T > t) for T ~ Student t with `df` > 0 degrees of freedom.
double StudentTUpperTail(double t, double df);

// The p-quantile of Student's t with `df` > 0 degrees of freedom, p in
// (0, 1): closed forms for df = 1 and 2, otherwise Newton's method on the
// upper tail (safeguarded by bisection) from a Cornish–Fisher start;
// accurate to ~1e-12 relative. NaN outside the domain.
double StudentTQuantile(double p, double df);

}  // namespace horizonscale::numerics

// A small Levenberg–Marquardt minimiser of a sum of squared residuals with a
// forward-difference Jacobian, for the ARIMA estimators (both the conditional
// sum of squares and the exact likelihood are written as sums of squares).
// Internal to forecast/arima/; deterministic.
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

#include <absl/functional/function_ref.h>

namespace horizonscale::forecast::internal {

struct LeastSquaresOptions {
  // Cap on Jacobian evaluations (iterations that moved).
  int max_iterations = 50;
  // Converged when an accepted step lowers the sum of squares by at most
  // this fraction of it.
  double tolerance = 1e-7;
};

struct LeastSquaresResult {
  std::vector<double> point;
  double value = std::numeric_limits<double>::infinity();  // the sum of squares there
  int evaluations = 0;                                     // residual vector evaluations
  bool converged = false;
};

// Fills `residuals` (size given to MinimizeSumOfSquares) at `point`; returns
// false when `point` is infeasible (treated as an infinite sum of squares).
using ResidualFunction =
    absl::FunctionRef<bool(std::span<const double> point, std::span<double> residuals)>;

// Minimises Σ residuals² from `start` (d >= 1 parameters, `count` >= 1
// residuals). `scales` (size d, > 0) are typical magnitudes of the
// parameters: the Jacobian's step for parameter i is 1e-7 · max(|x_i|,
// scales_i). Damping follows Marquardt (λ · diag JᵀJ). Returns value = +inf
// when the start is infeasible.
LeastSquaresResult MinimizeSumOfSquares(ResidualFunction residuals, size_t count,
                                        std::span<const double> start,
                                        std::span<const double> scales,
                                        const LeastSquaresOptions& options = {});

}  // namespace horizonscale::forecast::internal

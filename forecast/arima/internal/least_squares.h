// A small Levenberg–Marquardt minimiser of a sum of squared residuals with a
// forward-difference or analytic Jacobian, for the ARIMA estimators (both the conditional
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
  // Cap on iterations (each computes or updates the Jacobian and tries
  // damped steps from it).
  int max_iterations = 50;
  // Converged when an accepted step lowers the sum of squares by at most
  // this fraction of it.
  double tolerance = 1e-7;
  // After the first forward-difference Jacobian, update it along each
  // accepted step (Broyden's rank-one secant update) instead of
  // recomputing it; it is recomputed when a step from an updated one is
  // rejected or lowers the sum by at most `tolerance` (convergence is only
  // declared from a recomputed one).
  bool broyden = false;
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

// Fills `jacobian` (column-major, count × d: ∂residual_t / ∂point_i at
// column i) at `point`, where the residuals are `residuals`.
using JacobianFunction = absl::FunctionRef<void(
    std::span<const double> point, std::span<const double> residuals, std::span<double> jacobian)>;

// Minimises Σ residuals² from `start` (d >= 1 parameters, `count` >= 1
// residuals). `scales` (size d, > 0) are typical magnitudes of the
// parameters: the Jacobian's step for parameter i is 1e-7 · max(|x_i|,
// scales_i). Damping follows Marquardt (λ · diag JᵀJ). Returns value = +inf
// when the start is infeasible.
LeastSquaresResult MinimizeSumOfSquares(ResidualFunction residuals, size_t count,
                                        std::span<const double> start,
                                        std::span<const double> scales,
                                        const LeastSquaresOptions& options = {});

// The same with an analytic Jacobian in place of forward differences.
LeastSquaresResult MinimizeSumOfSquares(ResidualFunction residuals, JacobianFunction jacobian,
                                        size_t count, std::span<const double> start,
                                        const LeastSquaresOptions& options = {});

}  // namespace horizonscale::forecast::internal

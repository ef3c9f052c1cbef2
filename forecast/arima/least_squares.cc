// Levenberg–Marquardt (internal/least_squares.h).
#include "forecast/arima/internal/least_squares.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace horizonscale::forecast::internal {
namespace {

constexpr double kRelativeStep = 1e-7;
constexpr double kInitialDamping = 1e-3;
constexpr double kMaxDamping = 1e12;
constexpr int kMaxRejections = 12;

double SumOfSquares(std::span<const double> values) {
  // Two interleaved partial sums: no loop-carried latency on one register.
  double even = 0;
  double odd = 0;
  size_t i = 0;
  for (; i + 1 < values.size(); i += 2) {
    even += values[i] * values[i];
    odd += values[i + 1] * values[i + 1];
  }
  if (i < values.size()) even += values[i] * values[i];
  const double sum = even + odd;
  return std::isfinite(sum) ? sum : std::numeric_limits<double>::infinity();
}

// Two doubles (GCC/Clang vector extension: SSE2 on x86-64, NEON on ARM64).
using Pair = double __attribute__((vector_size(16)));

Pair Load(const double* p) {
  Pair v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Σ a_t b_t over `count` values, with four interleaved partial sums.
double Dot(const double* a, const double* b, size_t count) {
  Pair low = {0, 0};
  Pair high = {0, 0};
  size_t t = 0;
  for (; t + 3 < count; t += 4) {
    low += Load(a + t) * Load(b + t);
    high += Load(a + t + 2) * Load(b + t + 2);
  }
  double sum = (low[0] + high[0]) + (low[1] + high[1]);
  for (; t < count; ++t) sum += a[t] * b[t];
  return sum;
}

// The minimiser; `analytic` null: forward differences with `scales`.
LeastSquaresResult Minimize(ResidualFunction residuals, const JacobianFunction* analytic,
                            size_t count, std::span<const double> start,
                            std::span<const double> scales, const LeastSquaresOptions& options) {
  const size_t d = start.size();
  LeastSquaresResult result;
  result.point.assign(start.begin(), start.end());
  std::vector<double> r(count);
  std::vector<double> trial_r(count);
  std::vector<double> trial(d);
  ++result.evaluations;
  if (!residuals(result.point, r)) return result;
  result.value = SumOfSquares(r);
  if (!std::isfinite(result.value)) return result;

  Eigen::MatrixXd jacobian(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(d));
  Eigen::VectorXd step(static_cast<Eigen::Index>(d));
  const Eigen::Index dims = static_cast<Eigen::Index>(d);
  Eigen::MatrixXd normal(dims, dims);
  Eigen::VectorXd gradient(dims);
  double damping = kInitialDamping;
  // `exact`: `jacobian` was computed at the current point (analytic or by
  // forward differences), not obtained by Broyden updates of an older one.
  bool need_jacobian = true;
  bool exact = false;
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
    if (need_jacobian && analytic != nullptr) {
      (*analytic)(result.point, r, std::span<double>(jacobian.data(), count * d));
    } else if (need_jacobian) {
      // Forward differences (backward where the forward point is infeasible).
      for (size_t i = 0; i < d; ++i) {
        trial.assign(result.point.begin(), result.point.end());
        double h = kRelativeStep * std::max(std::abs(result.point[i]), scales[i]);
        trial[i] += h;
        ++result.evaluations;
        bool ok = residuals(trial, trial_r);
        if (!ok) {
          h = -h;
          trial[i] = result.point[i] + h;
          ++result.evaluations;
          ok = residuals(trial, trial_r);
        }
        double* column = jacobian.col(static_cast<Eigen::Index>(i)).data();
        if (ok) {
          const double inverse = 1 / h;
          for (size_t t = 0; t < count; ++t) column[t] = (trial_r[t] - r[t]) * inverse;
        } else {
          std::fill(column, column + count, 0.0);
        }
      }
    }
    if (need_jacobian) {
      need_jacobian = false;
      exact = true;
    }
    const Eigen::Map<const Eigen::VectorXd> rv(r.data(), static_cast<Eigen::Index>(count));
    // JᵀJ and Jᵀr by column dot products (d is small: cheaper than a GEMM).
    for (Eigen::Index i = 0; i < dims; ++i) {
      const double* ci = jacobian.col(i).data();
      for (Eigen::Index j = 0; j <= i; ++j) {
        normal(i, j) = normal(j, i) = Dot(ci, jacobian.col(j).data(), count);
      }
      gradient(i) = Dot(ci, r.data(), count);
    }
    bool moved = false;
    for (int rejection = 0; rejection < kMaxRejections && damping < kMaxDamping; ++rejection) {
      Eigen::MatrixXd damped = normal;
      for (Eigen::Index i = 0; i < damped.rows(); ++i) {
        damped(i, i) += damping * std::max(normal(i, i), 1e-12);
      }
      step = damped.ldlt().solve(-gradient);
      for (size_t i = 0; i < d; ++i)
        trial[i] = result.point[i] + step(static_cast<Eigen::Index>(i));
      ++result.evaluations;
      const double value = residuals(trial, trial_r) ? SumOfSquares(trial_r)
                                                     : std::numeric_limits<double>::infinity();
      if (value < result.value) {
        const double decrease = result.value - value;
        if (options.broyden) {
          // J += (Δr − J s) sᵀ / (sᵀ s): the secant condition along the step.
          const double norm2 = step.squaredNorm();
          if (norm2 > 0) {
            const Eigen::Map<const Eigen::VectorXd> next(trial_r.data(),
                                                         static_cast<Eigen::Index>(count));
            const Eigen::VectorXd mismatch = (next - rv) - jacobian * step;
            jacobian.noalias() += mismatch * (step.transpose() / norm2);
          }
        }
        result.point.assign(trial.begin(), trial.end());
        r.swap(trial_r);
        result.value = value;
        damping = std::max(damping * 0.2, 1e-10);
        moved = true;
        // Convergence is only declared on a step from exact differences; a
        // small step from an updated Jacobian asks for exact ones.
        const bool small = decrease <= options.tolerance * value;
        if (small && exact) result.converged = true;
        need_jacobian = !options.broyden || small;
        exact = false;
        break;
      }
      damping *= 8;
      // An updated Jacobian is recomputed before the damping climbs further.
      if (!exact) {
        need_jacobian = true;
        break;
      }
    }
    if (!moved && exact) {
      // No downhill step at any damping: a (numerical) minimum.
      result.converged = true;
      break;
    }
    if (result.converged) break;
  }
  return result;
}

}  // namespace

LeastSquaresResult MinimizeSumOfSquares(ResidualFunction residuals, size_t count,
                                        std::span<const double> start,
                                        std::span<const double> scales,
                                        const LeastSquaresOptions& options) {
  return Minimize(residuals, nullptr, count, start, scales, options);
}

LeastSquaresResult MinimizeSumOfSquares(ResidualFunction residuals, JacobianFunction jacobian,
                                        size_t count, std::span<const double> start,
                                        const LeastSquaresOptions& options) {
  return Minimize(residuals, &jacobian, count, start, {}, options);
}

}  // namespace horizonscale::forecast::internal

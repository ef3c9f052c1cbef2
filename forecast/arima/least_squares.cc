// Levenberg–Marquardt (internal/least_squares.h).
#include "forecast/arima/internal/least_squares.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
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
  double sum = 0;
  for (const double value : values) sum += value * value;
  return std::isfinite(sum) ? sum : std::numeric_limits<double>::infinity();
}

}  // namespace

LeastSquaresResult MinimizeSumOfSquares(ResidualFunction residuals, size_t count,
                                        std::span<const double> start,
                                        std::span<const double> scales,
                                        const LeastSquaresOptions& options) {
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
  double damping = kInitialDamping;
  for (int iteration = 0; iteration < options.max_iterations; ++iteration) {
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
      for (size_t t = 0; t < count; ++t) {
        jacobian(static_cast<Eigen::Index>(t), static_cast<Eigen::Index>(i)) =
            ok ? (trial_r[t] - r[t]) / h : 0.0;
      }
    }
    const Eigen::Map<const Eigen::VectorXd> rv(r.data(), static_cast<Eigen::Index>(count));
    const Eigen::MatrixXd normal = jacobian.transpose() * jacobian;
    const Eigen::VectorXd gradient = jacobian.transpose() * rv;
    bool moved = false;
    for (int rejection = 0; rejection < kMaxRejections && damping < kMaxDamping; ++rejection) {
      Eigen::MatrixXd damped = normal;
      for (Eigen::Index i = 0; i < damped.rows(); ++i) {
        damped(i, i) += damping * std::max(normal(i, i), 1e-12);
      }
      const Eigen::VectorXd step = damped.ldlt().solve(-gradient);
      for (size_t i = 0; i < d; ++i)
        trial[i] = result.point[i] + step(static_cast<Eigen::Index>(i));
      ++result.evaluations;
      const double value = residuals(trial, trial_r) ? SumOfSquares(trial_r)
                                                     : std::numeric_limits<double>::infinity();
      if (value < result.value) {
        const double decrease = result.value - value;
        result.point.assign(trial.begin(), trial.end());
        r.swap(trial_r);
        result.value = value;
        damping = std::max(damping * 0.2, 1e-10);
        moved = true;
        if (decrease <= options.tolerance * value) result.converged = true;
        break;
      }
      damping *= 8;
    }
    if (!moved) {
      // No downhill step at any damping: a (numerical) minimum.
      result.converged = true;
      break;
    }
    if (result.converged) break;
  }
  return result;
}

}  // namespace horizonscale::forecast::internal

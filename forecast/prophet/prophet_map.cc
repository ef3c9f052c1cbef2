// Exact MAP of a Gaussian linear model with Normal / Laplace coefficient
// priors and a half-normal noise prior (forecast/prophet/internal/prophet_map.h):
// feature-sign search on the Gram matrix (coordinate descent as the fallback)
// alternated with closed-form σ updates.
#include "forecast/prophet/internal/prophet_map.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>

namespace horizonscale::forecast::internal {
namespace {

// The σ minimising n·log σ + rss/(2σ²) + σ²/(2·scale²): the positive root of
// u²/scale² + n·u − rss = 0 in u = σ², in a form without cancellation.
double SigmaGivenRss(double rss, int n, double scale) {
  const double u =
      2 * rss / (n + std::sqrt(static_cast<double>(n) * n + 4 * rss / (scale * scale)));
  return std::sqrt(u);
}

double SoftThreshold(double z, double w) {
  if (z > w) return z - w;
  if (z < -w) return z + w;
  return 0;
}

int Sign(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

// Minimiser of ½θᵀHθ − bᵀθ + Σ_j w_j|θ_j| with H = G + diag(ridge) positive
// definite on the coefficients that matter, warm-started from θ. H is not
// formed: G is read and the ridge added on its diagonal.
class PenalizedQuadratic {
 public:
  PenalizedQuadratic(const Eigen::MatrixXd& gram, const Eigen::VectorXd& xty, double yty,
                     Eigen::VectorXd ridge, Eigen::VectorXd l1)
      : g_(gram),
        ridge_(std::move(ridge)),
        b_(xty),
        w_(std::move(l1)),
        p_(static_cast<int>(xty.size())),
        y_norm_(std::sqrt(std::max(yty, 0.0))) {
    allowance_ = 1e-9 * (gram.diagonal().cwiseMax(0).cwiseSqrt() * y_norm_ + w_);
  }

  // Moves `theta` to the minimiser: feature-sign search, then coordinate
  // descent should that fail. Returns false when the sweep cap stopped the
  // descent first. Adds to the counters of `fit`.
  bool Solve(Eigen::VectorXd& theta, const LinearMapSettings& settings, LinearMapFit& fit) {
    if (settings.use_active_set) {
      if (FeatureSign(theta, fit.active_set_steps)) return true;
      ++fit.descent_fallbacks;
    }
    return Descend(theta, settings, fit.sweeps);
  }

 private:
  // Feature-sign search (Lee, Battle, Raina & Ng, "Efficient sparse coding
  // algorithms", NIPS 2006), with the coefficients without a Laplace prior
  // always active:
  //  (a) on the active set A (those coefficients plus the nonzero or newly
  //      signed ones) solve H_AA θ_A = b_A − w_A∘sign_A exactly (LDLᵀ);
  //  (b) line search from θ to that solution over the end point and the
  //      points where a coefficient crosses zero, keeping the lowest
  //      objective; coefficients reaching zero leave A;
  //  (c) once θ is stationary on A, the zero coefficient violating its
  //      optimality condition |b_j − (Hθ)_j| <= w_j the most joins A with the
  //      sign of that gradient; none violating: θ is the minimiser.
  // Each step lowers the objective strictly, so no active set and signs
  // repeat and the search ends. Conditions are checked to a rounding
  // allowance of 1e-9·(‖X_j‖·‖y‖ + w_j). Returns false on a singular system
  // or after an iteration cap (leaving θ at a descent point).
  bool FeatureSign(Eigen::VectorXd& theta, int& steps) {
    std::vector<int> sign(p_);
    for (int j = 0; j < p_; ++j) sign[j] = w_[j] == 0 ? 0 : Sign(theta[j]);
    Eigen::VectorXd h_theta = ApplyH(theta);
    bool stationary = false;  // θ is known to solve the equations on A
    const int cap = 10 * p_ + 50;
    std::vector<int> active;
    for (int iteration = 0; iteration < cap; ++iteration) {
      if (!stationary) stationary = Stationary(theta, h_theta, sign);
      if (stationary) {
        int worst = -1;
        double worst_excess = 0;
        for (int j = 0; j < p_; ++j) {
          if (w_[j] == 0 || theta[j] != 0) continue;
          const double excess = std::abs(b_[j] - h_theta[j]) - w_[j] - allowance_[j];
          if (excess > worst_excess) {
            worst = j;
            worst_excess = excess;
          }
        }
        if (worst < 0) return true;
        sign[worst] = Sign(b_[worst] - h_theta[worst]);
      }
      ++steps;
      active.clear();
      for (int j = 0; j < p_; ++j) {
        if (w_[j] == 0 || sign[j] != 0) active.push_back(j);
      }
      const int a = static_cast<int>(active.size());
      Eigen::MatrixXd h_aa(a, a);
      Eigen::VectorXd rhs(a);
      Eigen::VectorXd gradient(a);  // b_A − (Hθ)_A: minus the smooth gradient
      for (int c = 0; c < a; ++c) {
        const int j = active[c];
        for (int r = 0; r < a; ++r) h_aa(r, c) = g_(active[r], j);
        h_aa(c, c) += ridge_[j];
        rhs[c] = b_[j] - w_[j] * sign[j];
        gradient[c] = b_[j] - h_theta[j];
      }
      const Eigen::LDLT<Eigen::MatrixXd> ldlt(h_aa);
      if (ldlt.info() != Eigen::Success) return false;
      Eigen::VectorXd direction = ldlt.solve(rhs);
      if (!direction.allFinite()) return false;
      for (int c = 0; c < a; ++c) direction[c] -= theta[active[c]];
      // Objective along θ + α·d, up to a constant:
      //   −α·gradientᵀd + ½α²·dᵀH_AA d + Σ_A w_j|θ_j + α d_j|.
      const double slope = -gradient.dot(direction);
      const double curvature = direction.dot(h_aa * direction);
      auto objective = [&](double alpha) {
        double value = alpha * slope + 0.5 * alpha * alpha * curvature;
        for (int c = 0; c < a; ++c) {
          const int j = active[c];
          if (w_[j] != 0) value += w_[j] * std::abs(theta[j] + alpha * direction[c]);
        }
        return value;
      };
      double best_alpha = 1;
      double best_value = objective(1);
      std::vector<double> crossing(a, 2.0);  // where θ_j + α·d_j = 0, if in (0, 1)
      for (int c = 0; c < a; ++c) {
        const int j = active[c];
        const double end = theta[j] + direction[c];
        if (w_[j] == 0 || theta[j] == 0 || Sign(end) == Sign(theta[j])) continue;
        crossing[c] = theta[j] / (theta[j] - end);
        const double value = objective(crossing[c]);
        if (value < best_value) {
          best_value = value;
          best_alpha = crossing[c];
        }
      }
      bool crossed = false;
      for (int c = 0; c < a; ++c) {
        const int j = active[c];
        // The coefficient whose zero crossing was chosen lands on 0 exactly.
        theta[j] = crossing[c] == best_alpha ? 0 : theta[j] + best_alpha * direction[c];
        if (w_[j] == 0) continue;
        const int now = Sign(theta[j]);
        crossed = crossed || now != sign[j];
        sign[j] = now;
      }
      h_theta = ApplyH(theta);
      // A full step with every sign kept solved the equations on A.
      stationary = best_alpha == 1 && !crossed;
    }
    return false;
  }

  // Whether θ solves the equations on its active set, to the allowance.
  bool Stationary(const Eigen::VectorXd& theta, const Eigen::VectorXd& h_theta,
                  const std::vector<int>& sign) const {
    for (int j = 0; j < p_; ++j) {
      if (w_[j] != 0 && sign[j] == 0) continue;
      const double residual = b_[j] - h_theta[j] - w_[j] * sign[j];
      if (std::abs(residual) > allowance_[j]) return false;
      if (w_[j] != 0 && Sign(theta[j]) != sign[j]) return false;
    }
    return true;
  }

  // Cyclic coordinate descent with soft-thresholding from θ until no
  // coefficient moves the fit by more than cd_tolerance·‖y‖, or the sweep cap
  // (then returns false).
  bool Descend(Eigen::VectorXd& theta, const LinearMapSettings& settings, int& sweeps) {
    Eigen::VectorXd h_theta = ApplyH(theta);
    for (int sweep = 0; sweep < settings.max_sweeps; ++sweep) {
      ++sweeps;
      double moved = 0;
      for (int j = 0; j < p_; ++j) {
        const double h_jj = g_(j, j) + ridge_[j];
        if (!(h_jj > 0)) continue;
        const double z = b_[j] - h_theta[j] + h_jj * theta[j];
        const double updated = SoftThreshold(z, w_[j]) / h_jj;
        const double delta = updated - theta[j];
        if (delta == 0) continue;
        theta[j] = updated;
        h_theta.noalias() += delta * g_.col(j);
        h_theta[j] += delta * ridge_[j];
        moved = std::max(moved, std::abs(delta) * std::sqrt(h_jj));
      }
      if (moved <= settings.cd_tolerance * y_norm_) return true;
    }
    return false;
  }

  // Hθ.
  Eigen::VectorXd ApplyH(const Eigen::VectorXd& theta) const {
    Eigen::VectorXd product = g_ * theta;
    product += ridge_.cwiseProduct(theta);
    return product;
  }

  const Eigen::MatrixXd& g_;
  const Eigen::VectorXd ridge_;
  const Eigen::VectorXd& b_;
  const Eigen::VectorXd w_;
  const int p_;
  const double y_norm_;
  Eigen::VectorXd allowance_;
};

}  // namespace

LinearMapData MakeLinearMapData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y) {
  LinearMapData data;
  const auto p = x.cols();
  data.gram = Eigen::MatrixXd::Zero(p, p);
  data.gram.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose());
  data.gram.triangularView<Eigen::StrictlyUpper>() = data.gram.transpose();
  data.xty = x.transpose() * y;
  data.yty = y.squaredNorm();
  data.centred_yty = (y.array() - y.mean()).matrix().squaredNorm();
  data.n = static_cast<int>(x.rows());
  return data;
}

LinearMapFit FitLinearMap(const LinearMapData& data, ResidualSumOfSquares rss,
                          const LinearMapPriors& priors, const LinearMapSettings& settings) {
  LinearMapFit fit;
  fit.theta = Eigen::VectorXd::Zero(data.xty.size());
  double sigma =
      std::max(SigmaGivenRss(data.centred_yty, data.n, priors.sigma_scale), priors.sigma_floor);
  bool solved = true;
  for (int iteration = 0; iteration < settings.max_outer_iterations; ++iteration) {
    const double variance = sigma * sigma;
    PenalizedQuadratic problem(data.gram, data.xty, data.yty, variance * priors.normal_precision,
                               variance * priors.laplace_rate);
    solved = problem.Solve(fit.theta, settings, fit);
    const double updated =
        std::max(SigmaGivenRss(std::max(rss(fit.theta), 0.0), data.n, priors.sigma_scale),
                 priors.sigma_floor);
    ++fit.outer_iterations;
    const double change = std::abs(updated - sigma);
    sigma = updated;
    if (change <= settings.sigma_tolerance * sigma) {
      fit.converged = solved;
      break;
    }
  }
  fit.sigma = sigma;
  return fit;
}

}  // namespace horizonscale::forecast::internal

// The exact MAP fit behind the Prophet-style model: a Gaussian linear model
// with independent Normal and Laplace priors on its coefficients and a
// half-normal prior on the noise scale. Internal to forecast/; pure,
// deterministic, thread-safe.
#pragma once

#include <absl/functional/function_ref.h>
#include <Eigen/Core>

namespace horizonscale::forecast::internal {

// The priors of y ~ Normal(Xθ, σ²·I):
//   θ_j ~ Normal(0, 1/normal_precision_j)  (precision 0: flat),
//   θ_j ~ Laplace(0, 1/laplace_rate_j)     (rate 0: none),
//   σ ~ HalfNormal(0, sigma_scale).
// A coefficient may carry both (an elastic-net prior); Prophet gives k, m and
// the seasonal β a Normal prior and the rate changes δ a Laplace prior.
struct LinearMapPriors {
  Eigen::VectorXd normal_precision;
  Eigen::VectorXd laplace_rate;
  double sigma_scale = 0.5;
  // σ is kept >= sigma_floor: a series the model fits exactly would
  // otherwise send σ (and the posterior density) to 0 / infinity. 1e-9 is
  // what Prophet sets for a constant series.
  double sigma_floor = 1e-9;
};

struct LinearMapSettings {
  // The alternation stops when σ changes by at most this, relatively.
  double sigma_tolerance = 1e-9;
  int max_outer_iterations = 200;
  // Only for the coordinate-descent fallback (see FitLinearMap): a sweep in
  // which no coefficient moves the fit by more than cd_tolerance·‖y‖
  // (|Δθ_j|·‖X_j‖) ends it, as does the cap on sweeps per σ (each O(p²)).
  double cd_tolerance = 1e-10;
  int max_sweeps = 20000;
  // False: coordinate descent only (for tests that check one method against
  // the other).
  bool use_active_set = true;
};

struct LinearMapFit {
  Eigen::VectorXd theta;
  double sigma = 0;
  int outer_iterations = 0;   // σ updates made
  int active_set_steps = 0;   // feature-sign steps (one LDLᵀ solve each), all σ
  int descent_fallbacks = 0;  // θ solves that fell back to coordinate descent
  int sweeps = 0;             // coordinate-descent sweeps of those fallbacks
  // False when an iteration cap stopped the search first (the result is then
  // the last iterate, a point of lower posterior than the start).
  bool converged = false;
};

// What the fit needs of the data (X, y), X n × p: its sufficient statistics.
struct LinearMapData {
  Eigen::MatrixXd gram;    // XᵀX
  Eigen::VectorXd xty;     // Xᵀy
  double yty = 0;          // yᵀy
  double centred_yty = 0;  // Σ (y_i − ȳ)², for the starting σ
  int n = 0;               // rows of X, >= 1
};

// The statistics of an explicit X and y.
LinearMapData MakeLinearMapData(const Eigen::MatrixXd& x, const Eigen::VectorXd& y);

// ‖y − Xθ‖² for a θ, supplied by the caller: from the Gram matrix when that
// is accurate enough, from the residuals when not (see FitProphet).
using ResidualSumOfSquares = absl::FunctionRef<double(const Eigen::VectorXd& theta)>;

// The joint MAP estimate of (θ, σ) for the data under `priors`, i.e. the
// minimiser of
//   n·log σ + ‖y − Xθ‖²/(2σ²) + σ²/(2·sigma_scale²)
//     + Σ_j normal_precision_j·θ_j²/2 + Σ_j laplace_rate_j·|θ_j|.
// Algorithm: block coordinate descent on θ and σ, each block minimised
// exactly, so the objective never increases; it stops when σ settles.
//  - θ given σ (multiplying by σ²): minimise ½θᵀHθ − bᵀθ + Σ_j w_j|θ_j|, with
//    G = XᵀX and b = Xᵀy, H = G + σ²·diag(normal_precision) and
//    w = σ²·laplace_rate — a least-squares problem with ridge and lasso
//    penalties, O(p²)–O(p³) per step whatever n, solved exactly by
//    feature-sign search (an active-set method: solve the stationarity
//    equations H_AA θ_A = b_A − w_A∘sign(θ_A) on the active set by LDLᵀ,
//    line-search over the zero crossings, add the zero coefficient that most
//    violates |b_j − (Hθ)_j| <= w_j, until none does — the KKT conditions, to
//    rounding). Warm-started from the previous θ, it typically needs one
//    solve per σ. Cyclic coordinate descent with soft-thresholding on the
//    Gram matrix (O(p²) per sweep) is the fallback should a system be
//    singular; it is not the main method because on Prophet's hinge columns
//    (t − s_j)₊, which are strongly correlated, it crawls: tens of thousands
//    of sweeps for three years of daily data with one real changepoint,
//    against ~20 active-set steps.
//  - σ given θ: with RSS = rss(θ), n/σ − RSS/σ³ + σ/s² = 0, so
//    σ² = 2·RSS / (n + sqrt(n² + 4·RSS/s²)), floored at sigma_floor.
// Starts from θ = 0 and σ given centred_yty as the RSS. The prior vectors
// have p entries.
LinearMapFit FitLinearMap(const LinearMapData& data, ResidualSumOfSquares rss,
                          const LinearMapPriors& priors, const LinearMapSettings& settings = {});

}  // namespace horizonscale::forecast::internal

#include "forecast/ets/internal/ets_state_refinement.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Dense>

#include "forecast/ets/internal/ets_recursions.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr double kTolerance = 1e-10;  // as in the recursions
constexpr int kHalvings = 4;

// θ ↔ state: θ = (ℓ, b if trend, seasonals[1 … m − 1] if season).
void AddStep(const EtsSpec& spec, const Eigen::VectorXd& step, double scale, const EtsState& from,
             EtsState& to) {
  to = from;
  int i = 0;
  to.level += scale * step(i++);
  if (spec.has_trend()) to.trend += scale * step(i++);
  if (!spec.has_season()) return;
  double sum = 0;
  for (int k = 1; k < spec.period; ++k) {
    to.seasonals[k] += scale * step(i++);
    sum += to.seasonals[k];
  }
  to.seasonals[0] = (spec.season == EtsComponent::kMultiplicative ? spec.period : 0) - sum;
}

}  // namespace

double RefineInitialState(std::span<const double> values, const EtsSpec& spec,
                          const EtsParameters& params, double likelihood, EtsState& initial) {
  const int p = EtsInitialStateCount(spec);
  const int m = spec.has_season() ? spec.period : 1;
  const int trend_index = 1;
  const int season_offset = spec.has_trend() ? 2 : 1;
  const bool multiplicative_error = spec.error == EtsComponent::kMultiplicative;
  const double alpha = params.alpha;
  const double beta = params.beta;
  const double gamma = params.gamma;
  const double phi = params.phi;

  // Sensitivities of ℓ, b and each seasonal slot to θ.
  Eigen::VectorXd d_level = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd d_trend = Eigen::VectorXd::Zero(p);
  Eigen::MatrixXd d_season = Eigen::MatrixXd::Zero(p, m);
  d_level(0) = 1;
  if (spec.has_trend()) d_trend(trend_index) = 1;
  if (spec.has_season()) {
    for (int k = 1; k < m; ++k) {
      d_season(season_offset + k - 1, k) = 1;
      d_season(season_offset + k - 1, 0) = -1;
    }
  }
  // The residuals' gradients, one column per value, and the residuals: JᵀJ
  // and Jᵀr are one matrix product each after the pass (far faster than a
  // rank-one update per value).
  const auto n = static_cast<Eigen::Index>(values.size());
  Eigen::MatrixXd gradients(p, n);
  Eigen::VectorXd residuals(n);
  Eigen::VectorXd d_q(p), d_forecast(p), d_adjusted(p);

  EtsState state = initial;
  double level = state.level;
  double trend = state.trend;
  int next = 0;
  for (Eigen::Index t = 0; t < n; ++t) {
    const double y = values[static_cast<size_t>(t)];
    auto d_residual = gradients.col(t);
    const double q = level + phi * trend;
    d_q = d_level + phi * d_trend;
    double old_season = 0;
    double forecast = q;
    double adjusted = y;
    d_forecast = d_q;
    d_adjusted.setZero();
    if (spec.season == EtsComponent::kAdditive) {
      old_season = state.seasonals[next];
      forecast = q + old_season;
      adjusted = y - old_season;
      d_forecast += d_season.col(next);
      d_adjusted = -d_season.col(next);
    } else if (spec.season == EtsComponent::kMultiplicative) {
      old_season = state.seasonals[next];
      if (std::fabs(old_season) < kTolerance || std::fabs(q) < kTolerance) return likelihood;
      forecast = q * old_season;
      adjusted = y / old_season;
      d_forecast = old_season * d_q + q * d_season.col(next);
      d_adjusted = (-y / (old_season * old_season)) * d_season.col(next);
    }
    double residual = y - forecast;
    if (multiplicative_error) {
      if (std::fabs(forecast) < kTolerance) return likelihood;
      residual /= forecast;
      d_residual = (-y / (forecast * forecast)) * d_forecast;
    } else {
      d_residual = -d_forecast;
    }
    residuals(t) = residual;

    const double innovation = adjusted - q;
    level = q + alpha * innovation;
    trend = phi * trend + beta * innovation;
    if (spec.season == EtsComponent::kAdditive) {
      state.seasonals[next] = old_season + gamma * (y - q - old_season);
      d_season.col(next) = (1 - gamma) * d_season.col(next) - gamma * d_q;
    } else if (spec.season == EtsComponent::kMultiplicative) {
      state.seasonals[next] = old_season + gamma * (y / q - old_season);
      d_season.col(next) = (1 - gamma) * d_season.col(next) - (gamma * y / (q * q)) * d_q;
    }
    d_trend = phi * d_trend + beta * (d_adjusted - d_q);
    d_level = (1 - alpha) * d_q + alpha * d_adjusted;
    if (spec.has_season() && ++next == m) next = 0;
  }
  // Levenberg-style damping keeps the solve well posed when a state barely
  // moves the errors.
  Eigen::MatrixXd normal = Eigen::MatrixXd::Zero(p, p);
  normal.selfadjointView<Eigen::Lower>().rankUpdate(gradients);
  normal = normal.selfadjointView<Eigen::Lower>();
  const Eigen::VectorXd jtr = gradients * residuals;
  for (int i = 0; i < p; ++i) normal(i, i) += 1e-8 * normal(i, i) + 1e-300;
  const Eigen::VectorXd step = normal.ldlt().solve(-jtr);
  if (!step.allFinite()) return likelihood;

  EtsState trial;
  EtsState scratch;
  double scale = 1;
  for (int attempt = 0; attempt <= kHalvings; ++attempt, scale /= 2) {
    AddStep(spec, step, scale, initial, trial);
    if (spec.season == EtsComponent::kMultiplicative &&
        *std::min_element(trial.seasonals.begin(), trial.seasonals.end()) < 0) {
      continue;
    }
    scratch = trial;
    const double trial_likelihood =
        EtsLikelihood(spec, RunEtsRecursions(values, spec, params, scratch));
    if (trial_likelihood < likelihood) {
      initial = trial;
      return trial_likelihood;
    }
  }
  return likelihood;
}

}  // namespace horizonscale::forecast::internal

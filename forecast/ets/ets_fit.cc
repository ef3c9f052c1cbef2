#include "forecast/ets/internal/ets_fit.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "forecast/ets/internal/ets_admissible.h"
#include "forecast/ets/internal/ets_initial_state.h"
#include "forecast/ets/internal/ets_recursions.h"
#include "forecast/ets/internal/ets_state_refinement.h"
#include "forecast/internal/optimizer.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// R's usual bounds (forecast::ets defaults lower, upper).
constexpr double kSmoothingLower = 1e-4;
constexpr double kSmoothingUpper = 0.9999;
constexpr double kPhiLower = 0.8;
constexpr double kPhiUpper = 0.98;
// Nelder-Mead evaluations per searched coordinate, per run.
constexpr int kEvaluationsPerDimension = 30;

// The search vector: α, then β and γ as fractions u of their ranges
// (β = 1e-4 + u (α − 1e-4), γ = 1e-4 + u (1 − α − 1e-4): R's constraints
// β <= α and γ <= 1 − α become a box), then φ, ℓ_0 and b_0, as present.
class SearchLayout {
 public:
  explicit SearchLayout(const EtsSpec& spec) : spec_(spec) {}

  int size() const { return EtsSmoothingParameterCount(spec_) + 1 + (spec_.has_trend() ? 1 : 0); }

  EtsParameters Parameters(std::span<const double> x) const {
    EtsParameters params;
    int i = 0;
    params.alpha = x[i++];
    params.beta =
        spec_.has_trend() ? kSmoothingLower + x[i++] * (params.alpha - kSmoothingLower) : 0.0;
    params.gamma =
        spec_.has_season()
            ? kSmoothingLower + x[i++] * std::max(1 - params.alpha - kSmoothingLower, 0.0)
            : 0.0;
    params.phi = spec_.damped ? x[i++] : 1.0;
    return params;
  }

  // Writes ℓ_0 and b_0 of `x` into `state`.
  void States(std::span<const double> x, EtsState& state) const {
    const int i = EtsSmoothingParameterCount(spec_);
    state.level = x[i];
    if (spec_.has_trend()) state.trend = x[i + 1];
  }

  // The search vector of `params` and `state`.
  std::vector<double> Encode(const EtsParameters& params, const EtsState& state) const {
    std::vector<double> x;
    x.push_back(params.alpha);
    if (spec_.has_trend()) {
      x.push_back(Fraction(params.beta - kSmoothingLower, params.alpha - kSmoothingLower));
    }
    if (spec_.has_season()) {
      x.push_back(Fraction(params.gamma - kSmoothingLower, 1 - params.alpha - kSmoothingLower));
    }
    if (spec_.damped) x.push_back(params.phi);
    x.push_back(state.level);
    if (spec_.has_trend()) x.push_back(state.trend);
    return x;
  }

 private:
  static double Fraction(double part, double whole) {
    return whole > 0 ? std::clamp(part / whole, 0.0, 1.0) : 0.0;
  }

  EtsSpec spec_;
};

// R's initparam for the "both" bounds: α = lower + 0.2 (upper − lower) / m,
// β and γ at 10 % and 5 % of their ranges, φ = lower + 0.99 (upper − lower).
EtsParameters StartingParameters(const EtsSpec& spec) {
  EtsParameters params;
  params.alpha = kSmoothingLower +
                 0.2 * (kSmoothingUpper - kSmoothingLower) / (spec.has_season() ? spec.period : 1);
  if (spec.has_trend()) params.beta = kSmoothingLower + 0.1 * (params.alpha - kSmoothingLower);
  if (spec.has_season()) {
    params.gamma = kSmoothingLower + 0.05 * (1 - params.alpha - kSmoothingLower);
  }
  if (spec.damped) params.phi = kPhiLower + 0.99 * (kPhiUpper - kPhiLower);
  return params;
}

// The smoothing parameters of a fitted relative (the same member with the
// other error type, or undamped), completed for `spec`.
EtsParameters WarmParameters(const EtsSpec& spec, const EtsParameters& relative) {
  EtsParameters params = relative;
  if (spec.damped && !(relative.phi < 1)) params.phi = kPhiUpper;
  if (!spec.damped) params.phi = 1;
  return params;
}

}  // namespace

EtsMemberFit EvaluateEtsMember(std::span<const double> values, const EtsSpec& spec,
                               const EtsParameters& params, const EtsState& initial) {
  EtsMemberFit fit;
  fit.spec = spec;
  fit.params = params;
  fit.initial = initial;
  fit.last = initial;
  const EtsRunTotals totals = RunEtsRecursions(values, spec, params, fit.last);
  const int n = static_cast<int>(values.size());
  const int np = EtsSmoothingParameterCount(spec) + EtsInitialStateCount(spec) + 1;
  fit.observations = n;
  fit.sum_squared_errors = totals.sum_squared_errors;
  fit.likelihood = EtsLikelihood(spec, totals);
  fit.loglik = -0.5 * fit.likelihood;
  fit.aic = fit.likelihood + 2.0 * np;
  fit.aicc = n - np - 1 > 0 ? fit.aic + 2.0 * np * (np + 1) / (n - np - 1) : kInfinity;
  fit.sigma2 = totals.sum_squared_errors / std::max(n - np + 1, 1);
  return fit;
}

absl::StatusOr<EtsMemberFit> FitEtsMember(std::span<const double> values, const EtsSpec& spec,
                                          const CancelCheck& cancelled,
                                          const EtsMemberFit* warm_start) {
  const SearchLayout layout(spec);
  const bool check_admissible_in_search =
      spec.has_season() && spec.period <= kMaxOptimisedSeasonalPeriod;
  const bool refine_seasonals = check_admissible_in_search;
  EtsState initial = HeuristicInitialState(values, spec);
  EtsParameters params = StartingParameters(spec);

  // Box of the search: smoothing bounds, and ℓ_0 / b_0 within the spread of
  // the data around their heuristic values.
  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  const double spread =
      std::max(*highest - *lowest, 1e-6 * std::max(1.0, std::fabs(initial.level)));
  const double trend_width =
      2 * spread / std::min<double>(std::max(10, 2 * spec.period), values.size());
  const EtsState heuristic = initial;

  EtsState work = initial;  // scratch state of one evaluation, allocated once
  auto evaluate = [&](const EtsParameters& trial, const EtsState& state) {
    std::copy(state.seasonals.begin(), state.seasonals.end(), work.seasonals.begin());
    work.level = state.level;
    work.trend = state.trend;
    work.next_season = 0;
    return EtsLikelihood(spec, RunEtsRecursions(values, spec, trial, work));
  };
  double likelihood = evaluate(params, initial);
  if (warm_start != nullptr) {
    const EtsParameters warm = WarmParameters(spec, warm_start->params);
    const EtsState& warm_state =
        warm_start->spec.season == spec.season ? warm_start->initial : initial;
    if (!check_admissible_in_search || EtsAdmissible(spec, warm)) {
      const double warm_likelihood = evaluate(warm, warm_state);
      if (warm_likelihood < likelihood) {
        params = warm;
        initial = warm_state;
        likelihood = warm_likelihood;
      }
    }
  }
  if (refine_seasonals && std::isfinite(likelihood)) {
    likelihood = RefineInitialState(values, spec, params, likelihood, initial);
  }

  auto objective = [&](std::span<const double> x) {
    const EtsParameters trial = layout.Parameters(x);
    if (check_admissible_in_search && !EtsAdmissible(spec, trial)) return kInfinity;
    std::copy(initial.seasonals.begin(), initial.seasonals.end(), work.seasonals.begin());
    work.next_season = 0;
    layout.States(x, work);
    return EtsLikelihood(spec, RunEtsRecursions(values, spec, trial, work));
  };

  NelderMeadOptions options;
  options.max_evaluations = kEvaluationsPerDimension * layout.size();
  options.cancelled = &cancelled;
  const std::vector<double> start = layout.Encode(params, initial);
  std::vector<double> lower(start.size()), upper(start.size());
  int i = 0;
  lower[i] = kSmoothingLower;
  upper[i++] = kSmoothingUpper;
  if (spec.has_trend()) {
    lower[i] = 0;
    upper[i++] = 1;
  }
  if (spec.has_season()) {
    lower[i] = 0;
    upper[i++] = 1;
  }
  if (spec.damped) {
    lower[i] = kPhiLower;
    upper[i++] = kPhiUpper;
  }
  lower[i] = heuristic.level - spread;
  upper[i] = heuristic.level + spread;
  ++i;
  if (spec.has_trend()) {
    lower[i] = heuristic.trend - trend_width;
    upper[i] = heuristic.trend + trend_width;
  }
  const NelderMeadResult result = MinimizeInBox(objective, start, lower, upper, options);
  if (result.cancelled) return CancelledStatus("ETS fit");
  if (result.value <= likelihood) {
    params = layout.Parameters(result.point);
    layout.States(result.point, initial);
    likelihood = result.value;
  }
  if (refine_seasonals && std::isfinite(likelihood)) {
    likelihood = RefineInitialState(values, spec, params, likelihood, initial);
  }
  EtsMemberFit fit = EvaluateEtsMember(values, spec, params, initial);
  if (!check_admissible_in_search && !EtsAdmissible(spec, params)) {
    fit.aic = kInfinity;
    fit.aicc = kInfinity;
  }
  return fit;
}

}  // namespace horizonscale::forecast::internal

#include "forecast/ets/internal/ets_recursions.h"

#include <cmath>
#include <limits>

namespace horizonscale::forecast::internal {
namespace {

constexpr double kTolerance = 1e-10;  // R's TOL: smaller divisors are replaced
constexpr double kHuge = 1e10;        // R's HUGEN
constexpr double kLikelihoodFloor = -1e10;

// The pass for one member shape, resolved at compile time so that the loop
// carries no branches on the member.
template <bool kMultiplicativeError, bool kTrend, EtsComponent kSeason>
EtsRunTotals Run(std::span<const double> values, const EtsParameters& params, EtsState& state,
                 int period) {
  const double alpha = params.alpha;
  const double beta = params.beta;
  const double gamma = params.gamma;
  const double phi = kTrend ? params.phi : 0.0;
  // The loop carries q_t = ℓ_{t−1} + φ b_{t−1} rather than ℓ: with
  // q_{t+1} = q_t + (α + φβ)(p_t − q_t) + φ² b_{t−1} the dependency chain per
  // step is one subtraction and one multiply-add, about half of the
  // textbook order's; ℓ_t = q_t + α (p_t − q_t) is computed off that chain.
  const double level_gain = alpha + phi * beta;
  const double phi_squared = phi * phi;
  double level = state.level;
  double trend = kTrend ? state.trend : 0.0;
  double q = level + phi * trend;
  double* seasonals = state.seasonals.data();
  int next = state.next_season;
  double sse = 0;
  // Σ log|ŷ| as the log of a running product, renormalised before it can
  // overflow or underflow: one log per ~100 steps instead of one per step.
  double log_sum = 0;
  double product = 1;
  for (const double y : values) {
    double old_season = 0;
    double forecast = q;
    double adjusted = y;  // p_t
    if constexpr (kSeason == EtsComponent::kAdditive) {
      old_season = seasonals[next];
      forecast = q + old_season;
      adjusted = y - old_season;
    } else if constexpr (kSeason == EtsComponent::kMultiplicative) {
      old_season = seasonals[next];
      forecast = q * old_season;
      adjusted = std::fabs(old_season) < kTolerance ? kHuge : y / old_season;
    }
    if constexpr (kMultiplicativeError) {
      const double relative = (y - forecast) / forecast;
      sse += relative * relative;
      product *= std::fabs(forecast);
      if (!(product > 1e-100 && product < 1e100)) {
        log_sum += std::log(product);
        product = 1;
      }
    } else {
      const double error = y - forecast;
      sse += error * error;
    }
    const double innovation = adjusted - q;
    level = q + alpha * innovation;
    if constexpr (kSeason == EtsComponent::kAdditive) {
      seasonals[next] = old_season + gamma * innovation;
    } else if constexpr (kSeason == EtsComponent::kMultiplicative) {
      const double ratio = std::fabs(q) < kTolerance ? kHuge : y / q;
      seasonals[next] = old_season + gamma * (ratio - old_season);
    }
    if constexpr (kSeason != EtsComponent::kNone) {
      if (++next == period) next = 0;
    }
    if constexpr (kTrend) {
      q = q + level_gain * innovation + phi_squared * trend;
      trend = phi * trend + beta * innovation;
    } else {
      q = level;
    }
  }
  state.level = level;
  state.trend = trend;
  state.next_season = next;
  EtsRunTotals totals;
  totals.sum_squared_errors = sse;
  totals.sum_log_abs_forecast = kMultiplicativeError ? log_sum + std::log(product) : 0.0;
  totals.count = static_cast<int>(values.size());
  return totals;
}

template <bool kMultiplicativeError, bool kTrend>
EtsRunTotals RunBySeason(std::span<const double> values, const EtsSpec& spec,
                         const EtsParameters& params, EtsState& state) {
  switch (spec.season) {
    case EtsComponent::kNone:
      return Run<kMultiplicativeError, kTrend, EtsComponent::kNone>(values, params, state, 1);
    case EtsComponent::kAdditive:
      return Run<kMultiplicativeError, kTrend, EtsComponent::kAdditive>(values, params, state,
                                                                        spec.period);
    case EtsComponent::kMultiplicative:
      return Run<kMultiplicativeError, kTrend, EtsComponent::kMultiplicative>(values, params, state,
                                                                              spec.period);
  }
  return {};
}

}  // namespace

EtsRunTotals RunEtsRecursions(std::span<const double> values, const EtsSpec& spec,
                              const EtsParameters& params, EtsState& state) {
  const bool multiplicative = spec.error == EtsComponent::kMultiplicative;
  if (spec.has_trend()) {
    return multiplicative ? RunBySeason<true, true>(values, spec, params, state)
                          : RunBySeason<false, true>(values, spec, params, state);
  }
  return multiplicative ? RunBySeason<true, false>(values, spec, params, state)
                        : RunBySeason<false, false>(values, spec, params, state);
}

double EtsLikelihood(const EtsSpec& spec, const EtsRunTotals& totals) {
  double lik = totals.count * std::log(totals.sum_squared_errors);
  if (spec.error == EtsComponent::kMultiplicative) lik += 2 * totals.sum_log_abs_forecast;
  if (std::isnan(lik) || lik == std::numeric_limits<double>::infinity()) {
    return std::numeric_limits<double>::infinity();
  }
  return lik < kLikelihoodFloor ? kLikelihoodFloor : lik;
}

std::vector<double> EtsPointForecasts(const EtsSpec& spec, const EtsParameters& params,
                                      const EtsState& state, int horizon) {
  std::vector<double> forecasts(horizon > 0 ? horizon : 0);
  double damping_sum = 0;  // φ_h
  double damping_power = 1;
  for (int h = 0; h < horizon; ++h) {
    damping_power *= params.phi;
    damping_sum += damping_power;
    double value = state.level + (spec.has_trend() ? damping_sum * state.trend : 0.0);
    if (spec.has_season()) {
      const double season = state.seasonals[(state.next_season + h) % spec.period];
      value = spec.season == EtsComponent::kAdditive ? value + season : value * season;
    }
    forecasts[h] = value;
  }
  return forecasts;
}

}  // namespace horizonscale::forecast::internal

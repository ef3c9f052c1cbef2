// The vocabulary of the ETS family (forecast/ets/): which member, its
// smoothing parameters, its state. Internal to forecast/ets/; exposed for
// tests.
//
// Parameterisation: the innovations state-space form of Hyndman, Koehler,
// Ord & Snyder (2008), as R's forecast::ets (8.20) writes it. With
// q_t = ℓ_{t−1} + φ b_{t−1} (q_t = ℓ_{t−1} without trend) and s_{t−m} the
// seasonal index that applies at t, the one-step forecast is
// ŷ_t = q_t, q_t + s_{t−m} or q_t · s_{t−m}, and with p_t = y_t, y_t − s_{t−m}
// or y_t / s_{t−m} (no, additive, multiplicative season):
//
//   ℓ_t = q_t + α (p_t − q_t)
//   b_t = φ b_{t−1} + β (p_t − q_t)
//   s_t = s_{t−m} + γ (y_t − q_t − s_{t−m})      additive season
//   s_t = s_{t−m} + γ (y_t / q_t − s_{t−m})      multiplicative season
//
// The recursions are the same for additive and multiplicative errors; the
// error type sets the likelihood (ets_recursions.h) and the forecast
// distribution (ets_intervals.h). φ = 1 for an undamped trend.
#pragma once

#include <string>
#include <vector>

namespace horizonscale::forecast::internal {

enum class EtsComponent { kNone, kAdditive, kMultiplicative };

// One member of the family: ETS(error, trend[d], season).
struct EtsSpec {
  EtsComponent error = EtsComponent::kAdditive;  // kAdditive or kMultiplicative
  EtsComponent trend = EtsComponent::kNone;      // kNone or kAdditive
  bool damped = false;                           // only with an additive trend
  EtsComponent season = EtsComponent::kNone;
  int period = 1;  // m >= 2 with a season, 1 without

  bool has_trend() const { return trend != EtsComponent::kNone; }
  bool has_season() const { return season != EtsComponent::kNone; }
};

// Smoothing parameters in the error-correction form above.
struct EtsParameters {
  double alpha = 0.5;
  double beta = 0;   // 0 without trend
  double gamma = 0;  // 0 without season
  double phi = 1;    // 1 unless damped
};

// The state after observation t. seasonals is a ring of m indices:
// seasonals[next_season] applies to step t + 1, seasonals[next_season + 1]
// (mod m) to step t + 2, and so on. Empty without season.
struct EtsState {
  double level = 0;
  double trend = 0;
  std::vector<double> seasonals;
  int next_season = 0;
};

// "ETS(M,Ad,M)": R's name of the member.
std::string EtsMemberName(const EtsSpec& spec);

// The number of smoothing parameters of `spec` (α, β, γ, φ as present).
int EtsSmoothingParameterCount(const EtsSpec& spec);

// The number of estimated initial states of `spec`: ℓ_0, b_0 and m − 1
// seasonal indices (the m-th follows from their normalisation: additive
// indices sum to 0, multiplicative ones to m), as R counts them.
int EtsInitialStateCount(const EtsSpec& spec);

}  // namespace horizonscale::forecast::internal

// Internals of the exponential-smoothing family (forecast/ets_models.cc):
// the Holt / Holt-Winters recursions, their start-up (R's classical start for
// Holt-Winters), the class-1 forecast variance, and a model built with given
// smoothing parameters.
// Exposed for tests; everything else goes through forecast/model.h.
//
// Parameterisation: the component form of R's stats::HoltWinters (Holt 1957,
// Winters 1960; FPP3 §8.1-8.3 with the seasonal smoothed against the new
// level), extended by a damping factor φ (Gardner & McKenzie 1985):
//
//   additive:        ℓ_t = α (y_t − s_{t−m}) + (1 − α)(ℓ_{t−1} + φ b_{t−1})
//                    s_t = γ (y_t − ℓ_t)     + (1 − γ) s_{t−m}
//   multiplicative:  ℓ_t = α (y_t / s_{t−m}) + (1 − α)(ℓ_{t−1} + φ b_{t−1})
//                    s_t = γ (y_t / ℓ_t)     + (1 − γ) s_{t−m}
//   both:            b_t = β (ℓ_t − ℓ_{t−1}) + (1 − β) φ b_{t−1}
//   forecast:        ŷ_{t+h|t} = (ℓ_t + φ_h b_t) (+ or ×) s_{t+h−m(k+1)},
//                    φ_h = φ + φ² + … + φ^h, k = ⌊(h − 1)/m⌋
//
// Holt's method is the same without the seasonal terms; φ = 1 is the
// undamped trend. In the error-correction (ETS) form of Hyndman et al. (2008)
// the additive model is ETS(A,A[d],A) with α_ets = α, β_ets = α·β and
// γ_ets = (1 − α)·γ, so the box 0 < α, β, γ < 1 used here is exactly the
// usual ETS region 0 < β_ets < α, 0 < γ_ets < 1 − α.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "forecast/model.h"

namespace horizonscale::forecast::internal {

enum class SeasonalForm { kNone, kAdditive, kMultiplicative };

// Which member of the family.
struct SmoothingSpec {
  SeasonalForm seasonal = SeasonalForm::kNone;  // kNone: Holt's linear trend
  bool damped = false;
  int period = 0;  // m >= 2 when seasonal; ignored otherwise
};

// Smoothing parameters in the component form above.
struct SmoothingParameters {
  double alpha = 0.3;
  double beta = 0.1;
  double gamma = 0;  // ignored without seasonality
  double phi = 1;    // 1 for an undamped trend
};

// The state after observation t: ℓ_t, b_t and the last m seasonal indices.
// seasonals is a ring: seasonals[next_season] is s_{t+1−m}, the index that
// applies to step t + 1, the next one after it seasonals[next_season + 1]
// (mod m), and so on. Empty without seasonality.
struct SmoothingState {
  double level = 0;
  double trend = 0;
  std::vector<double> seasonals;
  int next_season = 0;
};

// A start-up: the state just before values[first_filtered] (the first value
// whose one-step error counts).
struct StartedState {
  SmoothingState state;
  int first_filtered = 0;
};

// Fewest values ClassicalStart needs: 2 for Holt, 2m with seasonality.
int ClassicalStartMinimumLength(const SmoothingSpec& spec);

// The initial state.
//  - Holt: the heuristic of Hyndman, Koehler, Snyder & Grose (2002): the
//    least-squares line through the first min(n, 10) values against
//    1, 2, …; ℓ and b are its intercept (its value one step before values[0])
//    and slope; filtering (and the SSE) starts at index 0. (R's
//    HoltWinters(gamma = FALSE) starts at ℓ = y_1, b = y_1 − y_0 instead;
//    that trend has twice the noise variance and biases the fitted β upwards,
//    which made the long-horizon intervals over-cover in simulation.)
//  - Holt-Winters: the start of R's stats::HoltWinters (R >= 2.x,
//    start.periods = 2), so that results are comparable with R: decompose
//    the first 2m values as R's `decompose` does: the trend is the centred
//    moving average of order m (weights 1/(2m), 1/m, …, 1/m, 1/(2m) over
//    m + 1 values for even m; m equal weights for odd m), defined at indices
//    h … 2m − 1 − h with h = ⌊m/2⌋; the detrended values y − trend (or
//    y / trend) are averaged by position in the season, and the m averages
//    are centred (minus their mean, or divided by it): these are the seasonal
//    indices s_0 … s_{m−1}. ℓ and b are the intercept and slope of the
//    least-squares line through the K defined trend values against 1, …, K:
//    ℓ is that line at 0, which R then uses as the level just before index m
//    (a known quirk: for a trending series that level lags m − h steps
//    behind; the recursions absorb it, slowly when the fitted β is small).
//    Filtering (and the SSE) starts at index m.
// The damping factor plays no part in the start. Preconditions: values has
// at least ClassicalStartMinimumLength(spec) values, all > 0 for the
// multiplicative form.
StartedState ClassicalStart(std::span<const double> values, const SmoothingSpec& spec);

// Runs the recursions over `values` (the observations that follow `state`),
// updating `state` in place, and returns the sum of squared one-step-ahead
// errors y_t − ŷ_{t|t−1}. Allocation-free, O(len(values)).
double RunRecursions(std::span<const double> values, const SmoothingSpec& spec,
                     const SmoothingParameters& params, SmoothingState& state);

// The point forecasts ŷ_{t+1|t} … ŷ_{t+horizon|t} from `state`.
std::vector<double> PointForecasts(const SmoothingSpec& spec, const SmoothingParameters& params,
                                   const SmoothingState& state, int horizon);

// Var(y_{t+h} − ŷ_{t+h|t}) / σ² for h = 1 … horizon of the additive models
// (ETS class 1; Hyndman et al. 2008 §6.3, FPP3 Table 8.8):
// 1 + Σ_{j=1}^{h−1} c_j², c_j = α_ets + β_ets φ_j + γ_ets [j mod m = 0].
// Meaningless for the multiplicative form.
std::vector<double> ForecastVarianceFactors(const SmoothingSpec& spec,
                                            const SmoothingParameters& params, int horizon);

// Number of estimated quantities of `spec`: the smoothing parameters (α, β,
// γ with seasonality, φ when damped) plus the initial states (ℓ, b and m
// seasonal indices). Used as k in the AICc and in σ² = SSE / (n − k).
int EstimatedQuantityCount(const SmoothingSpec& spec);

// A Holt (spec.seasonal == kNone) or Holt-Winters model with the given
// parameters: the classical start, the recursions over all of `values`,
// σ² = SSE / max(n − k, 1) with n = values.size() and k =
// EstimatedQuantityCount(spec). Preconditions as ClassicalStart; the
// parameters are used as given (no bounds are applied).
std::unique_ptr<FittedModel> MakeSmoothingModel(std::span<const double> values,
                                                const SmoothingSpec& spec,
                                                const SmoothingParameters& params);

}  // namespace horizonscale::forecast::internal

// The prediction intervals of the Prophet-style model: simulated futures of
// the trend (new changepoints with random rate changes) plus observation
// noise, as Prophet's predict_uncertainty with vectorized=True
// (sample_predictive_trend_vectorized / _make_trend_shift_matrix). Internal
// to forecast/; pure and deterministic given the seed, thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace horizonscale::forecast::internal {

// The generative model of the future, in Prophet's scaled units.
struct FutureSimulationSpec {
  int paths = 1000;               // simulated futures (uncertainty_samples), >= 1
  double step_t = 0;              // scaled time between steps, dt = 1/(n − 1)
  double change_probability = 0;  // chance that a step holds a changepoint, S·dt
  double rate_change_scale = 0;   // Laplace scale λ of a rate change, mean|δ| + 1e-8
  double noise_sigma = 0;         // σ of the observation noise
  uint64_t seed = 0;
};

// Quantiles, per future step h = 1..horizon, of the simulated deviation from
// the point forecast (scaled units). Each path draws, for every step, whether
// a changepoint occurs there (probability change_probability; done by
// geometric waiting times, the same law) and its rate change c ~ Laplace(0,
// λ). As in Prophet's trend-shift matrix, a change at step j enters the slope
// half at step j and fully afterwards (a changepoint half a step before j),
// so the trend deviation at step h is dt·Σ_{j<=h} c_j·(h − j + ½). The
// observation noise is σ·z with z ~ Normal(0, 1); one z per path serves all
// its steps: a quantile per step sees only the distribution at that step,
// which is the same (z independent of the trend path), and it spares
// paths × horizon normal draws. The quantiles are numpy's "linear" ones
// (position q·(paths − 1) in the sorted sample, interpolated), q =
// lower_quantile and upper_quantile in [0, 1]. Empty vectors for horizon <= 0.
struct DeviationQuantiles {
  std::vector<double> lower;
  std::vector<double> upper;
};
DeviationQuantiles SimulateDeviationQuantiles(const FutureSimulationSpec& spec, int horizon,
                                              double lower_quantile, double upper_quantile);

}  // namespace horizonscale::forecast::internal

// Empirical prediction intervals: offsets around a point forecast read off
// the quantiles of backtest errors (the engine's intervals for models without
// analytic ones, and the fleet's boosted model's). Pure; thread-safe.
// Defined in backtest.cc, which shares the quantile selection.
#pragma once

#include <utility>
#include <vector>

namespace horizonscale::forecast {

// The [lower, upper] offsets to add to a point forecast `steps` ahead for an
// interval of nominal coverage `level`: the (1 − level)/2 and (1 + level)/2
// empirical quantiles (linear interpolation) of the backtest errors at that
// step. Beyond the backtest's horizon the last horizon's offsets grow with
// sqrt(steps / horizon), as a random walk's would. {0, 0} without errors.
std::pair<double, double> EmpiricalInterval(const std::vector<std::vector<double>>& errors,
                                            int steps, double level);

// EmpiricalInterval(errors, k, level) for k = 1..horizon (element k − 1),
// selecting each step's quantiles once: O(horizon + Σ|errors[k]|) rather than
// a sort per step, which matters for long horizons.
std::vector<std::pair<double, double>> EmpiricalIntervals(
    const std::vector<std::vector<double>>& errors, int horizon, double level);

}  // namespace horizonscale::forecast

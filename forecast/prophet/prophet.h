// Prophet-style additive model (Taylor & Letham, "Forecasting at scale"),
// fitted by MAP in C++: y(t) = g(t) + s(t) + ε, with g piecewise linear with
// changepoints whose rate changes carry a Laplace prior, s a sum of Fourier
// series (weekly, yearly) with a Gaussian prior, ε Gaussian noise. Reached
// through FitModel(ModelKind::kProphet, ...) (forecast/model.h); this header
// holds its hyperparameters, whose defaults are Prophet's.
//
// As in Prophet: y is scaled by max|y| and time to [0, 1] over the history;
// k, m ~ Normal(0, 5), σ ~ HalfNormal(0, 0.5); the Fourier terms use absolute
// calendar time (ModelOptions::origin_days and step_days), so a weekly or
// yearly cycle lines up with the calendar whatever the series' start. The fit
// is the exact MAP estimate; intervals come from 1,000 (uncertainty_samples)
// simulated futures with new changepoints and noise; Extend refits. Details:
// forecast/prophet/prophet_model.cc and forecast/internal/prophet_*.h. Options out of
// range give INVALID_ARGUMENT naming the option (e.g.
// "prophet.changepoint_range").
#pragma once

#include <cstdint>
#include <optional>

namespace horizonscale::forecast {

struct ProphetOptions {
  // Potential trend changepoints, placed uniformly in the first
  // `changepoint_range` share of the history. >= 0; a short history uses
  // fewer, at most floor(n·changepoint_range) − 1 (Prophet's rule).
  int changepoints = 25;
  // Share of the history holding changepoints, in (0, 1].
  double changepoint_range = 0.8;
  // Scale τ of the Laplace prior on the rate changes, > 0.
  double changepoint_prior_scale = 0.05;
  // Standard deviation of the Gaussian prior on seasonal coefficients, > 0.
  double seasonality_prior_scale = 10.0;
  // Fourier orders of the yearly (365.25 d) and weekly (7 d) seasonalities;
  // 0 turns one off; at most 50. Unset: Prophet's rule (yearly 10 when the
  // history spans at least two years, weekly 3 when it spans at least two
  // weeks and the step is shorter than a week).
  std::optional<int> yearly_order;
  std::optional<int> weekly_order;
  // Simulated futures behind the intervals, in [1, 100000].
  int uncertainty_samples = 1000;
  // Seed of the simulated futures: the same inputs give the same intervals.
  uint64_t seed = 0;
};

}  // namespace horizonscale::forecast

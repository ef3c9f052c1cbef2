// Fitting the Prophet-style model (forecast/prophet/prophet.h): option checks, the
// scaling, and the MAP estimate of its parameters, exposed to the model class
// (forecast/prophet/prophet_model.cc) and to tests that inspect the fitted
// components. Internal to forecast/; pure functions, thread-safe.
#pragma once

#include <span>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "forecast/model.h"
#include "forecast/prophet/internal/prophet_design.h"

namespace horizonscale::forecast::internal {

// Most simulated futures accepted.
inline constexpr int kProphetMaxUncertaintySamples = 100000;

// OK, or INVALID_ARGUMENT naming the first option out of range:
// prophet.changepoints >= 0; prophet.changepoint_range in (0, 1];
// prophet.changepoint_prior_scale and prophet.seasonality_prior_scale finite
// and > 0; prophet.yearly_order / weekly_order, when set, in [0, 50];
// prophet.uncertainty_samples in [1, 100000]; step_days finite and > 0;
// origin_days finite.
absl::Status ValidateProphetOptions(const ModelOptions& options);

// A fitted Prophet-style model. Parameters are in Prophet's scaled units
// (y / y_scale on the scaled time axis of the layout), as Prophet's
// `params`; the accessors convert to data units.
struct ProphetFit {
  ProphetLayout layout;
  double y_scale = 1;         // max |y| (1 when every value is 0)
  double k = 0;               // initial growth rate
  double m = 0;               // trend at t = 0
  std::vector<double> delta;  // rate change at each changepoint
  std::vector<double> beta;   // yearly then weekly Fourier coefficients
  double sigma = 0;           // observation noise
  // Diagnostics of the solver (LinearMapFit, forecast/prophet/internal/prophet_map.h):
  // σ updates, active-set steps, fallback descent sweeps, and whether it
  // converged before its caps.
  int outer_iterations = 0;
  int active_set_steps = 0;
  int sweeps = 0;
  bool converged = false;

  // The trend g at step `step` (0 = first value; > n − 1: the future), in
  // data units.
  double Trend(double step) const;
  // The seasonal part s at step `step`, in data units.
  double Seasonality(double step) const;
  // The yearly / weekly component alone at step `step`, in data units.
  double Yearly(double step) const;
  double Weekly(double step) const;
  // Growth rate of the trend at scaled time t (the slope of the segment
  // holding t; the last one from the last changepoint on), data units per day.
  double RatePerDay(double t) const;
  // Amplitude of the yearly / weekly component in data units:
  // sqrt(Σ_r a_r² + b_r²), √2 times its RMS over a period — for a single
  // sinusoid A·sin(…), exactly A. 0 when the component is off.
  double YearlyAmplitude() const;
  double WeeklyAmplitude() const;
  // Changepoints with a nonzero rate change (the L1 prior makes the MAP
  // sparse, so the others are exactly 0).
  int ActiveChangepoints() const;
};

// Fits the model to `values` (finite, regular, oldest first, at least 2)
// under `options`: y_scaled = y / max|y|, t = i/(n − 1), changepoints and
// seasonalities from MakeProphetLayout, then the MAP estimate under Prophet's
// priors (k, m ~ Normal(0, 5); δ ~ Laplace(0, changepoint_prior_scale);
// β ~ Normal(0, seasonality_prior_scale); σ ~ HalfNormal(0, 0.5)) by
// FitLinearMap on XᵀX and Xᵀy, formed by streaming the design through blocks
// of 128 rows (memory O(p²), not O(n·p)); the RSS comes from the Gram matrix
// unless the fit is so close (RSS < 1e-6·yᵀy) that cancellation would show,
// then from the residuals. A constant series gets Prophet's special case: k = 0,
// m = y_scaled, δ = β = 0, σ = 1e-9. Errors: ValidateProphetOptions's, and
// FAILED_PRECONDITION (reason INSUFFICIENT_HISTORY) for fewer than 2 values.
absl::StatusOr<ProphetFit> FitProphet(std::span<const double> values, const ModelOptions& options);

}  // namespace horizonscale::forecast::internal

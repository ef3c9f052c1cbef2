// Point forecasts with prediction intervals from simple models fitted to a
// regularly spaced series (oldest value first). Pure functions; thread-safe.
//
// These are the two simplest models (EWMA and linear trend). The rest of the
// engine builds on them: the model interface and the ETS family, seasonal
// decomposition and Prophet-style models (forecast/model.h), and automatic
// model choice by backtest (forecast/engine.h).
#pragma once

#include <span>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/numerics/normal_quantile.h"

namespace horizonscale::forecast {

// One step of a forecast.
struct ForecastValue {
  double value = 0;
  double lower = 0;  // lower bound of the prediction interval
  double upper = 0;  // upper bound of the prediction interval
};

// Simple exponential smoothing: level l_t = α y_t + (1 − α) l_{t−1},
// started at l_0 = y_0.
struct EwmaFit {
  double alpha = 0;
  double level = 0;            // the last smoothed level: every step's forecast
  double residual_stddev = 0;  // RMS of one-step-ahead errors; 0 when < 2 errors
  int residuals = 0;           // one-step-ahead errors the stddev rests on
};

// Fits SES to `values`. With `alpha` in (0, 1] it is used as given; with
// alpha <= 0 it is chosen in [0.01, 0.99] by golden-section search minimising
// the one-step-ahead squared error (α = 0.5 when fewer than 3 values).
// Returns INVALID_ARGUMENT for an empty series, a non-finite value (naming its
// index) or alpha > 1.
absl::StatusOr<EwmaFit> FitEwma(std::span<const double> values, double alpha);

// The h-step forecast of a fit: flat at the level, with the interval
// level ± z·σ·sqrt(1 + (k − 1) α²) at step k (SES as ARIMA(0,1,1); Hyndman &
// Athanasopoulos, FPP3 §9.8 / Table 5.2), z the standard normal quantile of
// (1 + coverage)/2.
std::vector<ForecastValue> PredictEwma(const EwmaFit& fit, int horizon, double coverage);

// Ordinary least squares of y on t = 0, 1, ..., n − 1.
struct LinearFit {
  double intercept = 0;
  double slope = 0;            // per step
  double residual_stddev = 0;  // sqrt(SSE / (n − 2))
  int points = 0;
  double mean_t = 0;
  double sum_sq_t = 0;  // Σ (t − mean_t)²
};

// Fits a linear trend. Returns INVALID_ARGUMENT for a non-finite value and
// FAILED_PRECONDITION (reason INSUFFICIENT_HISTORY) with fewer than 3 values.
absl::StatusOr<LinearFit> FitLinear(std::span<const double> values);

// Forecast of steps n, n+1, ..., n+h−1 with the OLS prediction interval
// ŷ ± z·σ·sqrt(1 + 1/n + (t − t̄)²/Σ(t − t̄)²) (normal quantile for z).
std::vector<ForecastValue> PredictLinear(const LinearFit& fit, int horizon, double coverage);

// Standard normal quantile Φ⁻¹(p) (forecast/numerics/normal_quantile.h).
using numerics::NormalQuantile;

}  // namespace horizonscale::forecast

// Forecasting with a fitted seasonal ARIMA (internal/arima_estimation.h):
// the Kalman filter state of the differenced series after the observations,
// integrated back to the original scale. Internal to forecast/arima/.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "forecast/arima/internal/arima_estimation.h"
#include "forecast/arima/internal/arima_kalman.h"
#include "forecast/forecast.h"

namespace horizonscale::forecast::internal {

class ArimaForecaster {
 public:
  // The forecaster of `fit` after observing `values` (the series it was
  // fitted to; at least d + m·D + 1 values). nullopt when the fit's AR part
  // is not stationary.
  static std::optional<ArimaForecaster> Create(const ArimaFit& fit, std::span<const double> values);

  // Absorbs observations that follow those seen, coefficients unchanged.
  void Observe(std::span<const double> more);

  // Point forecasts of the next `horizon` steps with the interval of nominal
  // coverage `level` in (0, 1): ± z·σ·sqrt(Σ_{j<h} ψ_j²), ψ the weights of the
  // full model (differencing included). This is the Kalman forecast variance
  // once the filter has converged (invertible MA, long series); R's
  // KalmanForecast adds the state's remaining uncertainty, which is
  // negligible after a few seasons. σ² = 0 gives lower = upper = value.
  std::vector<ForecastValue> Predict(int horizon, double level) const;

  const ArimaFit& fit() const { return fit_; }

 private:
  ArimaForecaster() = default;

  // The constant's contribution at (0-based) time t: drift·(t + 1), the
  // intercept, or 0.
  double ConstantAt(int64_t t) const;

  ArimaFit fit_;
  ArmaKalmanFilter filter_;
  std::vector<double> delta_;    // 1 − Σ δ_i B^i = (1 − B)^d (1 − B^m)^D
  std::vector<double> recent_;   // the last delta_.size() values of y − constant
  std::vector<double> psi_phi_;  // AR polynomial with the differencing folded in
  std::vector<double> theta_;    // expanded MA polynomial
  double constant_ = 0;
  int64_t observed_ = 0;
};

}  // namespace horizonscale::forecast::internal

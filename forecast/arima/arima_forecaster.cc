// Forecasting with a fitted seasonal ARIMA (internal/arima_forecaster.h).
#include "forecast/arima/internal/arima_forecaster.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "forecast/arima/internal/arima_estimation.h"
#include "forecast/arima/internal/arima_polynomials.h"
#include "forecast/forecast.h"
#include "forecast/numerics/normal_quantile.h"

namespace horizonscale::forecast::internal {
namespace {

// Coefficients c_0..c_n of the product of two polynomials given by theirs.
std::vector<double> Multiply(std::span<const double> a, std::span<const double> b) {
  std::vector<double> out(a.size() + b.size() - 1, 0.0);
  for (size_t i = 0; i < a.size(); ++i) {
    for (size_t j = 0; j < b.size(); ++j) out[i + j] += a[i] * b[j];
  }
  return out;
}

}  // namespace

std::optional<ArimaForecaster> ArimaForecaster::Create(const ArimaFit& fit,
                                                       std::span<const double> values) {
  ArimaForecaster forecaster;
  forecaster.fit_ = fit;
  const ArimaSpec& spec = fit.spec;
  const ArmaPolynomials polys = SplitCoefficients(spec, fit.coefficients);
  forecaster.constant_ = polys.constant;
  const std::vector<double> phi = ExpandAr(polys.ar, polys.sar, spec.period);
  forecaster.theta_ = ExpandMa(polys.ma, polys.sma, spec.period);
  if (!forecaster.filter_.Start(phi, forecaster.theta_)) return std::nullopt;

  // Δ(B) as coefficients c_0 = 1, c_1, ...; δ_i = −c_i.
  std::vector<double> difference{1.0};
  const std::vector<double> first{1.0, -1.0};
  for (int i = 0; i < spec.d; ++i) difference = Multiply(difference, first);
  std::vector<double> seasonal(static_cast<size_t>(spec.period) + 1, 0.0);
  seasonal.front() = 1;
  seasonal.back() = -1;
  for (int i = 0; i < spec.seasonal_d; ++i) difference = Multiply(difference, seasonal);
  for (size_t i = 1; i < difference.size(); ++i) forecaster.delta_.push_back(-difference[i]);

  std::vector<double> ar_polynomial{1.0};
  for (const double value : phi) ar_polynomial.push_back(-value);
  const std::vector<double> full = Multiply(ar_polynomial, difference);
  for (size_t i = 1; i < full.size(); ++i) forecaster.psi_phi_.push_back(-full[i]);

  forecaster.Observe(values);
  return forecaster;
}

double ArimaForecaster::ConstantAt(int64_t t) const {
  if (!fit_.spec.constant) return 0;
  const int differences = fit_.spec.d + fit_.spec.seasonal_d;
  if (differences == 0) return constant_;
  return constant_ * static_cast<double>(t + 1);
}

void ArimaForecaster::Observe(std::span<const double> more) {
  const size_t lags = delta_.size();
  for (const double y : more) {
    const double x = y - ConstantAt(observed_++);
    if (recent_.size() < lags) {
      recent_.push_back(x);
      continue;
    }
    double w = x;
    for (size_t i = 1; i <= lags; ++i) w -= delta_[i - 1] * recent_[lags - i];
    double variance = 0;
    filter_.Update(w, &variance);
    if (lags > 0) {
      recent_.erase(recent_.begin());
      recent_.push_back(x);
    }
  }
}

std::vector<ForecastValue> ArimaForecaster::Predict(int horizon, double level) const {
  std::vector<ForecastValue> out;
  if (horizon <= 0) return out;
  std::vector<double> w(static_cast<size_t>(horizon));
  filter_.Forecast(w);
  const std::vector<double> psi = PsiWeights(psi_phi_, theta_, horizon);
  const double z = numerics::NormalQuantile(0.5 * (1 + level));
  const double sigma2 = std::isfinite(fit_.sigma2) && fit_.sigma2 > 0 ? fit_.sigma2 : 0.0;
  std::vector<double> x = recent_;
  const size_t lags = delta_.size();
  double psi_sum = 0;
  out.reserve(static_cast<size_t>(horizon));
  for (int h = 0; h < horizon; ++h) {
    double value = w[static_cast<size_t>(h)];
    for (size_t i = 1; i <= lags; ++i) value += delta_[i - 1] * x[x.size() - i];
    x.push_back(value);
    psi_sum += psi[static_cast<size_t>(h)] * psi[static_cast<size_t>(h)];
    const double point = value + ConstantAt(observed_ + h);
    const double half_width = z * std::sqrt(sigma2 * psi_sum);
    out.push_back({.value = point, .lower = point - half_width, .upper = point + half_width});
  }
  return out;
}

}  // namespace horizonscale::forecast::internal

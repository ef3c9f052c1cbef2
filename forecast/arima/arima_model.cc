// The seasonal ARIMA model behind forecast/model.h: orders chosen as
// forecast::auto.arima (8.20) does with its defaults (internal/auto_arima.h),
// estimated by CSS then exact maximum likelihood
// (internal/arima_estimation.h), forecast from the Kalman filter state with
// ψ-weight intervals (internal/arima_forecaster.h).
//
// Minimum length: kMinimumLength values. Short series get low orders (the
// order caps shrink with n as in R: p, q <= n/3, P, Q <= n/(3m)); when every
// candidate is rejected (e.g. the AICc is undefined for so few values) the
// model is ARIMA(0,d,0)(0,D,0) without constant: the naive (or seasonal
// naive) forecast, so 4 to 10 values always give a finite forecast.
//
// Extend: the Kalman filter absorbs the new values with the coefficients and
// σ² unchanged.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>

#include "forecast/arima/internal/arima_estimation.h"
#include "forecast/arima/internal/arima_forecaster.h"
#include "forecast/arima/internal/auto_arima.h"
#include "forecast/internal/models.h"
#include "forecast/model.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr int kMinimumLength = 4;

class ArimaModel final : public FittedModel {
 public:
  explicit ArimaModel(ArimaForecaster forecaster) : forecaster_(std::move(forecaster)) {}

  ModelKind kind() const override { return ModelKind::kArima; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    return forecaster_.Predict(horizon, level);
  }

  bool analytic_interval() const override { return true; }

  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    ArimaForecaster extended = forecaster_;
    extended.Observe(more);
    return std::make_unique<ArimaModel>(std::move(extended));
  }

  std::vector<std::pair<std::string, double>> parameters() const override {
    const ArimaFit& fit = forecaster_.fit();
    const ArimaSpec& spec = fit.spec;
    std::vector<std::pair<std::string, double>> out;
    size_t at = 0;
    auto add = [&](const char* prefix, int count) {
      for (int i = 1; i <= count; ++i)
        out.emplace_back(absl::StrCat(prefix, i), fit.coefficients[at++]);
    };
    add("ar", spec.p);
    add("ma", spec.q);
    add("sar", spec.seasonal_p);
    add("sma", spec.seasonal_q);
    if (spec.constant) {
      out.emplace_back(spec.d + spec.seasonal_d == 0 ? "intercept" : "drift", fit.coefficients[at]);
    }
    out.emplace_back("sigma2", fit.sigma2);
    if (std::isfinite(fit.aicc)) out.emplace_back("aicc", fit.aicc);
    return out;
  }

  std::string description() const override { return ArimaDescription(forecaster_.fit().spec); }

 protected:
  // The same orders estimated by CSS-ML from this fit's coefficients; the
  // full order search when this fit was not an estimated one (the mean, or a
  // fallback) or when the new estimate is rejected.
  absl::StatusOr<std::unique_ptr<FittedModel>> RefitChecked(
      std::span<const double> values, const ModelOptions& options) const override {
    const ArimaFit& fit = forecaster_.fit();
    const ArimaSpec& spec = fit.spec;
    const int differenced_length =
        static_cast<int>(values.size()) - spec.d - spec.seasonal_d * std::max(spec.period, 1);
    if (fit.exact && std::isfinite(fit.aicc) &&
        differenced_length > static_cast<int>(fit.coefficients.size()) + 1) {
      const DifferencedSeries series =
          Difference(values, spec.d, spec.seasonal_d, std::max(spec.period, 1));
      std::optional<ArimaFit> refit =
          FitArima(series, spec, ArimaMethod::kCssMl, 0, fit.coefficients);
      if (refit.has_value()) {
        std::optional<ArimaForecaster> forecaster = ArimaForecaster::Create(*refit, values);
        if (forecaster.has_value()) return std::make_unique<ArimaModel>(std::move(*forecaster));
      }
    }
    return FittedModel::RefitChecked(values, options);
  }

 private:
  ArimaForecaster forecaster_;
};

}  // namespace

int ArimaMinimumLength(const ModelOptions&) { return kMinimumLength; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitArimaModel(std::span<const double> values,
                                                           const ModelOptions& options) {
  if (static_cast<int>(values.size()) < kMinimumLength) {
    return InsufficientHistoryError(
        absl::StrCat("ARIMA needs at least ", kMinimumLength, " values, got ", values.size()));
  }
  if (options.seasonal_period < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("seasonal period must be >= 0, got ", options.seasonal_period));
  }
  absl::StatusOr<ArimaFit> fit =
      AutoArima(values, options.seasonal_period, options.cancelled, options.arima_approximation);
  if (!fit.ok()) return fit.status();
  std::optional<ArimaForecaster> forecaster = ArimaForecaster::Create(*fit, values);
  if (!forecaster.has_value()) {
    return absl::InternalError(absl::StrCat("the selected ", ArimaDescription(fit->spec),
                                            " has a non-stationary AR part"));
  }
  return std::make_unique<ArimaModel>(std::move(*forecaster));
}

}  // namespace horizonscale::forecast::internal

// Simple exponential smoothing (EWMA): FitEwma and PredictEwma
// (forecast/forecast.h), and the model behind FitModel(ModelKind::kEwma)
// (forecast/internal/models.h). ModelOptions::alpha applies to it alone.
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_cat.h>

#include "forecast/forecast.h"
#include "forecast/internal/models.h"

namespace horizonscale::forecast {
namespace {

// Sum of squared one-step-ahead errors of SES with smoothing `alpha`.
double OneStepSse(std::span<const double> values, double alpha, double* final_level) {
  double level = values[0];
  double sse = 0;
  for (size_t t = 1; t < values.size(); ++t) {
    const double error = values[t] - level;
    sse += error * error;
    level += alpha * error;
  }
  if (final_level != nullptr) *final_level = level;
  return sse;
}

// Golden-section search of the SSE-minimising alpha in [lo, hi].
double MinimiseSse(std::span<const double> values, double lo, double hi) {
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double a = lo, b = hi;
  double x1 = b - ratio * (b - a), x2 = a + ratio * (b - a);
  double f1 = OneStepSse(values, x1, nullptr), f2 = OneStepSse(values, x2, nullptr);
  for (int i = 0; i < 60 && b - a > 1e-6; ++i) {
    if (f1 <= f2) {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - ratio * (b - a);
      f1 = OneStepSse(values, x1, nullptr);
    } else {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + ratio * (b - a);
      f2 = OneStepSse(values, x2, nullptr);
    }
  }
  return (a + b) / 2;
}

}  // namespace

absl::StatusOr<EwmaFit> FitEwma(std::span<const double> values, double alpha) {
  if (values.empty()) return absl::InvalidArgumentError("EWMA needs at least one value");
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("value at index ", i, " is not finite (", values[i], ")"));
    }
  }
  if (!(alpha <= 1))
    return absl::InvalidArgumentError(absl::StrCat("alpha must be <= 1, got ", alpha));
  EwmaFit fit;
  if (alpha > 0) {
    fit.alpha = alpha;
  } else if (values.size() < 3) {
    fit.alpha = 0.5;
  } else {
    fit.alpha = MinimiseSse(values, 0.01, 0.99);
  }
  const double sse = OneStepSse(values, fit.alpha, &fit.level);
  fit.residuals = static_cast<int>(values.size()) - 1;
  fit.residual_stddev = fit.residuals >= 2 ? std::sqrt(sse / fit.residuals) : 0;
  return fit;
}

std::vector<ForecastValue> PredictEwma(const EwmaFit& fit, int horizon, double coverage) {
  const double z = NormalQuantile((1 + coverage) / 2);
  std::vector<ForecastValue> out;
  out.reserve(horizon > 0 ? horizon : 0);
  for (int k = 1; k <= horizon; ++k) {
    const double half_width =
        z * fit.residual_stddev * std::sqrt(1 + (k - 1) * fit.alpha * fit.alpha);
    out.push_back({fit.level, fit.level - half_width, fit.level + half_width});
  }
  return out;
}

}  // namespace horizonscale::forecast

namespace horizonscale::forecast::internal {
namespace {

// Simple exponential smoothing through FitEwma / PredictEwma.
class EwmaModel final : public FittedModel {
 public:
  explicit EwmaModel(const EwmaFit& fit) : fit_(fit) {}

  ModelKind kind() const override { return ModelKind::kEwma; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    return PredictEwma(fit_, horizon, level);
  }

  bool analytic_interval() const override { return true; }

  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    EwmaFit fit = fit_;
    for (const double y : more) fit.level += fit.alpha * (y - fit.level);
    return std::make_unique<EwmaModel>(fit);
  }

  std::vector<std::pair<std::string, double>> parameters() const override {
    return {{"alpha", fit_.alpha}};
  }

  std::string description() const override { return "Simple exponential smoothing (EWMA)"; }

 private:
  EwmaFit fit_;
};

}  // namespace

int EwmaMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitEwmaModel(std::span<const double> values,
                                                          const ModelOptions& options) {
  if (options.alpha.has_value() && !(*options.alpha > 0 && *options.alpha <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("alpha must be in (0, 1], got ", *options.alpha));
  }
  absl::StatusOr<EwmaFit> fit = FitEwma(values, options.alpha.value_or(0.0));
  if (!fit.ok()) return fit.status();
  return std::make_unique<EwmaModel>(*fit);
}

}  // namespace horizonscale::forecast::internal

// The Theta method (ModelKind::kTheta) as R's forecast::thetaf (forecast
// 8.20) computes it: the classical Theta method of Assimakopoulos & Nikolopoulos
// (2000) in the SES-with-drift form of Hyndman & Billah (2003).
//
// Fit (FitThetaSpec): with m = options.seasonal_period, divide the series by
// the multiplicative seasonal figure when ThetaSeasonalityTest finds it
// seasonal (forecast/internal/seasonal_adjustment.h), then fit simple
// exponential smoothing (FitSes) to the adjusted series x.
//
// Forecast after n values, step k = 1, 2, ...:
//   x̂_{n+k} = ℓ_n + b · (k − 1 + (1 − (1 − α)^n) / α),
// ℓ_n the SES level, b half the slope of the least-squares line of x on
// t = 0..n−1, α floored at 1e-10; reseasonalised by the factor of step
// n + k − 1. (The equal-weight mean of the extrapolated theta = 0 line, the
// regression line, and SES on the theta = 2 line reduces to this.) The prediction interval is
// thetaf's: x̂ ± z · σ · sqrt((k − 1) α² + 1), σ² the SES residual variance in
// adjusted units, not rescaled by the seasonal factor (as in R).
//
// Extend keeps α, σ² and the seasonal figure: it runs the SES level over the
// new adjusted values, adds them to the least-squares line (running centred
// sums, O(1) per value) and counts them in n, so the drift term and the
// figure's phase continue. Extending by a then b gives exactly what
// extending by a ++ b gives, and what fitting the same spec over the whole
// series gives (MakeThetaModel).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include "forecast/internal/models.h"
#include "forecast/internal/seasonal_adjustment.h"
#include "forecast/numerics/normal_quantile.h"
#include "forecast/status_reason.h"
#include "forecast/theta/internal/theta.h"

namespace horizonscale::forecast::internal {
namespace {

// thetaf's floor on α in the drift term and the interval.
constexpr double kAlphaFloor = 1e-10;
// thetaf drops the seasonal adjustment when a factor is below this.
constexpr double kMinSeasonalFactor = 1e-4;

class ThetaModel final : public FittedModel {
 public:
  // The model with `spec` that has seen no values yet; Absorb them.
  explicit ThetaModel(ThetaSpec spec) : spec_(std::move(spec)), level_(spec_.initial_level) {}

  ModelKind kind() const override { return ModelKind::kTheta; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    if (horizon <= 0) return {};
    const double alpha = std::max(spec_.alpha, kAlphaFloor);
    // (1 − (1 − α)^n) / α without cancellation for small α.
    const double start_offset =
        -std::expm1(static_cast<double>(seen_) * std::log1p(-alpha)) / alpha;
    const double drift = Drift();
    const double z = numerics::NormalQuantile((1 + level) / 2);
    const double sigma = std::sqrt(spec_.sigma2);
    std::vector<ForecastValue> out;
    out.reserve(static_cast<size_t>(horizon));
    for (int k = 1; k <= horizon; ++k) {
      const double value = (level_ + drift * (k - 1 + start_offset)) * FactorAt(seen_ + k - 1);
      const double half_width = z * sigma * std::sqrt((k - 1) * alpha * alpha + 1);
      out.push_back({value, value - half_width, value + half_width});
    }
    return out;
  }

  bool analytic_interval() const override { return true; }

  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    auto extended = std::make_unique<ThetaModel>(*this);
    extended->Absorb(more);
    return extended;
  }

  // "alpha", "level" (the SES level after the last value, adjusted units),
  // "drift" (b, per step, adjusted units) and "seasonal" (1 when adjusted).
  std::vector<std::pair<std::string, double>> parameters() const override {
    return {{"alpha", spec_.alpha},
            {"level", level_},
            {"drift", Drift()},
            {"seasonal", spec_.seasonal_figure.empty() ? 0.0 : 1.0}};
  }

  std::string description() const override {
    if (spec_.seasonal_figure.empty()) return "Theta (SES with drift)";
    return absl::StrCat("Theta (SES with drift), multiplicative seasonal adjustment (period ",
                        spec_.seasonal_figure.size(), ")");
  }

  // Runs the level and the line over `values`, which follow those seen.
  void Absorb(std::span<const double> values) {
    for (const double y : values) {
      const double x = y / FactorAt(seen_);
      level_ += spec_.alpha * (x - level_);
      // Centred running sums of the line on t (Welford's update).
      const auto t = static_cast<double>(seen_);
      ++seen_;
      const auto count = static_cast<double>(seen_);
      const double dt = t - mean_t_;
      mean_t_ += dt / count;
      mean_x_ += (x - mean_x_) / count;
      sum_tx_ += dt * (x - mean_x_);
    }
  }

 private:
  // The seasonal factor of step t (1 without adjustment).
  double FactorAt(int64_t t) const {
    if (spec_.seasonal_figure.empty()) return 1;
    const auto m = static_cast<int64_t>(spec_.seasonal_figure.size());
    return spec_.seasonal_figure[static_cast<size_t>(t % m)];
  }

  // Half the least-squares slope of x on t; 0 before two values.
  double Drift() const {
    if (seen_ < 2) return 0;
    const auto n = static_cast<double>(seen_);
    const double sum_tt = n * (n * n - 1) / 12;  // Σ (t − t̄)² over t = 0..n−1
    return sum_tx_ / sum_tt / 2;
  }

  ThetaSpec spec_;
  double level_ = 0;   // ℓ after the values seen
  int64_t seen_ = 0;   // n: values seen (fitted and absorbed)
  double mean_t_ = 0;  // mean of t over the values seen
  double mean_x_ = 0;  // mean of the adjusted values seen
  double sum_tx_ = 0;  // Σ (t − t̄)(x_t − x̄)
};

// The multiplicative seasonal figure thetaf would adjust `values` by, or
// empty (see FitThetaSpec).
std::vector<double> SeasonalFigureFor(std::span<const double> values, int period) {
  if (period < 2) return {};
  if (std::any_of(values.begin(), values.end(), [](double y) { return !(y > 0); })) return {};
  if (!ThetaSeasonalityTest(values, period)) return {};
  std::vector<double> figure = SeasonalFigure(values, period, /*multiplicative=*/true);
  const bool usable = std::all_of(figure.begin(), figure.end(), [](double factor) {
    return std::isfinite(factor) && std::abs(factor) >= kMinSeasonalFactor;
  });
  return usable ? figure : std::vector<double>{};
}

}  // namespace

absl::StatusOr<ThetaSpec> FitThetaSpec(std::span<const double> values,
                                       const ModelOptions& options) {
  ThetaSpec spec;
  spec.seasonal_figure = SeasonalFigureFor(values, options.seasonal_period);
  std::vector<double> adjusted(values.begin(), values.end());
  if (!spec.seasonal_figure.empty()) {
    const size_t m = spec.seasonal_figure.size();
    for (size_t t = 0; t < adjusted.size(); ++t) adjusted[t] /= spec.seasonal_figure[t % m];
  }
  const absl::StatusOr<SesFit> ses = FitSes(adjusted, options.cancelled);
  if (!ses.ok()) return ses.status();
  spec.alpha = ses->alpha;
  spec.initial_level = ses->initial_level;
  spec.sigma2 = ses->sigma2;
  return spec;
}

std::unique_ptr<FittedModel> MakeThetaModel(ThetaSpec spec, std::span<const double> values) {
  auto model = std::make_unique<ThetaModel>(std::move(spec));
  model->Absorb(values);
  return model;
}

// One value: SES starts from it and the drift is 0 until there are two.
int ThetaMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitThetaModel(std::span<const double> values,
                                                           const ModelOptions& options) {
  if (values.empty()) {
    return InsufficientHistoryError("the theta model needs at least 1 point of history, got 0");
  }
  absl::StatusOr<ThetaSpec> spec = FitThetaSpec(values, options);
  if (!spec.ok()) return spec.status();
  return MakeThetaModel(*std::move(spec), values);
}

}  // namespace horizonscale::forecast::internal

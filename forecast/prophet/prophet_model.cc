// The Prophet-style model behind FitModel(ModelKind::kProphet, ...)
// (forecast/prophet/prophet.h, forecast/model.h).
//
// Fit: FitProphet (forecast/prophet/internal/prophet_fit.h) — the exact MAP estimate
// of Prophet's additive model with linear growth on scaled data.
//
// Predict(h, level): the point forecast is the fitted trend extrapolated
// (the last segment's rate continues) plus the seasonal terms at the future
// calendar times; the interval comes from simulated futures like Prophet's
// predict_uncertainty (forecast/prophet/internal/prophet_simulation.h): every future
// step is a changepoint with probability S·dt (S the potential changepoints
// of the history, dt = 1/(n − 1) its scaled step — the historical frequency),
// rate changes ~ Laplace(0, mean|δ| + 1e-8), plus Normal(0, σ) noise;
// lower / upper are the (1 − level)/2 and (1 + level)/2 sample quantiles of
// uncertainty_samples paths, seeded by ProphetOptions::seed. As in Prophet's
// MAP mode the parameters themselves are not resampled. With no changepoints
// (S = 0) the trend is certain and only the noise is simulated (Prophet keeps
// a dummy changepoint whose rate change is 0, so its λ is 1e-8: the same up
// to 1e-8).
//
// Extend(more) refits the model on the longer series with the same options:
// the MAP estimate has no cheap update (the changepoint grid and the time
// scale both move with the history). For three years of daily values a fit
// takes about 0.35 ms and a 210-day forecast with intervals about 0.8 ms
// (bench/forecast/prophet_bench.cc).
#include <cmath>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include "forecast/internal/models.h"
#include "forecast/prophet/internal/prophet_fit.h"
#include "forecast/prophet/internal/prophet_simulation.h"

namespace horizonscale::forecast::internal {
namespace {

// Prophet's epsilon added to the mean |δ| of the Laplace scale of simulated
// rate changes.
constexpr double kRateChangeEpsilon = 1e-8;

class ProphetModel final : public FittedModel {
 public:
  ProphetModel(ProphetFit fit, std::vector<double> values, const ModelOptions& options)
      : fit_(std::move(fit)), values_(std::move(values)), options_(options) {}

  ModelKind kind() const override { return ModelKind::kProphet; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    if (horizon <= 0) return {};
    const ProphetLayout& layout = fit_.layout;
    const int last = layout.points - 1;
    FutureSimulationSpec spec;
    spec.paths = options_.prophet.uncertainty_samples;
    spec.step_t = layout.ScaledTime(1);
    spec.change_probability = layout.changepoint_count() * spec.step_t;
    double mean_abs_delta = 0;
    for (const double d : fit_.delta) mean_abs_delta += std::abs(d);
    if (!fit_.delta.empty()) mean_abs_delta /= static_cast<double>(fit_.delta.size());
    spec.rate_change_scale = mean_abs_delta + kRateChangeEpsilon;
    spec.noise_sigma = fit_.sigma;
    spec.seed = options_.prophet.seed;
    const DeviationQuantiles deviations =
        SimulateDeviationQuantiles(spec, horizon, (1 - level) / 2, (1 + level) / 2);

    std::vector<ForecastValue> forecast(horizon);
    for (int h = 1; h <= horizon; ++h) {
      const double step = last + h;
      const double value = fit_.Trend(step) + fit_.Seasonality(step);
      forecast[h - 1] = {value, value + fit_.y_scale * deviations.lower[h - 1],
                         value + fit_.y_scale * deviations.upper[h - 1]};
    }
    return forecast;
  }

  bool analytic_interval() const override { return true; }

  // A refit on the fitted values followed by `more`, with the same options.
  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    std::vector<double> values = values_;
    values.insert(values.end(), more.begin(), more.end());
    absl::StatusOr<ProphetFit> fit = FitProphet(values, options_);
    // The options were valid and the series only grew, so the refit cannot
    // fail; should it, the model stays as fitted.
    if (!fit.ok()) return std::make_unique<ProphetModel>(*this);
    return std::make_unique<ProphetModel>(*std::move(fit), std::move(values), options_);
  }

  // In data units: "k" (initial growth rate, per day), "m" (trend at the
  // first value), "sigma" (noise σ), "trend_rate_last" (growth rate after the
  // last changepoint, per day: k + Σδ), "changepoints" (potential),
  // "changepoints_used" (nonzero rate changes), "yearly_order",
  // "weekly_order", "yearly_amplitude", "weekly_amplitude" (see
  // ProphetFit::YearlyAmplitude).
  std::vector<std::pair<std::string, double>> parameters() const override {
    const double per_day = fit_.y_scale / fit_.layout.span_days();
    return {{"k", fit_.k * per_day},
            {"m", fit_.m * fit_.y_scale},
            {"sigma", fit_.sigma * fit_.y_scale},
            {"trend_rate_last", fit_.RatePerDay(1)},
            {"changepoints", fit_.layout.changepoint_count()},
            {"changepoints_used", fit_.ActiveChangepoints()},
            {"yearly_order", fit_.layout.yearly_order},
            {"weekly_order", fit_.layout.weekly_order},
            {"yearly_amplitude", fit_.YearlyAmplitude()},
            {"weekly_amplitude", fit_.WeeklyAmplitude()}};
  }

  std::string description() const override {
    const ProphetLayout& layout = fit_.layout;
    auto seasonality = [](const char* name, int order) {
      return order > 0 ? absl::StrCat(name, " order ", order) : absl::StrCat("no ", name);
    };
    return absl::StrCat("Prophet-style: piecewise-linear trend with ", layout.changepoint_count(),
                        " changepoints (", fit_.ActiveChangepoints(), " active), ",
                        seasonality("yearly", layout.yearly_order), ", ",
                        seasonality("weekly", layout.weekly_order));
  }

 private:
  ProphetFit fit_;
  std::vector<double> values_;  // the series fitted, for Extend's refit
  ModelOptions options_;
};

}  // namespace

// Prophet's minimum: two values (a line; the priors keep every other
// coefficient defined however few values there are).
int ProphetMinimumLength(const ModelOptions& /*options*/) { return 2; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitProphetModel(std::span<const double> values,
                                                             const ModelOptions& options) {
  absl::StatusOr<ProphetFit> fit = FitProphet(values, options);
  if (!fit.ok()) return fit.status();
  return std::make_unique<ProphetModel>(*std::move(fit),
                                        std::vector<double>(values.begin(), values.end()), options);
}

}  // namespace horizonscale::forecast::internal

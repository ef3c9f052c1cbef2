// The exponential-smoothing family behind forecast/model.h: simple
// exponential smoothing (EWMA), Holt's linear trend (optionally damped) and
// Holt-Winters with additive or multiplicative seasonality (optionally
// damped). The recursions, their start and the parameterisation are described
// in forecast/internal/ets.h.
//
// Fitting. The smoothing parameters minimise the sum of squared one-step-ahead
// errors (the criterion of R's stats::HoltWinters), searched by bounded
// Nelder-Mead (forecast/internal/optimizer.h: the box is mapped, at most 300
// evaluations, relative SSE tolerance 1e-6) from R's starting point
// α = 0.3, β = 0.1, γ = 0.1 (a damped variant: from the undamped optimum of
// the same seasonal form, φ = 0.95), within
//   α, β, γ in [1e-4, 0.9999], φ in [0.8, 0.98].
// β and γ are the component-form parameters of R's HoltWinters; in the ETS
// error-correction form these bounds are β_ets = αβ in [1e-4·α, 0.9999·α] and
// γ_ets = (1 − α)γ in [~0, 1 − α], the usual ETS region (Hyndman et al. 2008).
//
// ModelOptions::alpha applies to EWMA only (forecast/model.h); Holt and
// Holt-Winters always fit their parameters.
//
// Choosing among variants (damping unset, seasonality kAuto): every variant
// is fitted and the one with the lowest AICc
//   n·log(SSE/n) + 2k + 2k(k + 1)/(n − k − 1)
// is kept, n the number of one-step errors, k = EstimatedQuantityCount (the
// fitted smoothing parameters plus the initial states). When n − k − 1 <= 0
// for some variant (very short series) all variants are compared by AIC
// (n·log(SSE/n) + 2k) instead. Additive and multiplicative variants with the
// same damping have the same n and k, so between them this is simply the
// lower one-step MSE. Ties keep the simpler variant (undamped, additive).
//
// Prediction intervals: EWMA, Holt, damped Holt and additive Holt-Winters use
// the exact h-step variance of their ETS(A,·,·) counterparts
// (ForecastVarianceFactors) with σ² = SSE / max(n − k, 1), n the series length
// (for EWMA, FitEwma's RMS of one-step errors). Multiplicative Holt-Winters
// has no simple closed form: no analytic interval.
#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>

#include "forecast/cancellation.h"
#include "forecast/forecast.h"
#include "forecast/internal/ets.h"
#include "forecast/internal/models.h"
#include "forecast/internal/optimizer.h"
#include "forecast/internal/seasonal_adjustment.h"
#include "forecast/model.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr double kSmoothingLower = 1e-4;
constexpr double kSmoothingUpper = 0.9999;
constexpr double kPhiLower = 0.8;
constexpr double kPhiUpper = 0.98;
// Holt: as many values as quantities estimated (α, β, ℓ, b).
constexpr int kHoltMinimumLength = 4;
// Holt's start: the line through the first (up to) ten values.
constexpr size_t kHoltStartValues = 10;

// One pass of the recursions of ets.h for one seasonal form, written in the
// algebraically equivalent error-correction form. With x_t the
// de-seasonalised observation (y_t − s, y_t / s, or y_t without seasonality,
// s = s_{t−m}), u_t = ℓ_{t−1} + φ b_{t−1} the level forecast and
// d_t = x_t − u_t:
//   ℓ_t = u_t + α d_t,   b_t = φ b_{t−1} + αβ d_t,
//   u_{t+1} = ℓ_t + φ b_t = (1 − g) u_t + g x_t + φ² b_{t−1},  g = α(1 + φβ),
//   s_t = s + (1 − α)γ d_t  (additive),  γ y_t / ℓ_t + (1 − γ) s  (multiplicative),
// and the one-step error is d_t (additive, none) or d_t·s (multiplicative).
// Written so that the loop-carried dependency through u is one multiply and
// one add per step: this loop is the whole cost of a fit.
template <SeasonalForm kForm>
double Recurse(std::span<const double> values, const SmoothingParameters& params,
               SmoothingState& state) {
  const double alpha = params.alpha;
  const double phi = params.phi;
  const double gamma = params.gamma;
  const double trend_gain = alpha * params.beta;
  const double forecast_gain = alpha + phi * trend_gain;
  const double forecast_keep = 1 - forecast_gain;
  const double phi_squared = phi * phi;
  const double additive_season_gain = (1 - alpha) * gamma;
  double* const seasonals = state.seasonals.data();
  const int period = static_cast<int>(state.seasonals.size());
  int season_index = state.next_season;
  double level = state.level;
  double trend = state.trend;
  double level_forecast = level + phi * trend;
  double sse = 0;
  for (const double y : values) {
    double deseasonalised;
    double innovation;
    if constexpr (kForm == SeasonalForm::kNone) {
      deseasonalised = y;
      innovation = deseasonalised - level_forecast;
      sse += innovation * innovation;
      level = level_forecast + alpha * innovation;
    } else if constexpr (kForm == SeasonalForm::kAdditive) {
      const double season = seasonals[season_index];
      deseasonalised = y - season;
      innovation = deseasonalised - level_forecast;
      sse += innovation * innovation;
      level = level_forecast + alpha * innovation;
      seasonals[season_index] = season + additive_season_gain * innovation;
    } else {
      const double season = seasonals[season_index];
      deseasonalised = y / season;
      innovation = deseasonalised - level_forecast;
      const double error = innovation * season;
      sse += error * error;
      level = level_forecast + alpha * innovation;
      seasonals[season_index] = gamma * (y / level) + (1 - gamma) * season;
    }
    level_forecast =
        forecast_keep * level_forecast + (forecast_gain * deseasonalised + phi_squared * trend);
    trend = phi * trend + trend_gain * innovation;
    if constexpr (kForm != SeasonalForm::kNone) {
      if (++season_index == period) season_index = 0;
    }
  }
  state.level = level;
  state.trend = trend;
  state.next_season = season_index;
  return sse;
}

// Intercept (at x = 0) and slope of the least-squares line through
// (1, y_0), (2, y_1), …
std::pair<double, double> LineThrough(std::span<const double> ys) {
  const double count = static_cast<double>(ys.size());
  const double mean_x = (count + 1) / 2;
  double mean_y = 0;
  for (const double y : ys) mean_y += y;
  mean_y /= count;
  double sxy = 0;
  double sxx = 0;
  for (size_t i = 0; i < ys.size(); ++i) {
    const double dx = static_cast<double>(i + 1) - mean_x;
    sxy += dx * (ys[i] - mean_y);
    sxx += dx * dx;
  }
  const double slope = sxx > 0 ? sxy / sxx : 0;
  return {mean_y - slope * mean_x, slope};
}

StartedState SeasonalClassicalStart(std::span<const double> values, const SmoothingSpec& spec) {
  const int period = spec.period;
  const bool multiplicative = spec.seasonal == SeasonalForm::kMultiplicative;
  const int half = period / 2;
  // R's `decompose` filter over the first two periods: t = half .. 2m − 1 − half.
  const std::vector<double> trend =
      CentredMovingAverage(values.first(static_cast<size_t>(2 * period)), period);
  std::vector<double> detrended_sum(period, 0.0);
  std::vector<int> detrended_count(period, 0);
  for (int t = half; t <= 2 * period - 1 - half; ++t) {
    const double moving_average = trend[t - half];
    detrended_sum[t % period] +=
        multiplicative ? values[t] / moving_average : values[t] - moving_average;
    ++detrended_count[t % period];
  }
  StartedState start;
  start.state.seasonals.resize(period);
  double figure_mean = 0;
  for (int i = 0; i < period; ++i) {
    start.state.seasonals[i] = detrended_sum[i] / detrended_count[i];
    figure_mean += start.state.seasonals[i] / period;
  }
  for (double& season : start.state.seasonals) {
    season = multiplicative ? season / figure_mean : season - figure_mean;
  }
  const auto [intercept, slope] = LineThrough(trend);
  start.state.level = intercept;
  start.state.trend = slope;
  start.state.next_season = 0;
  start.first_filtered = period;
  return start;
}

double InformationCriterion(double sse, int errors, int estimated, bool small_sample) {
  const double mse = std::max(sse / errors, std::numeric_limits<double>::min());
  double criterion = errors * std::log(mse) + 2.0 * estimated;
  if (small_sample) {
    criterion += 2.0 * estimated * (estimated + 1) / (errors - estimated - 1);
  }
  return criterion;
}

double ResidualStddev(double sse, int length, const SmoothingSpec& spec) {
  const int degrees_of_freedom = std::max(length - EstimatedQuantityCount(spec), 1);
  return std::sqrt(sse / degrees_of_freedom);
}

// A fitted Holt or Holt-Winters model: parameters, the state after the last
// observation and the σ of its one-step errors (kept as fitted by Extend).
class SmoothingModel final : public FittedModel {
 public:
  SmoothingModel(const SmoothingSpec& spec, const SmoothingParameters& params, SmoothingState state,
                 double sigma)
      : spec_(spec), params_(params), state_(std::move(state)), sigma_(sigma) {}

  ModelKind kind() const override {
    return spec_.seasonal == SeasonalForm::kNone ? ModelKind::kHolt : ModelKind::kHoltWinters;
  }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    if (horizon <= 0) return {};
    const std::vector<double> points = PointForecasts(spec_, params_, state_, horizon);
    std::vector<ForecastValue> forecast(horizon);
    if (!analytic_interval()) {
      for (int h = 0; h < horizon; ++h) forecast[h] = {points[h], points[h], points[h]};
      return forecast;
    }
    const double z = NormalQuantile((1 + level) / 2);
    const std::vector<double> factors = ForecastVarianceFactors(spec_, params_, horizon);
    for (int h = 0; h < horizon; ++h) {
      const double half_width = z * sigma_ * std::sqrt(factors[h]);
      forecast[h] = {points[h], points[h] - half_width, points[h] + half_width};
    }
    return forecast;
  }

  bool analytic_interval() const override {
    return spec_.seasonal != SeasonalForm::kMultiplicative;
  }

  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    SmoothingState state = state_;
    RunRecursions(more, spec_, params_, state);
    return std::make_unique<SmoothingModel>(spec_, params_, std::move(state), sigma_);
  }

  std::vector<std::pair<std::string, double>> parameters() const override {
    std::vector<std::pair<std::string, double>> named = {{"alpha", params_.alpha},
                                                         {"beta", params_.beta}};
    if (spec_.seasonal != SeasonalForm::kNone) named.emplace_back("gamma", params_.gamma);
    named.emplace_back("phi", params_.phi);
    return named;
  }

  std::string description() const override {
    if (spec_.seasonal == SeasonalForm::kNone) {
      return spec_.damped ? "Holt's linear trend, damped" : "Holt's linear trend";
    }
    return absl::StrCat(
        "Holt-Winters, ", spec_.seasonal == SeasonalForm::kAdditive ? "additive" : "multiplicative",
        " seasonality (period ", spec_.period, ")", spec_.damped ? ", damped trend" : "");
  }

 private:
  SmoothingSpec spec_;
  SmoothingParameters params_;
  SmoothingState state_;
  double sigma_;
};

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

// The free parameters of `spec` as a vector: α, β, then γ with seasonality,
// then φ when damped.
SmoothingParameters ParametersFromVector(const SmoothingSpec& spec, std::span<const double> x) {
  SmoothingParameters params;
  size_t next = 0;
  params.alpha = x[next++];
  params.beta = x[next++];
  params.gamma = spec.seasonal != SeasonalForm::kNone ? x[next++] : 0.0;
  params.phi = spec.damped ? x[next++] : 1.0;
  return params;
}

struct SearchBox {
  std::vector<double> start;
  std::vector<double> lower;
  std::vector<double> upper;
};

// The search box of `spec` and its starting point: `start`'s α, β, γ (R's
// optim.start 0.3, 0.1, 0.1 by default) and φ = 0.95.
SearchBox SearchBoxFor(const SmoothingSpec& spec, const SmoothingParameters& start) {
  SearchBox box;
  auto add = [&box](double start_value, double lower, double upper) {
    box.start.push_back(start_value);
    box.lower.push_back(lower);
    box.upper.push_back(upper);
  };
  add(start.alpha, kSmoothingLower, kSmoothingUpper);
  add(start.beta, kSmoothingLower, kSmoothingUpper);
  if (spec.seasonal != SeasonalForm::kNone) add(start.gamma, kSmoothingLower, kSmoothingUpper);
  if (spec.damped) add(0.95, kPhiLower, kPhiUpper);
  return box;
}

// One fitted variant: its parameters, the state after the last value and the
// one-step SSE over values[first_filtered..].
struct Candidate {
  SmoothingSpec spec;
  SmoothingParameters params;
  SmoothingState state;
  double sse = 0;
  int errors = 0;
};

// Fits the smoothing parameters of `spec` from `start`, the search starting
// at `search_start`; nullopt when `cancelled` stopped the search.
std::optional<Candidate> FitCandidate(std::span<const double> values, const SmoothingSpec& spec,
                                      const StartedState& start,
                                      const SmoothingParameters& search_start,
                                      const CancelCheck& cancelled) {
  const std::span<const double> filtered = values.subspan(start.first_filtered);
  SmoothingState scratch = start.state;
  auto one_step_sse = [&](std::span<const double> x) {
    scratch.level = start.state.level;
    scratch.trend = start.state.trend;
    scratch.next_season = start.state.next_season;
    std::copy(start.state.seasonals.begin(), start.state.seasonals.end(),
              scratch.seasonals.begin());
    return RunRecursions(filtered, spec, ParametersFromVector(spec, x), scratch);
  };
  const SearchBox box = SearchBoxFor(spec, search_start);
  NelderMeadOptions search;
  search.cancelled = cancelled ? &cancelled : nullptr;
  const NelderMeadResult best =
      MinimizeInBox(one_step_sse, box.start, box.lower, box.upper, search);
  if (best.cancelled) return std::nullopt;
  Candidate candidate{spec, ParametersFromVector(spec, best.point), start.state, 0,
                      static_cast<int>(filtered.size())};
  candidate.sse = RunRecursions(filtered, spec, candidate.params, candidate.state);
  return candidate;
}

// Fits every variant in `specs` and returns the model of the one with the
// lowest information criterion (see the top of this file); CANCELLED when
// `cancelled` stopped a fit.
absl::StatusOr<std::unique_ptr<FittedModel>> FitBestVariant(std::span<const double> values,
                                                            const std::vector<SmoothingSpec>& specs,
                                                            const CancelCheck& cancelled) {
  std::vector<Candidate> candidates;
  bool small_sample = true;
  for (const SmoothingSpec& spec : specs) {
    // A damped variant starts its search at the undamped optimum of the same
    // seasonal form when there is one (it is listed just before).
    SmoothingParameters search_start{.alpha = 0.3, .beta = 0.1, .gamma = 0.1, .phi = 1};
    if (spec.damped && !candidates.empty() && !candidates.back().spec.damped &&
        candidates.back().spec.seasonal == spec.seasonal) {
      search_start = candidates.back().params;
    }
    std::optional<Candidate> fitted =
        FitCandidate(values, spec, ClassicalStart(values, spec), search_start, cancelled);
    if (!fitted.has_value()) return CancelledStatus("exponential-smoothing fit");
    candidates.push_back(std::move(*fitted));
    small_sample = small_sample && candidates.back().errors - EstimatedQuantityCount(spec) - 1 > 0;
  }
  const Candidate* best = nullptr;
  double best_criterion = std::numeric_limits<double>::infinity();
  for (const Candidate& candidate : candidates) {
    if (!std::isfinite(candidate.sse)) continue;
    const double criterion = InformationCriterion(
        candidate.sse, candidate.errors, EstimatedQuantityCount(candidate.spec), small_sample);
    if (best == nullptr || criterion < best_criterion) {
      best = &candidate;
      best_criterion = criterion;
    }
  }
  if (best == nullptr) {
    return absl::FailedPreconditionError(
        "the exponential-smoothing recursions diverged for every admissible variant");
  }
  const double sigma = ResidualStddev(best->sse, static_cast<int>(values.size()), best->spec);
  return std::make_unique<SmoothingModel>(best->spec, best->params, best->state, sigma);
}

std::vector<bool> DampingChoices(const ModelOptions& options) {
  if (options.damped.has_value()) return {*options.damped};
  return {false, true};
}

absl::Status InsufficientHistory(const char* model, int needed, size_t got) {
  return InsufficientHistoryError(absl::StrCat("the ", model, " model needs at least ", needed,
                                               " points of history, got ", got));
}

}  // namespace

int ClassicalStartMinimumLength(const SmoothingSpec& spec) {
  if (spec.seasonal == SeasonalForm::kNone) return 2;
  return spec.period > INT_MAX / 2 ? INT_MAX : 2 * spec.period;
}

StartedState ClassicalStart(std::span<const double> values, const SmoothingSpec& spec) {
  if (spec.seasonal != SeasonalForm::kNone) return SeasonalClassicalStart(values, spec);
  const size_t fitted = std::min(values.size(), kHoltStartValues);
  const auto [intercept, slope] = LineThrough(values.first(fitted));
  // The line is indexed 1, 2, … for values[0], values[1], …: at 0 it is the
  // level one step before values[0].
  StartedState start;
  start.state.level = intercept;
  start.state.trend = slope;
  start.first_filtered = 0;
  return start;
}

double RunRecursions(std::span<const double> values, const SmoothingSpec& spec,
                     const SmoothingParameters& params, SmoothingState& state) {
  switch (spec.seasonal) {
    case SeasonalForm::kNone:
      return Recurse<SeasonalForm::kNone>(values, params, state);
    case SeasonalForm::kAdditive:
      return Recurse<SeasonalForm::kAdditive>(values, params, state);
    case SeasonalForm::kMultiplicative:
      return Recurse<SeasonalForm::kMultiplicative>(values, params, state);
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> PointForecasts(const SmoothingSpec& spec, const SmoothingParameters& params,
                                   const SmoothingState& state, int horizon) {
  std::vector<double> forecast(std::max(horizon, 0));
  const int period = static_cast<int>(state.seasonals.size());
  int season_index = state.next_season;
  double phi_power = 1;
  double phi_sum = 0;  // φ_h = φ + … + φ^h
  for (double& value : forecast) {
    phi_power *= params.phi;
    phi_sum += phi_power;
    value = state.level + phi_sum * state.trend;
    if (spec.seasonal == SeasonalForm::kNone) continue;
    const double season = state.seasonals[season_index];
    value = spec.seasonal == SeasonalForm::kAdditive ? value + season : value * season;
    if (++season_index == period) season_index = 0;
  }
  return forecast;
}

std::vector<double> ForecastVarianceFactors(const SmoothingSpec& spec,
                                            const SmoothingParameters& params, int horizon) {
  std::vector<double> factors(std::max(horizon, 0));
  const bool seasonal = spec.seasonal != SeasonalForm::kNone;
  const double alpha_ets = params.alpha;
  const double beta_ets = params.alpha * params.beta;
  const double gamma_ets = seasonal ? (1 - params.alpha) * params.gamma : 0.0;
  double phi_power = 1;
  double phi_sum = 0;  // φ_j
  double sum_of_squares = 0;
  for (int h = 1; h <= horizon; ++h) {
    if (h > 1) {
      const int j = h - 1;
      phi_power *= params.phi;
      phi_sum += phi_power;
      const double c =
          alpha_ets + beta_ets * phi_sum + (seasonal && j % spec.period == 0 ? gamma_ets : 0.0);
      sum_of_squares += c * c;
    }
    factors[h - 1] = 1 + sum_of_squares;
  }
  return factors;
}

int EstimatedQuantityCount(const SmoothingSpec& spec) {
  const bool seasonal = spec.seasonal != SeasonalForm::kNone;
  const int smoothing = 2 + (seasonal ? 1 : 0) + (spec.damped ? 1 : 0);
  const int initial_states = 2 + (seasonal ? spec.period : 0);
  return smoothing + initial_states;
}

std::unique_ptr<FittedModel> MakeSmoothingModel(std::span<const double> values,
                                                const SmoothingSpec& spec,
                                                const SmoothingParameters& params) {
  StartedState start = ClassicalStart(values, spec);
  const double sse = RunRecursions(values.subspan(start.first_filtered), spec, params, start.state);
  const double sigma = ResidualStddev(sse, static_cast<int>(values.size()), spec);
  return std::make_unique<SmoothingModel>(spec, params, std::move(start.state), sigma);
}

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

int HoltMinimumLength(const ModelOptions&) { return kHoltMinimumLength; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitHoltModel(std::span<const double> values,
                                                          const ModelOptions& options) {
  if (values.size() < static_cast<size_t>(kHoltMinimumLength)) {
    return InsufficientHistory("holt", kHoltMinimumLength, values.size());
  }
  std::vector<SmoothingSpec> specs;
  for (const bool damped : DampingChoices(options)) {
    specs.push_back({SeasonalForm::kNone, damped, 0});
  }
  return FitBestVariant(values, specs, options.cancelled);
}

int HoltWintersMinimumLength(const ModelOptions& options) {
  // Exactly two full seasons (2m), what R's start decomposes; the one-step
  // errors then cover the second season. Without a valid period the options
  // are rejected by the fit, whatever the length: 0 lets that error through.
  if (options.seasonal_period < 2) return 0;
  return ClassicalStartMinimumLength({SeasonalForm::kAdditive, false, options.seasonal_period});
}

absl::StatusOr<std::unique_ptr<FittedModel>> FitHoltWintersModel(std::span<const double> values,
                                                                 const ModelOptions& options) {
  const int period = options.seasonal_period;
  if (period < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("Holt-Winters needs a seasonal period of at least 2 steps, got ", period));
  }
  const int needed = HoltWintersMinimumLength(options);
  if (values.size() < static_cast<size_t>(needed)) {
    return InsufficientHistory("holt_winters", needed, values.size());
  }
  const auto non_positive =
      std::find_if(values.begin(), values.end(), [](double y) { return !(y > 0); });
  if (options.seasonality == Seasonality::kMultiplicative && non_positive != values.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("multiplicative seasonality needs every value > 0; the value at index ",
                     non_positive - values.begin(), " is ", *non_positive));
  }
  std::vector<SeasonalForm> forms;
  if (options.seasonality != Seasonality::kMultiplicative) {
    forms.push_back(SeasonalForm::kAdditive);
  }
  if (options.seasonality == Seasonality::kMultiplicative ||
      (options.seasonality == Seasonality::kAuto && non_positive == values.end())) {
    forms.push_back(SeasonalForm::kMultiplicative);
  }
  std::vector<SmoothingSpec> specs;
  for (const SeasonalForm form : forms) {
    for (const bool damped : DampingChoices(options)) specs.push_back({form, damped, period});
  }
  return FitBestVariant(values, specs, options.cancelled);
}

}  // namespace horizonscale::forecast::internal

// The forecasting models behind one small interface: fit a model to a
// regular series, forecast h steps with a prediction interval, report the
// fitted parameters, and absorb further observations without refitting (what
// a rolling-origin backtest needs).
//
// Series given to FitModel are regular (one value per step), finite and
// oldest first: forecast/time_series.h prepares raw observations into that.
//
// Thread safety: FitModel is a pure function; a FittedModel is immutable and
// may be used from several threads at once.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/cancellation.h"
#include "forecast/forecast.h"
#include "forecast/prophet/prophet.h"

namespace horizonscale::forecast {

enum class ModelKind {
  kEwma,           // simple exponential smoothing
  kHolt,           // Holt's linear trend, optionally damped: ETS(A,A[d],N) (forecast/ets/)
  kHoltWinters,    // Holt-Winters, additive or multiplicative seasonality: ETS(A,A[d],A) or
                   // ETS(M,A[d],M) (forecast/ets/)
  kLinear,         // least-squares line on time
  kSeasonal,       // seasonal decomposition with trend extrapolation
  kSeasonalNaive,  // repeat the last season: the baseline
  kProphet,        // Prophet-style trend + Fourier seasonality (forecast/prophet/prophet.h)
  kXgboost,        // gradient-boosted trees trained across a fleet: not fitted per
                   // series (forecast/boosted/boosted_fleet_model.h); FitModel refuses it
  kEts,            // the ETS family (error A/M x trend N/A/Ad x season N/A/M) by maximum
                   // likelihood, member chosen by AICc (forecast/ets/)
  kTheta,          // the Theta method: SES with drift after seasonal adjustment (forecast/theta/)
  kArima,          // seasonal ARIMA with automatic order selection (forecast/arima/)
  kMstl,           // MSTL decomposition over one or more periods, ETS on the seasonally
                   // adjusted series (forecast/mstl/)
  kCombination,    // the mean of ETS, Theta and ARIMA (forecast/combination_model.cc)
};

// The kinds `auto` always tries, in a fixed order: the seasonal-naive
// floor and the three families that the forecasting competitions' best
// automatic methods rest on. The engine adds MSTL for several periods or one
// too long for ETS and ARIMA (kMaxEtsPeriodForAuto), and the combination of
// the members that backtested; the older kinds (EWMA, Holt, Holt-Winters,
// linear, seasonal decomposition) are ETS special cases or weaker, and
// Prophet and XGBoost are chosen explicitly or by the fleet tournament.
inline constexpr ModelKind kAutoModelKinds[] = {ModelKind::kSeasonalNaive, ModelKind::kEts,
                                                ModelKind::kTheta, ModelKind::kArima};

// The longest seasonal period `auto` gives ETS and ARIMA (R's ets refuses
// longer ones, and a seasonal ARIMA's state grows with the period); beyond
// it MSTL stands in for both.
inline constexpr int kMaxEtsPeriodForAuto = 24;

// A short lowercase name ("ewma", "holt", "holt_winters", "linear",
// "seasonal", "seasonal_naive", "prophet", "xgboost").
const char* ModelName(ModelKind kind);

// The kind ModelName gives `name` for, or nullopt.
std::optional<ModelKind> ModelKindFromName(std::string_view name);

enum class Seasonality { kAuto, kAdditive, kMultiplicative };

// How to fit. Unset fields are chosen by the fit.
struct ModelOptions {
  // Seasonal period in steps; 0 or 1 means no seasonality. Holt-Winters,
  // seasonal decomposition and seasonal-naive need one >= 2 (seasonal-naive
  // with none is the naive forecast: repeat the last value).
  int seasonal_period = 0;
  // MSTL: every seasonal period in steps, ascending, each >= 2; empty: the
  // single seasonal_period. The other models use seasonal_period only.
  std::vector<int> seasonal_periods;
  // EWMA: the smoothing factor in (0, 1]; unset: fitted.
  std::optional<double> alpha;
  // Holt / Holt-Winters / ETS: whether the trend is damped; unset: chosen
  // by AICc.
  std::optional<bool> damped;
  // Holt-Winters / ETS: additive or multiplicative seasonality; kAuto:
  // chosen by AICc (multiplicative only for positive series).
  Seasonality seasonality = Seasonality::kAuto;
  // Where the series sits on the calendar, for models with calendar
  // seasonality (Prophet-style): the first value's time in days since the
  // Unix epoch, and the step between values in days (> 0).
  double origin_days = 0;
  double step_days = 1;
  // ETS: R's `model` argument of forecast::ets, three letters error, trend,
  // season: error in {A, M}, trend in {N, A}, season in {N, A, M}, Z = chosen
  // by AICc (e.g. "ZZZ", "MAM", "ANN", "AZZ"). A damped trend is asked for
  // with `damped`, as in R. Anything else is INVALID_ARGUMENT.
  std::string ets_model = "ZZZ";
  // ARIMA: auto.arima's `approximation`: the order search by conditional
  // sum of squares, exact maximum likelihood for the chosen orders only;
  // unset: R's default (more than 150 values or a period above 12). AUTO
  // sets it (its backtest judges the orders; devset: as accurate, 2-4x
  // faster on short seasonal series).
  std::optional<bool> arima_approximation;
  // Prophet-style hyperparameters.
  ProphetOptions prophet;
  // Polled by the fits with an iterative search (the smoothing models'
  // Nelder-Mead) and by Backtest between origins; once it says yes they
  // return CANCELLED (CancelledStatus). Empty: never cancelled. The other
  // fits are single passes over the values and do not poll.
  CancelCheck cancelled;
};

// A fitted model. Immutable.
class FittedModel {
 public:
  virtual ~FittedModel() = default;

  virtual ModelKind kind() const = 0;

  // Forecasts of the `horizon` steps after the last observation (fitted or
  // absorbed by Extend). When `analytic_interval()` is true, lower/upper are
  // the model's prediction interval of nominal coverage `level` in (0, 1);
  // otherwise lower == upper == value and the caller supplies an interval
  // (the engine builds one from backtest errors). `horizon` >= 0.
  virtual std::vector<ForecastValue> Predict(int horizon, double level) const = 0;

  // Whether Predict gives a prediction interval of its own.
  virtual bool analytic_interval() const = 0;

  // This model after observing `more` values that follow the series it has
  // seen, with its parameters unchanged (state-space models update their
  // state; others may refit their cheap closed-form parts, documented by
  // each). Used by the rolling-origin backtest.
  virtual std::unique_ptr<FittedModel> Extend(std::span<const double> more) const = 0;

  // This model's kind fitted anew to `values`, the series this model saw
  // with values added or dropped at its ends (e.g. a sliding window),
  // keeping the structural choices of this fit that are costly to search
  // and that a longer series rarely changes: the ARIMA orders (estimated
  // again from this fit's coefficients), a combination's members' choices.
  // The ETS member is chosen again: its AICc choice on the whole series is
  // measurably more accurate (bench/forecast/devset). `options` and errors
  // as for FitModel.
  absl::StatusOr<std::unique_ptr<FittedModel>> Refit(std::span<const double> values,
                                                     const ModelOptions& options) const;

  // Fitted parameters by name, e.g. {"alpha", 0.3}, {"beta", 0.01}, {"phi",
  // 0.98}, {"gamma", 0.2}, {"slope", 1.5}; stable names per kind.
  virtual std::vector<std::pair<std::string, double>> parameters() const = 0;

  // A human-readable description, e.g. "Holt-Winters, multiplicative
  // seasonality (period 24), damped trend".
  virtual std::string description() const = 0;

 protected:
  // Refit on values that passed FitModel's checks. Default: FitModel's fit
  // of kind(), structure search included.
  virtual absl::StatusOr<std::unique_ptr<FittedModel>> RefitChecked(
      std::span<const double> values, const ModelOptions& options) const;
};

// Fewest values FitModel(kind, ..., options) accepts, e.g. two full seasons
// for Holt-Winters.
int MinimumLength(ModelKind kind, const ModelOptions& options);

// Fits `kind` to `values`. Errors: INVALID_ARGUMENT for a non-finite value
// (naming its index) or an option out of range (alpha outside (0, 1], a
// Holt-Winters or seasonal model without a period >= 2, multiplicative
// seasonality on a series with a value <= 0); FAILED_PRECONDITION with reason
// INSUFFICIENT_HISTORY (forecast/status_reason.h) when `values` is shorter
// than MinimumLength, saying how many are needed; CANCELLED when
// options.cancelled stopped the fit.
absl::StatusOr<std::unique_ptr<FittedModel>> FitModel(ModelKind kind,
                                                      std::span<const double> values,
                                                      const ModelOptions& options);

}  // namespace horizonscale::forecast

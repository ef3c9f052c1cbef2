// The ETS family behind FitModel(ModelKind::kEts, …): R's forecast::ets
// (8.20) with its defaults — members chosen by AICc, fitted by maximum
// likelihood, analytic prediction intervals — and its two classic special
// cases, as R's forecast package writes them:
//  - kHolt, Holt's linear trend: ETS(A,A,N), or ETS(A,Ad,N) damped (R's
//    holt(y, damped) is ets(y, "AAN", damped));
//  - kHoltWinters: ETS(A,A,A) for additive seasonality, ETS(M,A,M) for
//    multiplicative (R's hw(y, seasonal, damped)), damped or not.
// Where R's holt() and hw() default to an undamped trend and a given
// seasonality, an unset ModelOptions::damped or Seasonality::kAuto here
// fits both choices and keeps the lower AICc.
//
// Differences from R, all deliberate:
//  - Seasonal members are fitted for any period m >= 2 (R refuses m > 24).
//    For m <= 24 the initial seasonal indices are optimised with the rest
//    (Gauss-Newton steps alternating with Nelder-Mead, ets_fit.h), for
//    m > 24 they stay at R's decomposition heuristic and admissibility is
//    tested at the optimum only: R's 2000-evaluation Nelder-Mead over all
//    m + 5 quantities would be far too slow there.
//  - The optimiser is this library's bounded Nelder-Mead with a capped
//    number of evaluations, not R's; optima may differ slightly, and so,
//    between members with close AICc, the choice.
//  - Series too short for any member's AICc are fitted with the simplest
//    member rather than with R's HoltWinters fallback.
//  - Class 3 intervals (multiplicative error and season) use exact moments
//    (ets_intervals.h); for ETS(M,Ad,M) R's class3 uses ℓ + b for ℓ + φb.
#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_cat.h>

#include "forecast/ets/internal/ets_fit.h"
#include "forecast/ets/internal/ets_intervals.h"
#include "forecast/ets/internal/ets_recursions.h"
#include "forecast/ets/internal/ets_selection.h"
#include "forecast/internal/models.h"
#include "forecast/numerics/normal_quantile.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

// Fewest values Holt's linear trend accepts: as many as it estimates (α, β,
// ℓ, b).
constexpr int kHoltMinimumLength = 4;

class EtsModel final : public FittedModel {
 public:
  // `kind`: kEts, or the special case (kHolt, kHoltWinters) that was fitted.
  EtsModel(EtsMemberFit fit, ModelKind kind) : fit_(std::move(fit)), kind_(kind) {}

  ModelKind kind() const override { return kind_; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    const EtsForecastMoments moments =
        EtsForecastDistribution(fit_.spec, fit_.params, fit_.last, fit_.sigma2, horizon);
    const double z = numerics::NormalQuantile(0.5 + level / 2);
    std::vector<ForecastValue> forecasts(moments.mean.size());
    for (size_t h = 0; h < forecasts.size(); ++h) {
      const double spread = z * std::sqrt(std::max(moments.variance[h], 0.0));
      forecasts[h] = {moments.mean[h], moments.mean[h] - spread, moments.mean[h] + spread};
    }
    return forecasts;
  }

  bool analytic_interval() const override { return true; }

  // The state runs on over `more`; parameters, σ² and the statistics stay.
  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    EtsMemberFit extended = fit_;
    RunEtsRecursions(more, extended.spec, extended.params, extended.last);
    return std::make_unique<EtsModel>(std::move(extended), kind_);
  }

  std::vector<std::pair<std::string, double>> parameters() const override {
    std::vector<std::pair<std::string, double>> named = {{"alpha", fit_.params.alpha}};
    if (fit_.spec.has_trend()) named.emplace_back("beta", fit_.params.beta);
    if (fit_.spec.has_season()) named.emplace_back("gamma", fit_.params.gamma);
    if (fit_.spec.damped) named.emplace_back("phi", fit_.params.phi);
    named.emplace_back("sigma2", fit_.sigma2);
    named.emplace_back("loglik", fit_.loglik);
    named.emplace_back("aicc", fit_.aicc);
    return named;
  }

  // "ETS(M,Ad,M), period 12"; the special cases are named first, e.g.
  // "Holt-Winters, multiplicative seasonality (period 12), damped trend:
  // ETS(M,Ad,M)".
  std::string description() const override {
    std::string text = EtsMemberName(fit_.spec);
    if (kind_ == ModelKind::kHolt) {
      return absl::StrCat("Holt's linear trend", fit_.spec.damped ? ", damped" : "", ": ", text);
    }
    if (kind_ == ModelKind::kHoltWinters) {
      return absl::StrCat(
          "Holt-Winters, ",
          fit_.spec.season == EtsComponent::kMultiplicative ? "multiplicative" : "additive",
          " seasonality (period ", fit_.spec.period, ")", fit_.spec.damped ? ", damped trend" : "",
          ": ", text);
    }
    if (fit_.spec.has_season()) absl::StrAppend(&text, ", period ", fit_.spec.period);
    return text;
  }

 private:
  EtsMemberFit fit_;
  ModelKind kind_;
};

absl::Status InsufficientHistory(const char* model, int needed, size_t got) {
  return InsufficientHistoryError(absl::StrCat("the ", model, " model needs at least ", needed,
                                               " points of history, got ", got));
}

// The members of the `ets_model` strings (each fixing error, trend and
// season) under `options`' damping, as one candidate list.
absl::StatusOr<std::vector<EtsSpec>> MembersOf(std::span<const double> values,
                                               std::span<const char* const> ets_models,
                                               ModelOptions options) {
  std::vector<EtsSpec> members;
  options.seasonality = Seasonality::kAuto;  // the strings fix the season
  for (const char* ets_model : ets_models) {
    options.ets_model = ets_model;
    absl::StatusOr<std::vector<EtsSpec>> some = EtsCandidateMembers(values, options);
    if (!some.ok()) return some.status();
    members.insert(members.end(), some->begin(), some->end());
  }
  return members;
}

// The AICc-best of `members` as a model of `kind`.
absl::StatusOr<std::unique_ptr<FittedModel>> FitBestMember(std::span<const double> values,
                                                           std::span<const EtsSpec> members,
                                                           ModelKind kind,
                                                           const CancelCheck& cancelled) {
  absl::StatusOr<EtsMemberFit> best = SelectEtsMember(values, members, cancelled);
  if (!best.ok()) return best.status();
  return std::make_unique<EtsModel>(*std::move(best), kind);
}

}  // namespace

int EtsMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitEtsModel(std::span<const double> values,
                                                         const ModelOptions& options) {
  absl::StatusOr<std::vector<EtsSpec>> candidates = EtsCandidateMembers(values, options);
  if (!candidates.ok()) return candidates.status();
  return FitBestMember(values, *candidates, ModelKind::kEts, options.cancelled);
}

int HoltMinimumLength(const ModelOptions&) { return kHoltMinimumLength; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitHoltModel(std::span<const double> values,
                                                          const ModelOptions& options) {
  if (values.size() < static_cast<size_t>(kHoltMinimumLength)) {
    return InsufficientHistory("holt", kHoltMinimumLength, values.size());
  }
  static constexpr const char* kHolt[] = {"AAN"};
  absl::StatusOr<std::vector<EtsSpec>> members = MembersOf(values, kHolt, options);
  if (!members.ok()) return members.status();
  return FitBestMember(values, *members, ModelKind::kHolt, options.cancelled);
}

int HoltWintersMinimumLength(const ModelOptions& options) {
  // Two full seasons (2m). Without a valid period the options are rejected
  // by the fit, whatever the length: 0 lets that error through.
  if (options.seasonal_period < 2) return 0;
  return options.seasonal_period > INT_MAX / 2 ? INT_MAX : 2 * options.seasonal_period;
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
  std::vector<const char*> forms;
  if (options.seasonality != Seasonality::kMultiplicative) forms.push_back("AAA");
  if (options.seasonality == Seasonality::kMultiplicative ||
      (options.seasonality == Seasonality::kAuto && non_positive == values.end())) {
    forms.push_back("MAM");
  }
  absl::StatusOr<std::vector<EtsSpec>> members = MembersOf(values, forms, options);
  if (!members.ok()) return members.status();
  return FitBestMember(values, *members, ModelKind::kHoltWinters, options.cancelled);
}

}  // namespace horizonscale::forecast::internal

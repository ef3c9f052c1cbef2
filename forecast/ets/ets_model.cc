// The ETS family behind FitModel(ModelKind::kEts, …): R's forecast::ets
// (8.20) with its defaults — members chosen by AICc, fitted by maximum
// likelihood, analytic prediction intervals.
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

namespace horizonscale::forecast::internal {
namespace {

class EtsModel final : public FittedModel {
 public:
  explicit EtsModel(EtsMemberFit fit) : fit_(std::move(fit)) {}

  ModelKind kind() const override { return ModelKind::kEts; }

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
    return std::make_unique<EtsModel>(std::move(extended));
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

  std::string description() const override {
    std::string text = EtsMemberName(fit_.spec);
    if (fit_.spec.has_season()) absl::StrAppend(&text, ", period ", fit_.spec.period);
    return text;
  }

 private:
  EtsMemberFit fit_;
};

}  // namespace

int EtsMinimumLength(const ModelOptions&) { return 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitEtsModel(std::span<const double> values,
                                                         const ModelOptions& options) {
  absl::StatusOr<std::vector<EtsSpec>> candidates = EtsCandidateMembers(values, options);
  if (!candidates.ok()) return candidates.status();
  absl::StatusOr<EtsMemberFit> best = SelectEtsMember(values, *candidates, options.cancelled);
  if (!best.ok()) return best.status();
  return std::make_unique<EtsModel>(*std::move(best));
}

}  // namespace horizonscale::forecast::internal

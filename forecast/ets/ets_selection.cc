#include "forecast/ets/internal/ets_selection.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include <absl/strings/str_cat.h>

#include "forecast/ets/internal/ets_initial_state.h"

namespace horizonscale::forecast::internal {
namespace {

constexpr EtsComponent kN = EtsComponent::kNone;
constexpr EtsComponent kA = EtsComponent::kAdditive;
constexpr EtsComponent kM = EtsComponent::kMultiplicative;

absl::Status InvalidModel(const std::string& model, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("ets_model \"", model, "\" is not valid: ", why,
                   " (three letters: error A/M/Z, trend N/A/Z, season N/A/M/Z; a damped "
                   "trend is asked for with the damped option)"));
}

// The components a letter allows, or empty for a letter outside `allowed`.
std::vector<EtsComponent> Components(char letter, const std::string& allowed,
                                     const std::vector<EtsComponent>& open) {
  if (allowed.find(letter) == std::string::npos) return {};
  switch (letter) {
    case 'N':
      return {kN};
    case 'A':
      return {kA};
    case 'M':
      return {kM};
    default:
      return open;
  }
}

}  // namespace

absl::StatusOr<std::vector<EtsSpec>> EtsCandidateMembers(std::span<const double> values,
                                                         const ModelOptions& options) {
  const std::string& model = options.ets_model;
  if (model.size() != 3) return InvalidModel(model, "it must have three letters");
  std::vector<EtsComponent> errors = Components(model[0], "AMZ", {kA, kM});
  std::vector<EtsComponent> trends = Components(model[1], "NAZ", {kN, kA});
  std::vector<EtsComponent> seasons = Components(model[2], "NAMZ", {kN, kA, kM});
  if (errors.empty()) return InvalidModel(model, "the error type must be A, M or Z");
  if (trends.empty()) {
    return InvalidModel(model,
                        "the trend type must be N, A or Z (no multiplicative trend; Ad is the "
                        "damped option)");
  }
  if (seasons.empty()) return InvalidModel(model, "the season type must be N, A, M or Z");
  if (model[0] == 'A' && model[2] == 'M') {
    return InvalidModel(model, "additive error with multiplicative season is not allowed");
  }
  if (options.damped.value_or(false) && model[1] == 'N') {
    return InvalidModel(model, "a damped trend needs trend A or Z");
  }
  const int m = options.seasonal_period;
  if ((model[2] == 'A' || model[2] == 'M') && m < 2) {
    return InvalidModel(model, "a season needs a seasonal_period of at least 2");
  }
  if (options.seasonality != Seasonality::kAuto) {
    const char wanted = options.seasonality == Seasonality::kAdditive ? 'A' : 'M';
    if (model[2] == 'Z') {
      seasons = {wanted == 'A' ? kA : kM};
    } else if (model[2] != wanted) {
      return InvalidModel(
          model, absl::StrCat("its season contradicts the requested ",
                              wanted == 'A' ? "additive" : "multiplicative", " seasonality"));
    }
  }
  const bool positive = std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
  if (!positive &&
      (model[0] == 'M' || model[2] == 'M' || options.seasonality == Seasonality::kMultiplicative)) {
    return InvalidModel(model,
                        "multiplicative components need every value > 0 (the series has a "
                        "value <= 0)");
  }
  const int n = static_cast<int>(values.size());
  const bool season_possible = m >= 2 && n > m && n >= 4;
  if (!season_possible) seasons = {kN};

  std::vector<EtsSpec> all;
  for (EtsComponent error : errors) {
    for (EtsComponent trend : trends) {
      for (EtsComponent season : seasons) {
        for (bool damped : {true, false}) {
          // As in R, damped = true leaves only damped-trend members.
          if (trend == kN && damped) continue;
          if (options.damped.has_value() && damped != *options.damped) continue;
          if (error == kA && season == kM) continue;
          if (!positive && (error == kM || season == kM)) continue;
          EtsSpec spec;
          spec.error = error;
          spec.trend = trend;
          spec.damped = damped;
          spec.season = season;
          spec.period = season == kN ? 1 : m;
          all.push_back(spec);
        }
      }
    }
  }
  auto size = [](const EtsSpec& spec) {
    return EtsSmoothingParameterCount(spec) + EtsInitialStateCount(spec);
  };
  std::stable_sort(all.begin(), all.end(),
                   [&](const EtsSpec& a, const EtsSpec& b) { return size(a) < size(b); });
  std::vector<EtsSpec> eligible;
  for (const EtsSpec& spec : all) {
    if (size(spec) < n - 1 && n >= HeuristicInitialStateMinimumLength(spec)) {
      eligible.push_back(spec);
    }
  }
  if (eligible.empty()) {
    for (const EtsSpec& spec : all) {
      if (n >= HeuristicInitialStateMinimumLength(spec)) {
        eligible.push_back(spec);
        break;
      }
    }
  }
  if (eligible.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("no ETS member of ets_model \"", model,
                                                   "\" can be fitted to ", n,
                                                   " values with these options"));
  }
  return eligible;
}

absl::StatusOr<EtsMemberFit> SelectEtsMember(std::span<const double> values,
                                             std::span<const EtsSpec> candidates,
                                             const CancelCheck& cancelled) {
  std::vector<EtsMemberFit> fits;
  fits.reserve(candidates.size());
  // A fitted relative to start from: the twin with additive error, else
  // the undamped twin.
  auto relative = [&](const EtsSpec& spec) -> const EtsMemberFit* {
    const EtsMemberFit* undamped = nullptr;
    for (const EtsMemberFit& fit : fits) {
      const EtsSpec& other = fit.spec;
      if (other.trend != spec.trend || other.season != spec.season) continue;
      if (spec.error == EtsComponent::kMultiplicative && other.error == EtsComponent::kAdditive &&
          other.damped == spec.damped) {
        return &fit;
      }
      if (spec.damped && !other.damped && other.error == spec.error) undamped = &fit;
    }
    return undamped;
  };
  size_t best = 0;
  for (const EtsSpec& spec : candidates) {
    if (IsCancelled(cancelled)) return CancelledStatus("ETS model search");
    const EtsMemberFit* warm_start = relative(spec);
    std::optional<EtsMemberFit> helper;
    if (warm_start == nullptr && spec.error == EtsComponent::kMultiplicative &&
        spec.season != EtsComponent::kMultiplicative) {
      // A multiplicative-error member alone (a fixed ets_model) still starts
      // from its additive-error twin: the twin's optimum is a far better start
      // than R's default on some series (JohnsonJohnson ETS(M,A,A)).
      EtsSpec twin = spec;
      twin.error = EtsComponent::kAdditive;
      absl::StatusOr<EtsMemberFit> twin_fit = FitEtsMember(values, twin, cancelled);
      if (!twin_fit.ok()) return twin_fit.status();
      helper = *std::move(twin_fit);
      warm_start = &*helper;
    }
    absl::StatusOr<EtsMemberFit> fit = FitEtsMember(values, spec, cancelled, warm_start);
    if (!fit.ok()) return fit.status();
    fits.push_back(*std::move(fit));
    if (fits.back().aicc < fits[best].aicc) best = fits.size() - 1;
  }
  return fits[best];
}

}  // namespace horizonscale::forecast::internal

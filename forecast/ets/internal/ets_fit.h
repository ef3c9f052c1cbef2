// Maximum-likelihood fit of one ETS member, as R's forecast:::etsmodel
// (8.20) with opt.crit = "lik" and bounds = "both". Internal to
// forecast/ets/.
#pragma once

#include <span>

#include <absl/status/statusor.h>

#include "forecast/cancellation.h"
#include "forecast/ets/internal/ets_spec.h"

namespace horizonscale::forecast::internal {

// Seasonal members with a period up to this have their initial seasonal
// indices optimised (a Gauss-Newton step on the whole initial state before
// and after the Nelder-Mead search over the smoothing parameters, level and
// trend); longer periods keep the heuristic indices
// (HeuristicInitialState) and test admissibility once, at the optimum,
// rather than at every trial point. R refuses seasonal ETS for m > 24.
inline constexpr int kMaxOptimisedSeasonalPeriod = 24;

// A fitted member and R's statistics of it.
struct EtsMemberFit {
  EtsSpec spec;
  EtsParameters params;
  EtsState initial;  // the state before values[0]
  EtsState last;     // the state after the last value
  int observations = 0;
  double sum_squared_errors = 0;  // of the one-step errors (relative ones for M errors)
  double likelihood = 0;          // R's "lik" (EtsLikelihood)
  // R's statistics: np = smoothing parameters + initial states + 1 (σ);
  // loglik = −lik / 2; aic = lik + 2 np; aicc = aic + 2 np (np + 1) /
  // (n − np − 1), +inf when n − np − 1 <= 0; sigma2 = Σe² / (n − np + 1)
  // (denominator at least 1).
  double loglik = 0;
  double aic = 0;
  double aicc = 0;
  double sigma2 = 0;
};

// The member `spec` with the given parameters and initial state over
// `values`: runs the recursions and fills in the statistics.
EtsMemberFit EvaluateEtsMember(std::span<const double> values, const EtsSpec& spec,
                               const EtsParameters& params, const EtsState& initial);

// Fits `spec` to `values`: α in [1e-4, 0.9999], β in [1e-4, α], γ in
// [1e-4, 1 − α], φ in [0.8, 0.98] (R's usual bounds) and admissible
// (EtsAdmissible), with the initial level and trend (and, for periods up to
// kMaxOptimisedSeasonalPeriod, the seasonal indices) started at
// HeuristicInitialState and optimised jointly, minimising R's likelihood
// criterion. `warm_start`, when given, is a fitted relative of `spec` (the
// same member with the other error type, or without damping): the search
// starts from its parameters (and initial state, when its season type is the
// same) when they fit better than R's starting values. A member whose optimum is not admissible
// (possible only for the long periods tested once) gets aic = aicc = +inf. Errors: CANCELLED when
// `cancelled` says so. Preconditions: values.size() >= HeuristicInitialStateMinimumLength(spec);
// all values > 0 for multiplicative errors or season.
absl::StatusOr<EtsMemberFit> FitEtsMember(std::span<const double> values, const EtsSpec& spec,
                                          const CancelCheck& cancelled,
                                          const EtsMemberFit* warm_start = nullptr);

}  // namespace horizonscale::forecast::internal

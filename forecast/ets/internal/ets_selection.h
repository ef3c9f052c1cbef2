// Which ETS members a fit tries (R's forecast::ets model search, 8.20
// defaults), and the search itself. Internal to forecast/ets/.
#pragma once

#include <span>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/ets/internal/ets_fit.h"
#include "forecast/ets/internal/ets_spec.h"
#include "forecast/model.h"

namespace horizonscale::forecast::internal {

// The members to try for `values` under `options`, simplest first (fewest
// estimated quantities; R's order among equals: error A before M, trend N
// before A, season N, A, M, damped before undamped). The set is R's with
// restrict = TRUE and allow.multiplicative.trend = FALSE, narrowed by
// options.ets_model (letters Z open, others fixed), options.damped and
// options.seasonality (kAdditive / kMultiplicative fix the season of a "Z"
// season when there is one to fit; damped = true leaves only damped trends,
// false only undamped ones and none). Multiplicative error or season only when
// every value is > 0; a season only with options.seasonal_period m >= 2 and
// n > m, n >= 4 (otherwise silently none, as R does for n <= m); a member
// only when its smoothing parameters plus initial states are fewer than
// n − 1 (R gives the others an infinite AICc). When that leaves nothing, the
// simplest remaining member is tried anyway (R falls back to HoltWinters).
// Errors: INVALID_ARGUMENT naming "ets_model" for a string that is not three
// such letters, a forbidden combination (additive error with multiplicative
// season; damped = true with trend N), a season asked for without a period
// >= 2, a multiplicative component asked for on a series with a value <= 0,
// or a season letter that contradicts options.seasonality.
absl::StatusOr<std::vector<EtsSpec>> EtsCandidateMembers(std::span<const double> values,
                                                         const ModelOptions& options);

// Fits every member of `candidates` and returns the one with the smallest
// AICc (the first, i.e. simplest, on ties; the simplest when none has a
// finite AICc). Each fit starts from a fitted relative when there is one
// (FitEtsMember's warm_start): the additive-error twin of a multiplicative-
// error member (fitted for the purpose when it is not a candidate), else the
// undamped twin of a damped one. Errors: CANCELLED when `cancelled` says so (polled between
// and inside the fits). Precondition: candidates not empty.
absl::StatusOr<EtsMemberFit> SelectEtsMember(std::span<const double> values,
                                             std::span<const EtsSpec> candidates,
                                             const CancelCheck& cancelled);

}  // namespace horizonscale::forecast::internal

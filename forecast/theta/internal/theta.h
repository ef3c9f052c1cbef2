// The pieces of the Theta model (forecast/theta/), exposed for its tests:
// the simple-exponential-smoothing fit, the fitted specification and the
// model built from a specification. Pure; thread-safe.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/cancellation.h"
#include "forecast/model.h"

namespace horizonscale::forecast::internal {

// Simple exponential smoothing ℓ_t = ℓ_{t−1} + α (x_t − ℓ_{t−1}), t = 1..n,
// with one-step errors x_t − ℓ_{t−1}, as R's ses(x) (forecast 8.20) fits it.
struct SesFit {
  double alpha = 0;          // the smoothing factor
  double initial_level = 0;  // ℓ_0
  double sse = 0;            // Σ_t (x_t − ℓ_{t−1})²
  double sigma2 = 0;         // the residual variance ses reports
};

// R's ses(x): for n >= 7 values ets(x, "ANN", opt.crit = "mse"), i.e. α in
// [1e-4, 0.9999] and ℓ_0 minimising the SSE, σ² = SSE / (n − 2). For fixed α
// the SSE is quadratic in ℓ_0, so ℓ_0 is solved exactly for each α and α is
// searched in one dimension (a grid of 21 points, then golden section to
// 1e-9): the global optimum, where R's Nelder-Mead stops within ~1e-4 of it.
// For 1 <= n <= 6, R's fallback (HoltWinters-style): ℓ_0 = x_1, α in [0, 1]
// minimising the SSE, σ² = SSE / n; for n <= 2 the SSE does not depend on α
// and α = 0.2, R's starting value. Errors: INVALID_ARGUMENT for no values;
// CANCELLED when `cancelled` says so (polled once per pass over the values).
// O(n) per pass, about 60 passes.
absl::StatusOr<SesFit> FitSes(std::span<const double> x, const CancelCheck& cancelled);

// A fitted Theta model's parameters (everything but the values it has seen).
struct ThetaSpec {
  double alpha = 0;          // SES smoothing factor; the drift uses max(α, 1e-10)
  double initial_level = 0;  // SES ℓ_0, in seasonally adjusted units
  double sigma2 = 0;         // SES residual variance, in adjusted units
  // Multiplicative seasonal factors by position t mod m, t counted from the
  // first value seen; empty: no seasonal adjustment.
  std::vector<double> seasonal_figure;
};

// The fit of R's forecast::thetaf (forecast 8.20) for `values` (finite, at
// least one) with options.seasonal_period m: seasonal adjustment by
// SeasonalFigure (multiplicative) when m >= 2, every value is positive,
// ThetaSeasonalityTest passes and every factor is finite and at least 1e-4
// (R's test; R has no positivity condition); then FitSes on the adjusted
// values. Errors as FitSes.
absl::StatusOr<ThetaSpec> FitThetaSpec(std::span<const double> values, const ModelOptions& options);

// The Theta model with `spec` after seeing `values` (may be empty): the SES
// level run from spec.initial_level over the adjusted values, and the
// least-squares line of the adjusted values on time. Extending it by `more`
// gives exactly the model MakeThetaModel(spec, values ++ more) (the same
// operations in the same order).
std::unique_ptr<FittedModel> MakeThetaModel(ThetaSpec spec, std::span<const double> values);

}  // namespace horizonscale::forecast::internal

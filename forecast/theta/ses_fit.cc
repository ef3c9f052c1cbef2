// FitSes (forecast/theta/internal/theta.h): simple exponential smoothing
// fitted as R's ses() does, with an exact one-dimensional search.
//
// For n >= 7 (R's ets(x, "ANN", opt.crit = "mse")): with β = 1 − α and the
// errors e_t(c) of the recursion started at ℓ_0 = c, the errors started at
// ℓ_0 = c + δ are e_t(c) − β^{t−1} δ, so
//   SSE(δ) = Σ e_t(c)² − 2δ Σ e_t(c) β^{t−1} + δ² Σ β^{2(t−1)},
// minimised at δ* = Σ e_t(c) β^{t−1} / Σ β^{2(t−1)} with
//   SSE* = Σ e_t(c)² − δ* Σ e_t(c) β^{t−1}.
// c = x_1 keeps δ* small, so the subtraction loses little precision. This
// profile SSE*(α) is what the one-dimensional search minimises.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <optional>

#include <absl/status/status.h>

#include "forecast/theta/internal/theta.h"

namespace horizonscale::forecast::internal {
namespace {

// ets()'s bounds on α.
constexpr double kEtsAlphaLower = 1e-4;
constexpr double kEtsAlphaUpper = 0.9999;
// Up to this many values R's ets() falls back to HoltWintersZZ (n <= npars + 4
// with 2 parameters).
constexpr size_t kShortSeriesLength = 6;
// α when the SSE does not depend on it (n <= 2): R's starting value.
constexpr double kFlatAlpha = 0.2;
// The search: grid points, then golden section until the bracket is this
// narrow.
constexpr int kGridPoints = 21;
constexpr double kAlphaTolerance = 1e-9;
// Below this β^{t−1} no longer changes the sums (its square is below 1e-300).
constexpr double kNegligibleDecay = 1e-150;

// SSE and the best initial level at one α (n >= 1).
struct Profile {
  double sse = 0;
  double initial_level = 0;
};

// The SSE minimised over ℓ_0 (see the top of this file).
Profile ProfileOverInitialLevel(std::span<const double> x, double alpha) {
  const double start = x[0];
  const double keep = 1 - alpha;
  double level = start;
  double decay = 1;  // β^{t−1}
  double sum_ee = 0;
  double sum_ed = 0;
  double sum_dd = 0;
  for (const double value : x) {
    const double error = value - level;
    sum_ee += error * error;
    sum_ed += error * decay;
    sum_dd += decay * decay;
    // ℓ + α·error, written so that the chain through ℓ is one multiply-add.
    level = keep * level + alpha * value;
    // Once β^{t−1} is negligible it is 0: subnormal arithmetic is slow.
    decay = decay > kNegligibleDecay ? decay * keep : 0;
  }
  const double shift = sum_ed / sum_dd;
  return {std::max(sum_ee - shift * sum_ed, 0.0), start + shift};
}

// The SSE with ℓ_0 = x_1 (R's short-series fallback).
Profile ProfileFromFirstValue(std::span<const double> x, double alpha) {
  double level = x[0];
  double sse = 0;
  for (const double value : x) {
    const double error = value - level;
    sse += error * error;
    level = (1 - alpha) * level + alpha * value;
  }
  return {sse, x[0]};
}

// Minimises profile(α).sse over [lower, upper]: the best of kGridPoints evenly
// spaced points, refined by golden section within its neighbours. nullopt
// when `cancelled` stopped it (polled before every evaluation).
template <typename ProfileFn>
std::optional<double> SearchAlpha(ProfileFn profile, double lower, double upper,
                                  const CancelCheck& cancelled) {
  bool stopped = false;
  auto sse = [&](double alpha) {
    if (IsCancelled(cancelled)) stopped = true;
    return stopped ? 0.0 : profile(alpha).sse;
  };
  const double step = (upper - lower) / (kGridPoints - 1);
  std::array<double, kGridPoints> grid_sse{};
  int best = 0;
  for (int i = 0; i < kGridPoints; ++i) {
    grid_sse[static_cast<size_t>(i)] = sse(lower + i * step);
    if (stopped) return std::nullopt;
    if (grid_sse[static_cast<size_t>(i)] < grid_sse[static_cast<size_t>(best)]) best = i;
  }
  double a = lower + std::max(best - 1, 0) * step;
  double b = lower + std::min(best + 1, kGridPoints - 1) * step;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  double c = b - ratio * (b - a);
  double d = a + ratio * (b - a);
  double sse_c = sse(c);
  double sse_d = sse(d);
  while (b - a > kAlphaTolerance && !stopped) {
    if (sse_c <= sse_d) {
      b = d;
      d = c;
      sse_d = sse_c;
      c = b - ratio * (b - a);
      sse_c = sse(c);
    } else {
      a = c;
      c = d;
      sse_c = sse_d;
      d = a + ratio * (b - a);
      sse_d = sse(d);
    }
  }
  if (stopped) return std::nullopt;
  const double refined = sse_c <= sse_d ? c : d;
  // The grid point wins only if strictly better (a bound, or rounding noise).
  const double best_grid = lower + best * step;
  return grid_sse[static_cast<size_t>(best)] < std::min(sse_c, sse_d) ? best_grid : refined;
}

}  // namespace

absl::StatusOr<SesFit> FitSes(std::span<const double> x, const CancelCheck& cancelled) {
  if (x.empty()) return absl::InvalidArgumentError("simple exponential smoothing needs a value");
  const auto n = static_cast<double>(x.size());
  if (x.size() > kShortSeriesLength) {
    const auto profile = [x](double alpha) { return ProfileOverInitialLevel(x, alpha); };
    const std::optional<double> alpha =
        SearchAlpha(profile, kEtsAlphaLower, kEtsAlphaUpper, cancelled);
    if (!alpha.has_value()) return CancelledStatus("theta fit");
    const Profile best = profile(*alpha);
    return SesFit{*alpha, best.initial_level, best.sse, best.sse / (n - 2)};
  }
  double alpha = kFlatAlpha;
  if (x.size() > 2) {
    const auto profile = [x](double a) { return ProfileFromFirstValue(x, a); };
    const std::optional<double> searched = SearchAlpha(profile, 0.0, 1.0, cancelled);
    if (!searched.has_value()) return CancelledStatus("theta fit");
    alpha = *searched;
  }
  const Profile best = ProfileFromFirstValue(x, alpha);
  return SesFit{alpha, best.initial_level, best.sse, best.sse / n};
}

}  // namespace horizonscale::forecast::internal

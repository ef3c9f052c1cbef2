// A small derivative-free minimiser for the smoothing models: Nelder-Mead on
// a box. Internal to forecast/; deterministic (no randomness, no threads).
#pragma once

#include <span>
#include <vector>

#include <absl/functional/function_ref.h>

#include "forecast/cancellation.h"

namespace horizonscale::forecast::internal {

struct NelderMeadOptions {
  // Hard cap on objective evaluations, restarts included.
  int max_evaluations = 300;
  // A run has converged when the objective values at the simplex vertices
  // differ by at most value_tolerance · |best value| (relative), or when
  // every vertex lies within point_tolerance of the best one in search
  // coordinates (see MinimizeInBox).
  double value_tolerance = 1e-6;
  double point_tolerance = 1e-5;
  // Edge of the first simplex, in search coordinates (radians).
  double initial_step = 0.2;
  // After a run converges, the search starts again this many times from the
  // best point with a fresh simplex of `initial_step` (guards against a
  // simplex that collapsed early).
  int restarts = 0;
  // Polled every kCancelPollIterations iterations (not owned; null: never
  // cancelled). Once it says yes the search stops where it is and the result
  // says `cancelled`.
  const CancelCheck* cancelled = nullptr;
};

// Nelder-Mead iterations between two polls of NelderMeadOptions::cancelled:
// each iteration evaluates the objective once or twice (d + 1 times on a
// shrink), so a poll costs nothing next to them and a cancelled search stops
// within a few dozen evaluations.
inline constexpr int kCancelPollIterations = 8;

struct NelderMeadResult {
  std::vector<double> point;  // the best point found, inside the box
  double value = 0;           // the objective there (+inf if it never was finite)
  int evaluations = 0;
  bool converged = false;  // false when the evaluation cap stopped the search
  bool cancelled = false;  // true when options.cancelled stopped the search
};

// Minimises `objective` over the box lower <= x <= upper (element-wise),
// starting from `start` (clamped into the box). The box is mapped, not
// clamped: an unconstrained Nelder-Mead simplex moves in search coordinates
// v in R^d with x_i = lower_i + (upper_i − lower_i)·(1 + sin v_i)/2, so every
// trial point lies inside the box, and a bound (v_i = ±π/2, where the map is
// flat) is reached without the simplex collapsing against it, as it would
// with clamping. Non-finite objective values count as +inf. Standard
// coefficients (reflection 1, expansion 2, contraction 1/2, shrink 1/2;
// Lagarias et al. 1998). Deterministic. Preconditions: start, lower and upper
// have the same size d >= 1 and lower <= upper. The objective receives a span
// of size d that is only valid during the call. Allocates once per call, never
// per evaluation.
NelderMeadResult MinimizeInBox(absl::FunctionRef<double(std::span<const double>)> objective,
                               std::span<const double> start, std::span<const double> lower,
                               std::span<const double> upper,
                               const NelderMeadOptions& options = {});

}  // namespace horizonscale::forecast::internal

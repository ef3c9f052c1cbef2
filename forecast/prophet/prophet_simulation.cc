// Simulated futures behind the Prophet-style model's intervals
// (forecast/prophet/internal/prophet_simulation.h).
//
// Cost: every step advances all paths (O(paths); a path draws its rate
// change and the wait to its next one only when a change falls on that
// step, so memory stays O(paths)) and reads off the two
// quantiles with DriftingQuantiles, which exploits that the sample moves little
// between steps: one counting pass plus a selection among a few dozen values,
// instead of a sort or a full selection per step.
#include "forecast/prophet/internal/prophet_simulation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <tuple>
#include <utility>
#include <vector>

#include "forecast/numerics/xoshiro256.h"

namespace horizonscale::forecast::internal {
namespace {

// xoshiro256** seeded through SplitMix64 (forecast/numerics/xoshiro256.h):
// small, fast, and the same sequence on every platform (unlike the std
// distributions), with the variates the simulation draws.
class Random : public numerics::Xoshiro256StarStar {
 public:
  explicit Random(uint64_t seed) : Xoshiro256StarStar(FromSplitMix64(seed)) {}

  // Uniform on the open interval (0, 1): never 0 or 1, so logs are finite.
  double Open01() { return (static_cast<double>(Next() >> 11) + 0.5) * 0x1.0p-53; }

  // Laplace(0, scale) by inversion.
  double Laplace(double scale) {
    const double u = Open01();
    return u < 0.5 ? scale * std::log(2 * u) : -scale * std::log(2 * (1 - u));
  }

  // Standard normal by Box-Muller (one of the pair).
  double Normal() {
    const double radius = std::sqrt(-2 * std::log(Open01()));
    return radius * std::cos(2 * std::numbers::pi * Open01());
  }

  // Steps to the next success of independent Bernoulli(p) trials, >= 1.
  int64_t Geometric(double p) {
    if (p >= 1) return 1;
    const double steps = std::floor(std::log(Open01()) / std::log1p(-p));
    return steps >= 1e15 ? int64_t{1} << 50 : static_cast<int64_t>(steps) + 1;
  }
};

// numpy's "linear" quantile q of a sample of n values: the values of ranks
// floor(q·(n − 1)) and the one above, interpolated.
struct QuantilePosition {
  QuantilePosition(double q, int n) {
    const double position = std::clamp(q, 0.0, 1.0) * (n - 1);
    rank = std::min(static_cast<int>(position), n - 1);
    rank_above = std::min(rank + 1, n - 1);
    fraction = position - rank;
  }
  int rank;
  int rank_above;
  double fraction;
};

// Quantiles of a sample that drifts slowly from one step to the next, found
// without sorting: the wanted ranks lie in a window around the previous
// answer, so one pass over the sample counts the values below each window and
// gathers those inside, and a selection among those few finishes. Windows
// adapt: one grows when it missed its ranks and shrinks when it gathered
// many values. Both quantiles share the pass.
class DriftingQuantiles {
 public:
  DriftingQuantiles(double lower, double upper, int n)
      : trackers_{Tracker(QuantilePosition(lower, n)), Tracker(QuantilePosition(upper, n))} {}

  // The lower and upper quantiles of `values` (size n).
  std::pair<double, double> Of(const std::vector<double>& values) {
    if (!started_) Start(values);
    Scan(values, trackers_[0], trackers_[1]);
    for (Tracker& tracker : trackers_) {
      while (!tracker.Finish()) {
        if (!tracker.Widen()) break;
        Scan(values, tracker, tracker);
      }
    }
    return {trackers_[0].result, trackers_[1].result};
  }

 private:
  // Gathered values above which a window shrinks.
  static constexpr int64_t kLargeWindow = 64;

  struct Tracker {
    explicit Tracker(QuantilePosition where) : position(where) {}

    // Selects the quantile from the last scan when the window held its
    // ranks; false when it did not.
    bool Finish() {
      const auto up_to_high = below + static_cast<int64_t>(window.size());
      if (!(below <= position.rank && position.rank_above < up_to_high)) return false;
      const auto at = window.begin() + (position.rank - below);
      std::nth_element(window.begin(), at, window.end());
      const double value = *at;
      const double above =
          position.rank_above == position.rank ? value : *std::min_element(at + 1, window.end());
      if (static_cast<int64_t>(window.size()) > kLargeWindow) width *= 0.5;
      guess = value;
      result = value + position.fraction * (above - value);
      return true;
    }

    // Widens a window that missed (from a positive width, whatever the scale
    // of the data); false, with a NaN result, once it is infinite, which only
    // a non-finite value in the sample could cause.
    bool Widen() {
      width = width > 0 ? 4 * width : std::max(std::abs(guess), 1.0) * 1e-12;
      if (std::isfinite(width)) return true;
      result = std::numeric_limits<double>::quiet_NaN();
      return false;
    }

    QuantilePosition position;
    double guess = 0;
    double width = 0;
    int64_t below = 0;           // values < guess − width in the last scan
    std::vector<double> window;  // values in [guess − width, guess + width]
    double result = 0;
  };

  // One pass for two trackers (the same one twice to scan for one): counts
  // the values below each window branch free and gathers those inside under
  // a rarely taken branch.
  static void Scan(const std::vector<double>& values, Tracker& first, Tracker& second) {
    const double low1 = first.guess - first.width;
    const double high1 = first.guess + first.width;
    const double low2 = second.guess - second.width;
    const double high2 = second.guess + second.width;
    int64_t below1 = 0;
    int64_t below2 = 0;
    first.window.clear();
    second.window.clear();
    const bool same = &first == &second;
    for (const double v : values) {
      below1 += static_cast<int64_t>(v < low1);
      below2 += static_cast<int64_t>(v < low2);
      if (v >= low1 && v <= high1) first.window.push_back(v);
      if (!same && v >= low2 && v <= high2) second.window.push_back(v);
    }
    first.below = below1;
    second.below = below2;
  }

  // The first step: each guess is the exact quantile's lower rank value, and
  // each window would hold about a tenth of the sample around it.
  void Start(const std::vector<double>& values) {
    std::vector<double> copy = values;
    const auto [lowest, highest] = std::minmax_element(copy.begin(), copy.end());
    const double width = (*highest - *lowest) * 0.05;
    for (Tracker& tracker : trackers_) {
      std::nth_element(copy.begin(), copy.begin() + tracker.position.rank, copy.end());
      tracker.guess = copy[tracker.position.rank];
      tracker.width = width;
    }
    started_ = true;
  }

  Tracker trackers_[2];
  bool started_ = false;
};

}  // namespace

DeviationQuantiles SimulateDeviationQuantiles(const FutureSimulationSpec& spec, int horizon,
                                              double lower_quantile, double upper_quantile) {
  DeviationQuantiles result;
  if (horizon <= 0) return result;
  const int count = std::max(spec.paths, 1);
  Random random(spec.seed);

  // Each path's noise and the step of its first rate change (past the
  // horizon when there are none).
  const bool changes = spec.change_probability > 0;
  const int64_t never = int64_t{horizon} + 1;
  std::vector<double> noise(count);
  std::vector<int64_t> next_change(count, never);
  for (int p = 0; p < count; ++p) {
    noise[p] = spec.noise_sigma * random.Normal();
    if (changes) next_change[p] = random.Geometric(spec.change_probability);
  }

  // offset_p: the trend deviation; slope_p: Σ of the changes before the
  // current step. A change c at step h adds dt·c/2 at h and c to the slope.
  // Draws happen in (step, path) order, so the result depends on the seed
  // alone.
  std::vector<double> offset(count, 0.0);
  std::vector<double> slope(count, 0.0);
  std::vector<double> value(count);
  DriftingQuantiles quantiles(lower_quantile, upper_quantile, count);
  result.lower.resize(horizon);
  result.upper.resize(horizon);
  const double dt = spec.step_t;
  for (int step = 1; step <= horizon; ++step) {
    for (int p = 0; p < count; ++p) {
      double change = 0;
      if (next_change[p] == step) {
        change = random.Laplace(spec.rate_change_scale);
        next_change[p] += random.Geometric(spec.change_probability);
      }
      offset[p] += dt * (slope[p] + 0.5 * change);
      slope[p] += change;
      value[p] = offset[p] + noise[p];
    }
    std::tie(result.lower[step - 1], result.upper[step - 1]) = quantiles.Of(value);
  }
  return result;
}

}  // namespace horizonscale::forecast::internal

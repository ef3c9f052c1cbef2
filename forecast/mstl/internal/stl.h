// STL: seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae &
// Terpenning 1990), as R's stats::stl. A series y of period m is split into
// y = trend + seasonal + remainder by an inner loop of cycle-subseries loess
// smoothing, a low-pass filter and trend loess, optionally wrapped in robust
// (bisquare-weighted) outer iterations.
//
// Non-robust results agree with R's to rounding. Robust ones too on an odd
// length; on an even one R takes the median of the absolute residuals with a
// partial sort that can return a wrong lower-middle value, so after many
// outer iterations R's figures drift slightly from these (exact) ones.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include <absl/status/statusor.h>

namespace horizonscale::forecast::internal {

// The parameters of one STL decomposition, R's stl() arguments. A window of 0
// means R's default for it; windows are odd (an even one is raised by 1) and
// >= 3 (periodic excepted). Degrees are 0 (local constant) or 1 (local line).
struct StlOptions {
  // s.window: span in cycles of the seasonal loess. Ignored when periodic.
  int seasonal_window = 7;
  // s.window = "periodic": the seasonal component repeats exactly (the
  // cycle-subseries mean is used; R's s.window = 10 * n + 1, s.degree = 0).
  bool periodic = false;
  int seasonal_degree = 0;
  // t.window; 0: nextodd(ceiling(1.5 * period / (1 - 1.5 / s.window))).
  int trend_window = 0;
  int trend_degree = 1;
  // l.window; 0: nextodd(period). l.degree follows trend_degree as in R.
  int lowpass_window = 0;
  // Jumps; 0: ceiling(window / 10) for each window.
  int seasonal_jump = 0;
  int trend_jump = 0;
  int lowpass_jump = 0;
  // inner; 0: R's default (2 non-robust, 1 robust). outer; < 0: R's default
  // (0 non-robust, 15 robust).
  int inner = 0;
  int outer = -1;
  bool robust = false;
};

// One STL decomposition: three series of the input's length with
// trend[i] + seasonal[i] + remainder[i] == y[i] (up to rounding).
struct StlResult {
  std::vector<double> trend;
  std::vector<double> seasonal;
  std::vector<double> remainder;
  // The robustness weights of the last inner loop (R's $weights): all 1
  // without outer iterations.
  std::vector<double> weights;
};

// Scratch memory of Stl, reusable across calls: a loop of decompositions
// (MSTL) then skips allocating and page-faulting fresh buffers each time.
// Opaque. Used by one thread at a time.
class StlWorkspace {
 public:
  StlWorkspace();
  ~StlWorkspace();
  StlWorkspace(const StlWorkspace&) = delete;
  StlWorkspace& operator=(const StlWorkspace&) = delete;

  struct Buffers;  // defined in stl.cc

 private:
  friend absl::StatusOr<StlResult> Stl(std::span<const double> y, int period,
                                       const StlOptions& options, StlWorkspace& workspace);
  std::unique_ptr<Buffers> buffers_;
};

// Decomposes `y` (finite values, oldest first) with period `period` in steps.
// Errors: INVALID_ARGUMENT when period < 2, when y holds at most two full
// periods (y.size() <= 2 * period: R's "series is not periodic or has less
// than two periods"), for a degree outside {0, 1}, or for a negative window,
// jump or inner count (or a seasonal window of 0 when not periodic).
absl::StatusOr<StlResult> Stl(std::span<const double> y, int period,
                              const StlOptions& options = {});

// The same, with scratch memory from `workspace` (same results).
absl::StatusOr<StlResult> Stl(std::span<const double> y, int period, const StlOptions& options,
                              StlWorkspace& workspace);

// The strength of a seasonal component (Wang, Smith & Hyndman 2006):
// max(0, 1 - Var(remainder) / Var(seasonal + remainder)), in [0, 1]; 0 when
// the denominator is 0. The spans have equal length.
double SeasonalStrength(std::span<const double> seasonal, std::span<const double> remainder);

}  // namespace horizonscale::forecast::internal

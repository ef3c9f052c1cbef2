// MSTL: decomposition over several seasonal periods by repeated STL (Bandara,
// Hyndman & Bergmeir 2021), as R's forecast::mstl (8.20) without Box-Cox.
#pragma once

#include <span>
#include <vector>

#include <absl/status/statusor.h>

#include "forecast/cancellation.h"

namespace horizonscale::forecast::internal {

// How to decompose. The defaults are R's.
struct MstlOptions {
  // Passes over the periods (R's iterate = 2). With a single period one pass
  // gives the same result, so only one is made.
  int iterations = 2;
  // s.window of the i-th kept period (ascending order); empty: 7 + 4 (i + 1),
  // R's 7 + 4 * seq(6) extended. A shorter list reuses its last value.
  std::vector<int> seasonal_windows;
  // Polled before each STL; once it says yes Mstl returns CANCELLED.
  CancelCheck cancelled;
};

// y = trend + Σ seasonal[i] + remainder, every series of y's length.
struct MstlResult {
  std::vector<int> periods;                   // the periods kept, ascending
  std::vector<double> trend;                  // the last STL's trend
  std::vector<std::vector<double>> seasonal;  // one per kept period
  std::vector<double> remainder;
};

// Decomposes `y` (finite, oldest first) over `periods` (each >= 2, strictly
// ascending). As R, a period with fewer than two full cycles plus one value
// (2 * period >= y.size()) is dropped. Errors: INVALID_ARGUMENT for a period
// < 2, periods not strictly ascending, or no period left after dropping;
// CANCELLED when options.cancelled said so.
absl::StatusOr<MstlResult> Mstl(std::span<const double> y, std::span<const int> periods,
                                const MstlOptions& options = {});

}  // namespace horizonscale::forecast::internal

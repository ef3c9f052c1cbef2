// MSTL as R's forecast::mstl: each period's seasonal component is re-estimated
// by STL on the series less the other components, `iterations` times over.
#include "forecast/mstl/internal/mstl.h"

#include <algorithm>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

#include "forecast/mstl/internal/stl.h"

namespace horizonscale::forecast::internal {

absl::StatusOr<MstlResult> Mstl(std::span<const double> y, std::span<const int> periods,
                                const MstlOptions& options) {
  for (size_t i = 0; i < periods.size(); ++i) {
    if (periods[i] < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("MSTL periods must be >= 2 steps, got ", periods[i]));
    }
    if (i > 0 && periods[i] <= periods[i - 1]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "MSTL periods must be strictly ascending, got ", periods[i - 1], " then ", periods[i]));
    }
  }
  const size_t n = y.size();
  MstlResult result;
  for (const int period : periods) {
    if (2 * static_cast<size_t>(period) < n) result.periods.push_back(period);
  }
  if (result.periods.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("MSTL needs more than two full cycles of a period, got ", n,
                     " values for the shortest period ", periods.empty() ? 0 : periods[0]));
  }
  const size_t count = result.periods.size();
  result.seasonal.assign(count, std::vector<double>(n, 0.0));
  std::vector<double> deseasonalized(y.begin(), y.end());
  const int passes = count == 1 ? 1 : std::max(1, options.iterations);
  StlWorkspace workspace;
  for (int pass = 0; pass < passes; ++pass) {
    for (size_t i = 0; i < count; ++i) {
      if (IsCancelled(options.cancelled)) return CancelledStatus("MSTL decomposition");
      std::vector<double>& seasonal = result.seasonal[i];
      for (size_t t = 0; t < n; ++t) deseasonalized[t] += seasonal[t];
      StlOptions stl;
      if (options.seasonal_windows.empty()) {
        stl.seasonal_window = 7 + 4 * static_cast<int>(i + 1);
      } else {
        stl.seasonal_window =
            options.seasonal_windows[std::min(i, options.seasonal_windows.size() - 1)];
      }
      absl::StatusOr<StlResult> fit = Stl(deseasonalized, result.periods[i], stl, workspace);
      if (!fit.ok()) return fit.status();
      seasonal = std::move(fit->seasonal);
      for (size_t t = 0; t < n; ++t) deseasonalized[t] -= seasonal[t];
      if (pass == passes - 1 && i == count - 1) result.trend = std::move(fit->trend);
    }
  }
  result.remainder.resize(n);
  for (size_t t = 0; t < n; ++t) result.remainder[t] = deseasonalized[t] - result.trend[t];
  return result;
}

}  // namespace horizonscale::forecast::internal

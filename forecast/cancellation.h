// Cooperative cancellation of long forecasting computations: the caller
// hands in a predicate ("should I stop?"), long loops poll it every so many
// iterations and, once it says yes, unwind with a CANCELLED status. Pure C++:
// the server wraps its call's ServerContext::IsCancelled in one.
#pragma once

#include <functional>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/string_view.h>

namespace horizonscale::forecast {

// Whether the computation should stop. Empty: never. It is called from the
// computing thread only, every few milliseconds of work at most, so it must
// be cheap (an atomic load, a clock read); it must not throw.
using CancelCheck = std::function<bool()>;

// True when `check` is set and answers true.
inline bool IsCancelled(const CancelCheck& check) { return check && check(); }

// The status a cancelled computation returns: CANCELLED, naming the stage
// that stopped (e.g. "backtest of holt_winters").
inline absl::Status CancelledStatus(absl::string_view stage) {
  return absl::CancelledError(absl::StrCat("forecast cancelled during the ", stage));
}

}  // namespace horizonscale::forecast

// The timeline's windows as seconds since the scenario's start: window k is
// [k·g, (k+1)·g), the last one ending at the run's end (it may be shorter).
// The arrival process (noise is drawn per window) and the event loop use the
// same boundaries, computed by the same expression. Internal to hs_simulator.
#pragma once

#include <cstdint>

#include <absl/time/time.h>

#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

struct WindowGrid {
  double length = 0;   // granularity, seconds
  int64_t count = 0;   // number of windows, ⌈duration / granularity⌉
  double run_end = 0;  // duration, seconds

  // The grid of a valid scenario.
  static WindowGrid Of(const Scenario& scenario) {
    absl::Duration remainder;
    int64_t count = absl::IDivDuration(scenario.duration, scenario.granularity, &remainder);
    if (remainder > absl::ZeroDuration()) ++count;
    return {absl::ToDoubleSeconds(scenario.granularity), count,
            absl::ToDoubleSeconds(scenario.duration)};
  }

  // End of window k, seconds since the start.
  double End(int64_t k) const {
    return k + 1 >= count ? run_end : static_cast<double>(k + 1) * length;
  }
};

}  // namespace horizonscale::simulator::internal

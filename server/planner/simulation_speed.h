// The simulator's event throughput on this build and machine, for the run
// time a Simulate request is estimated to take (validate_only answers it
// without simulating).
//
// Measured, not assumed: the first use runs a short calibration (an M/M/c
// run of about 200,000 events, tens of milliseconds in a release build),
// and every simulation the server completes refines the figure (total events
// over total run time, the calibration included).
//
// Thread safety: all methods may be called concurrently.
#pragma once

#include <cstdint>
#include <mutex>

#include <absl/time/time.h>

namespace horizonscale::server {

class SimulationSpeed {
 public:
  // Events per second measured so far (> 0); calibrates on the first call.
  double EventsPerSecond();

  // The time `events` simulation events take at EventsPerSecond().
  absl::Duration Estimate(int64_t events);

  // Adds a completed run of `events` events that took `elapsed` (ignored
  // unless both are positive).
  void Record(int64_t events, absl::Duration elapsed);

 private:
  void Calibrate();

  std::once_flag calibrated_;
  std::mutex mutex_;
  double events_ = 0;   // guarded by mutex_
  double seconds_ = 0;  // guarded by mutex_
};

}  // namespace horizonscale::server

// The discrete-event loop behind Simulate, with figures the public result
// does not carry (for tests against queueing theory). Internal to
// hs_simulator.
#pragma once

#include <cstdint>
#include <functional>

#include <absl/status/statusor.h>

#include "simulator/simulator.h"

namespace horizonscale::simulator::internal {

// Figures of a finished run beyond RunResult.
struct Diagnostics {
  int64_t arrivals_waiting = 0;   // arrivals that found no idle worker (they wait > 0)
  int64_t jobs_started = 0;       // jobs that started service
  double wait_seconds = 0;        // total wait of the jobs that started service
  int64_t in_service_at_end = 0;  // jobs in service when the run ended
  int64_t waiting_at_end = 0;     // jobs waiting when the run ended
  double busy_seconds = 0;        // busy worker-seconds
  double paid_seconds = 0;        // paid worker-seconds
};

// Simulate (see simulator.h) after validation, filling `diagnostics` when not
// null. The inputs must be valid.
absl::StatusOr<RunResult> RunEngine(const Scenario& scenario, const PoolPlan& plan,
                                    const SimulationConfig& config,
                                    const std::function<bool()>& cancelled,
                                    Diagnostics* diagnostics);

// Validates, then runs the engine (what Simulate does, plus diagnostics).
absl::StatusOr<RunResult> SimulateWithDiagnostics(const Scenario& scenario, const PoolPlan& plan,
                                                  const SimulationConfig& config,
                                                  const std::function<bool()>& cancelled,
                                                  Diagnostics* diagnostics);

}  // namespace horizonscale::simulator::internal

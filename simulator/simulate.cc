// Simulate: validation, then the event loop (internal/engine.h).
#include "simulator/internal/engine.h"
#include "simulator/internal/validation.h"

namespace horizonscale::simulator {
namespace internal {

absl::StatusOr<RunResult> SimulateWithDiagnostics(const Scenario& scenario, const PoolPlan& plan,
                                                  const SimulationConfig& config,
                                                  const std::function<bool()>& cancelled,
                                                  Diagnostics* diagnostics) {
  if (absl::Status s = ValidateScenario(scenario, config); !s.ok()) return s;
  if (absl::Status s = ValidatePlan(plan); !s.ok()) return s;
  return RunEngine(scenario, plan, config, cancelled, diagnostics);
}

}  // namespace internal

// Contract: see simulator.h. Time O(events · log workers) plus O(windows);
// memory O(windows + workers + peak backlog).
absl::StatusOr<RunResult> Simulate(const Scenario& scenario, const PoolPlan& plan,
                                   const SimulationConfig& config,
                                   const std::function<bool()>& cancelled) {
  return internal::SimulateWithDiagnostics(scenario, plan, config, cancelled, nullptr);
}

}  // namespace horizonscale::simulator

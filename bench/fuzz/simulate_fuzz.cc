// Simulate: request -> validation and the work estimate -> the simulator ->
// the answer. Stored plans do not exist here; the event budget is small so
// that an iteration stays short (the estimate refuses the rest).
#include "bench/fuzz/fuzz_support.h"
#include "server/planner/simulate.h"
#include "server/planner/simulation_speed.h"

namespace v1 = horizonscale::v1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::SimulateRequest request;
  if (!horizonscale::fuzz::ParseRequest(data, size, request)) return -1;
  static horizonscale::server::SimulationSpeed speed;
  v1::SimulateResponse response;
  (void)horizonscale::server::Simulate(
      request, [](const std::string&) { return std::optional<v1::CapacityPlan>(); },
      /*max_events=*/200'000, [] { return false; }, speed, &response);
  return 0;
}

// GeneratePlan's path without the database: request -> validation
// (ToPlanRequest) -> the planner -> the answer's mapping.
#include <absl/time/clock.h>

#include "bench/fuzz/fuzz_support.h"
#include "planner/planner.h"
#include "server/planner/plan_request.h"
#include "server/planner/plan_response.h"

namespace v1 = horizonscale::v1;
namespace server = horizonscale::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::GeneratePlanRequest request;
  if (!horizonscale::fuzz::ParseRequest(data, size, request)) return -1;
  horizonscale::planner::PlanRequest plan_request;
  // A fixed clock keeps a crash reproducible.
  const absl::Time now = absl::FromUnixSeconds(1'790'000'000);
  if (!server::ToPlanRequest(request, now, &plan_request).ok()) return 0;
  absl::StatusOr<horizonscale::planner::PlanResult> result =
      horizonscale::planner::GeneratePlan(plan_request);
  if (!result.ok()) return 0;
  (void)server::ToGeneratePlanResponse(
      *result, {"00000000-0000-4000-8000-000000000000", request.queue(), request.request_id()},
      plan_request.config);
  return 0;
}

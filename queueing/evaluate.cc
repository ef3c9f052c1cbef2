// Evaluate: validation, Erlang B, and dispatch to the model.
#include "queueing/internal/evaluate.h"

#include "queueing/internal/erlang_c_family.h"
#include "queueing/internal/mmck.h"
#include "queueing/internal/validate.h"

namespace horizonscale::queueing {
namespace internal {

// Dispatches a validated pool to its model at `servers` (see internal/evaluate.h).
QueueMetrics EvaluateAt(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b) {
  switch (pool.model) {
    case Model::kMM1:
    case Model::kMMc:
      return EvaluateMMc(pool, servers, erlang_b);
    case Model::kMGc:
      return EvaluateMGc(pool, servers, erlang_b);
    case Model::kMMcK:
      return EvaluateMMcK(pool, servers, erlang_b);
  }
  return {};
}

}  // namespace internal

// Contract: see queueing.h. O(c) for Erlang B, then O(1) (M/M/c, M/G/c) or
// O(sqrt(cμt)) per CDF evaluation (M/M/c/K percentiles).
absl::StatusOr<QueueMetrics> Evaluate(const PoolSpec& pool) {
  if (absl::Status status = internal::ValidatePool(pool, /*check_workers=*/true); !status.ok()) {
    return status;
  }
  internal::ErlangBStepper erlang_b(pool.arrival_rate * pool.mean_service_time);
  erlang_b.AdvanceTo(pool.workers);
  return internal::EvaluateAt(pool, pool.workers, erlang_b);
}

}  // namespace horizonscale::queueing

// Model dispatch for a validated pool at a given worker count. Internal to
// hs_queueing.
#pragma once

#include "queueing/internal/erlang.h"
#include "queueing/queueing.h"

namespace horizonscale::queueing::internal {

// Figures of `pool` (already validated, workers ignored) with `servers`
// workers, given Erlang B advanced to `servers` for a = λ s. O(1) beyond B
// for the Erlang-C family; O(sqrt(cμt)) per CDF evaluation for M/M/c/K.
QueueMetrics EvaluateAt(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b);

}  // namespace horizonscale::queueing::internal

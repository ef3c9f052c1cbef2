// EvaluateQueue: validation, mapping to the queueing library and back.
#pragma once

#include <cstdint>

#include <grpcpp/support/status.h>

#include "horizonscale/v1/queueing.pb.h"

namespace horizonscale::server {

// Most worker counts one request may evaluate.
inline constexpr int kMaxEvaluatedWorkerCounts = 1000;

// M/M/c/K work: one evaluation walks the K states and windows of them for
// each quantile, about 8.5 ns per state plus 1.4 ms (the fixed part, counted
// as kMmckFixedStates states); a request may ask for at most
// kMaxMmckStates states in all (about 2 s of one core), counting each
// distinct worker count once and the least-workers search (with an SLO) as
// kMmckSearchEvaluations evaluations.
inline constexpr int64_t kMmckFixedStates = 160'000;
inline constexpr int64_t kMmckSearchEvaluations = 40;
inline constexpr int64_t kMaxMmckStates = 250'000'000;

// Answers `request` into `response`, evaluating each distinct worker count
// once. Returns INVALID_ARGUMENT (reason INVALID_METRICS for the load,
// CONFIG_INVALID for worker counts, SLO and limits) naming every bad field;
// RESOURCE_EXHAUSTED (reason EVALUATION_TOO_LARGE, naming system_capacity
// and worker_counts) for M/M/c/K work above kMaxMmckStates, before any.
grpc::Status EvaluateQueue(const horizonscale::v1::EvaluateQueueRequest& request,
                           horizonscale::v1::EvaluateQueueResponse* response);

}  // namespace horizonscale::server

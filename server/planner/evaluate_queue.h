// EvaluateQueue: validation, mapping to the queueing library and back.
#pragma once

#include <grpcpp/support/status.h>

#include "horizonscale/v1/queueing.pb.h"

namespace horizonscale::server {

// Most worker counts one request may evaluate.
inline constexpr int kMaxEvaluatedWorkerCounts = 1000;

// Answers `request` into `response`. Returns INVALID_ARGUMENT (reason
// INVALID_METRICS for the load, CONFIG_INVALID for worker counts, SLO and
// limits) naming every bad field.
grpc::Status EvaluateQueue(const horizonscale::v1::EvaluateQueueRequest& request,
                           horizonscale::v1::EvaluateQueueResponse* response);

}  // namespace horizonscale::server

// EvaluateQueue: request -> validation -> the queueing models -> the answer.
#include "bench/fuzz/fuzz_support.h"
#include "server/planner/evaluate_queue.h"

namespace v1 = horizonscale::v1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::EvaluateQueueRequest request;
  if (!horizonscale::fuzz::ParseRequest(data, size, request)) return -1;
  v1::EvaluateQueueResponse response;
  (void)horizonscale::server::EvaluateQueue(request, &response);
  return 0;
}

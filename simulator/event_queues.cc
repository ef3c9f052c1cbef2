// JobQueue growth (see internal/event_queues.h).
#include "simulator/internal/event_queues.h"

namespace horizonscale::simulator::internal {

void JobQueue::Grow() {
  std::vector<double> bigger(buffer_.size() * 2);
  for (size_t i = 0; i < size_; ++i) bigger[i] = buffer_[(head_ + i) & mask_];
  buffer_.swap(bigger);
  mask_ = buffer_.size() - 1;
  head_ = 0;
}

}  // namespace horizonscale::simulator::internal

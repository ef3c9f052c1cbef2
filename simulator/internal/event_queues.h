// The two containers of the event loop: the FIFO of waiting jobs (a growable
// ring buffer of arrival times) and the min-heap of jobs in service keyed by
// completion time. Neither allocates per event (they grow by doubling).
// Internal to hs_simulator.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace horizonscale::simulator::internal {

// Jobs waiting, in arrival order; each is known by its arrival time.
class JobQueue {
 public:
  JobQueue() : buffer_(1024), mask_(1023) {}

  bool empty() const { return size_ == 0; }
  int64_t size() const { return static_cast<int64_t>(size_); }

  // Arrival time of the oldest waiting job; the queue must not be empty.
  double front() const { return buffer_[head_]; }

  // Appends a job that arrived at `arrival`.
  void Push(double arrival) {
    if (size_ == buffer_.size()) Grow();
    buffer_[(head_ + size_) & mask_] = arrival;
    ++size_;
  }

  // Removes the oldest job and returns its arrival time; must not be empty.
  double Pop() {
    const double arrival = buffer_[head_];
    head_ = (head_ + 1) & mask_;
    --size_;
    return arrival;
  }

 private:
  void Grow();

  std::vector<double> buffer_;  // capacity a power of two
  size_t mask_;
  size_t head_ = 0;
  size_t size_ = 0;
};

// A job in service.
struct JobInService {
  double completion;  // seconds since the start
  double arrival;     // seconds since the start
};

// Binary min-heap of jobs in service on completion time (ties: any order;
// the result does not depend on which of two equal jobs completes first).
class CompletionHeap {
 public:
  explicit CompletionHeap(size_t reserve) { heap_.reserve(reserve); }

  bool empty() const { return heap_.empty(); }
  int64_t size() const { return static_cast<int64_t>(heap_.size()); }

  // The job completing first; the heap must not be empty.
  const JobInService& top() const { return heap_.front(); }

  // Adds a job.
  void Push(JobInService job) {
    size_t hole = heap_.size();
    heap_.push_back(job);
    while (hole > 0) {
      const size_t parent = (hole - 1) / 2;
      if (!(job.completion < heap_[parent].completion)) break;
      heap_[hole] = heap_[parent];
      hole = parent;
    }
    heap_[hole] = job;
  }

  // Removes the top job; the heap must not be empty.
  void Pop() {
    const JobInService last = heap_.back();
    heap_.pop_back();
    if (!heap_.empty()) SiftDown(last);
  }

  // Replaces the top job by `job` (one sift instead of a pop and a push).
  void ReplaceTop(JobInService job) { SiftDown(job); }

 private:
  // Places `job` into the hole at the root, moving smaller children up.
  void SiftDown(JobInService job) {
    const size_t n = heap_.size();
    size_t hole = 0;
    for (;;) {
      size_t child = 2 * hole + 1;
      if (child >= n) break;
      if (child + 1 < n && heap_[child + 1].completion < heap_[child].completion) ++child;
      if (!(heap_[child].completion < job.completion)) break;
      heap_[hole] = heap_[child];
      hole = child;
    }
    heap_[hole] = job;
  }

  std::vector<JobInService> heap_;
};

}  // namespace horizonscale::simulator::internal

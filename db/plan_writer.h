// Group commit of plans: many requests' plans written in one statement (one
// round trip, one transaction), so that every acknowledged plan is durable
// without one fsync, or one round trip, per plan.
//
// Submit() hands a plan to the writer threads and calls back (or resolves a
// future) once the transaction holding it has committed (or failed). While
// a batch commits, new submissions queue up and form the next batch (taken by
// another writer thread when there are several):
// batches grow with load and latency stays about one commit under light load.
// Rows are written in a fixed order (plans, queues and metrics sorted) so
// that concurrent batches cannot deadlock each other.
//
// One write cannot fail the others: when a batch's statement fails for any
// reason but a lost connection, the batch is split in halves and each half
// written again, down to the single write that fails, which alone gets the
// error (about itself only: nothing of the other writes).
//
// Idempotency: a write with a request_id is keyed by (queue, request_id). A
// later write under a stored key is a retry when its request fingerprint is
// the stored one (it gets the stored answer and stores nothing) and is
// refused with ALREADY_EXISTS otherwise.
//
// Thread safety: Submit may be called from any thread. Stop() (or the
// destructor) drains what was submitted, then ends the writer threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <absl/status/statusor.h>

#include "db/connection_pool.h"
#include "db/plan_repository.h"

namespace horizonscale::db {

// One plan to store, with the queue metrics that came with its request.
struct PlanWrite {
  PlanRecord record;
  std::vector<planner::QueueSample> metrics;
};

class PlanWriter {
 public:
  // Told of every batch written: its plans and the seconds from taking a
  // connection to the commit (or failure). Runs on a writer thread.
  using BatchObserver = std::function<void(int plans, double seconds)>;

  // Writes through connections of `pool` with `threads` writer threads, at
  // most `max_batch` plans per transaction; `on_batch` may be empty.
  PlanWriter(std::shared_ptr<ConnectionPool> pool, int threads = 1, int max_batch = 256,
             BatchObserver on_batch = nullptr);
  PlanWriter(const PlanWriter&) = delete;
  PlanWriter& operator=(const PlanWriter&) = delete;
  ~PlanWriter();

  // Queues `write`. The future yields the answer to send: `record.response`,
  // or, when a plan with the same queue and request_id and the same request
  // fingerprint was stored before (a retry), that plan's stored answer.
  // Errors: ALREADY_EXISTS when the key holds a plan made for a different
  // request (the message names that plan), UNAVAILABLE when the database
  // connection failed or none could be had, INTERNAL when this write's SQL
  // failed, CANCELLED after Stop().
  std::future<absl::StatusOr<std::string>> Submit(PlanWrite write);

  // The same answer, handed to `done` instead: called exactly once, on a
  // writer thread (or at once, with CANCELLED, after Stop()).
  using Done = std::function<void(absl::StatusOr<std::string>)>;
  void Submit(PlanWrite write, Done done);

  // Finishes the queued writes and stops the writer threads.
  void Stop();

 private:
  struct Pending {
    PlanWrite write;
    Done done;
  };

  void Run();
  void WriteBatch(std::vector<Pending>& batch);

  const std::shared_ptr<ConnectionPool> pool_;
  const int max_batch_;
  const BatchObserver on_batch_;
  std::mutex mutex_;
  std::condition_variable submitted_;
  std::deque<Pending> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_
  std::vector<std::thread> threads_;
};

// Per write, the answer to send or why that write was refused.
using PlanAnswer = absl::StatusOr<std::string>;

// Writes `writes` atomically on `connection` in one statement and returns,
// per write, its answer (see PlanWriter::Submit; a refused key reuse is an
// ALREADY_EXISTS answer and stores nothing of that write). When the statement
// fails (UNAVAILABLE for a lost connection, INTERNAL otherwise, the message
// possibly quoting any write), nothing of the batch is written.
absl::StatusOr<std::vector<PlanAnswer>> StorePlans(pqxx::connection& connection,
                                                   const std::vector<const PlanWrite*>& writes);

// StorePlans isolating failures: when the statement fails for another reason
// than a lost connection, the halves of `writes` are stored separately,
// recursively, so every write that can be stored is, and a write that fails
// on its own gets its own error. After a lost connection the writes not yet
// stored get UNAVAILABLE. Returns one answer per write, in order.
std::vector<PlanAnswer> StorePlansIsolated(pqxx::connection& connection,
                                           const std::vector<const PlanWrite*>& writes);

}  // namespace horizonscale::db

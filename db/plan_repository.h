// Reading what GeneratePlan persisted: queue metric history, the queue's last
// scaling action (for cooldowns), stored plans. Writing is PlanWriter's
// (db/plan_writer.h), in batches.
//
// The full answer sent to the client is stored as opaque bytes beside the
// relational columns, so a retry and GetPlan/ListPlans return exactly what was
// sent; the columns serve SQL users and the planner's own queries.
//
// Thread safety: the functions keep no state; calls on different connections
// may run concurrently. Database failures come back as UNAVAILABLE (connection
// lost) or INTERNAL (SQL error), with the reason.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/pqxx>

#include "planner/plan.h"

namespace horizonscale::db {

// What planning a queue needs from the database.
struct QueueHistory {
  // One sample per cell of `bucket` (cells aligned to the Unix epoch) that
  // holds metrics, oldest first: the cell means of arrival rate and service
  // time and its largest worker count, timed at the cell's last microsecond.
  std::vector<planner::QueueSample> samples;
  std::optional<planner::LastAction> last_action;
};

// A plan to store.
struct PlanRecord {
  std::string plan_id;  // UUID
  std::string queue;
  std::string request_id;  // empty: none; else the idempotency key with `queue`
  // Fingerprint of the request that made the plan (opaque bytes, e.g. a
  // SHA-256): a later write under the same key is a retry when its
  // fingerprint is the same, and refused otherwise.
  std::string request_fingerprint;
  planner::Plan plan;
  absl::Duration forecast_window;
  double safety_margin = 0;
  std::string response;  // the serialized answer
};

// One stored plan, as stored.
struct StoredPlan {
  std::string plan_id;
  absl::Time generated_at;
  std::string response;
};

// Position after the last plan of a page, for the next one.
struct PlanCursor {
  absl::Time generated_at;
  std::string plan_id;
};

// Registers the plan statements on a new connection (pass to
// ConnectionPool::Create as its on-open hook).
void PreparePlanStatements(pqxx::connection& connection);

// Metric history of `queue` in (now − window, now], aggregated into cells of
// `bucket`, and its last scaling action. An unknown queue has neither.
absl::StatusOr<QueueHistory> LoadQueueHistory(pqxx::connection& connection,
                                              const std::string& queue, absl::Time now,
                                              absl::Duration window, absl::Duration bucket);

// The plan with `plan_id` (a UUID), or nullopt.
absl::StatusOr<std::optional<StoredPlan>> GetPlan(pqxx::connection& connection,
                                                  const std::string& plan_id);

// Up to `limit` plans of `queue`, newest first, after `after` when given.
absl::StatusOr<std::vector<StoredPlan>> ListPlans(pqxx::connection& connection,
                                                  const std::string& queue, int limit,
                                                  const std::optional<PlanCursor>& after);

}  // namespace horizonscale::db

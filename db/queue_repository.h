// The queue resource: each queue's stored settings (SLO and planner config
// defaults of its plans) and state (last metrics, last plan, last action,
// history size), and its reset.
//
// Settings travel as opaque JSON texts (the server writes and reads them as
// the canonical protobuf JSON of horizonscale.v1.Slo and PlannerConfig);
// this layer stores them in jsonb columns and never looks inside.
//
// Every change other replicas must see before their next plan of the queue
// (settings updated, queue reset, an action recorded by a plan) is announced
// on the PostgreSQL channel kQueueChangedChannel with the queue's name as
// payload, in the transaction that makes it (delivered at commit); see
// db/queue_change_listener.h.
//
// Thread safety: the functions keep no state; calls on different connections
// may run concurrently. Database failures come back as UNAVAILABLE
// (connection lost) or INTERNAL (SQL error), with the reason.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/pqxx>

#include "planner/plan.h"

namespace horizonscale::db {

// The channel queue changes are announced on.
inline constexpr char kQueueChangedChannel[] = "hs_queue_changed";

// A queue's stored settings (JSON objects; "{}" when nothing is stored).
struct QueueSettings {
  std::string slo_json = "{}";
  std::string config_json = "{}";
};

// One queue as stored.
struct QueueRecord {
  std::string name;
  QueueSettings settings;
  absl::Time created_at;
  std::optional<absl::Time> settings_updated_at;
  std::optional<absl::Time> reset_at;
  std::optional<planner::LastAction> last_action;
  // The newest stored metrics (observe time, rate, service, workers,
  // utilization, backlog, active jobs).
  std::optional<planner::QueueSample> last_metrics;
  int64_t history_samples = 0;
  std::string last_plan_id;  // empty: no plan
  std::optional<absl::Time> last_plan_at;
};

// The settings stored for `queue`; nullopt when the queue does not exist.
absl::StatusOr<std::optional<QueueSettings>> LoadQueueSettings(pqxx::connection& connection,
                                                               const std::string& queue);

// The queue `name`, or nullopt.
absl::StatusOr<std::optional<QueueRecord>> GetQueue(pqxx::connection& connection,
                                                    const std::string& name);

// The newest stored metrics of `queue`; nullopt when it has none (or does
// not exist). One index lookup.
absl::StatusOr<std::optional<planner::QueueSample>> LoadLatestMetrics(pqxx::connection& connection,
                                                                      const std::string& queue);

// Up to `limit` queues ordered by name, after `after` when given.
absl::StatusOr<std::vector<QueueRecord>> ListQueues(pqxx::connection& connection, int limit,
                                                    const std::optional<std::string>& after);

// Computes a queue's new settings from its stored ones.
using SettingsUpdate = std::function<absl::StatusOr<QueueSettings>(const QueueSettings&)>;

// Creates `name` when missing, then replaces its settings by what `update`
// makes of the stored ones, under the queue row's lock (concurrent updates,
// from any replica, apply one after the other: none is lost), and announces
// the change. `update`'s error is returned and nothing is written. Returns
// the queue as updated.
absl::StatusOr<QueueRecord> UpdateQueueSettings(pqxx::connection& connection,
                                                const std::string& name,
                                                const SettingsUpdate& update);

// Deletes the queue's metric history and clears its last action (settings
// and plans stay), records the reset time, and announces the change, in one
// transaction. nullopt when the queue does not exist. Idempotent.
absl::StatusOr<std::optional<QueueRecord>> ResetQueue(pqxx::connection& connection,
                                                      const std::string& name);

}  // namespace horizonscale::db

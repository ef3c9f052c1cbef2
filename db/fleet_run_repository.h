// Tournament runs in PostgreSQL (db/migrations/0006_fleet_runs.sql): creating
// a run and its shards, claiming shards with FOR UPDATE SKIP LOCKED, loading a
// shard's series, storing its results, and the run's progress.
//
// A shard is claimed inside a transaction the worker holds open while it
// scores the shard; StoreShardResults writes the results and the 'done' mark
// in that same transaction, so a worker that dies scores nothing and its
// shard is claimed again.
//
// Thread safety: no state; calls on different connections may run
// concurrently. Database failures come back as UNAVAILABLE (connection lost)
// or INTERNAL, with the reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/pqxx>

#include "db/fleet_series.h"
#include "forecast/fleet/tournament.h"

namespace horizonscale::db {

struct NewFleetRun {
  std::string run_id;  // a fresh UUID
  // Idempotency key; empty: none.
  std::string request_id;
  // Fingerprint of the request (opaque bytes): a later run under the same
  // key attaches to this one when its fingerprint is the same.
  std::string request_fingerprint;
  // The run's parameters (JSON), stored as given.
  std::string config_json;
  // Series per shard, >= 1.
  int shard_size = 64;
  // Whether shard 0 (the fleet-wide phase: the boosted model, the interval
  // calibration) is part of the run.
  bool fleet_phase = false;
};

// What CreateFleetRun did.
struct CreatedRun {
  std::string run_id;
  // False when a run with the same request_id existed: its id is returned
  // and nothing was written.
  bool created = false;
};

// Creates a run over every stored series (fleet_series, ordered by host and
// resource, cut into shards of shard_size) in one transaction. A run over no
// series is created already succeeded. When a run holds `run.request_id`
// already, returns it (created false) if its request fingerprint is
// `run.request_fingerprint` (or it has none), and ALREADY_EXISTS naming it
// otherwise; INVALID_ARGUMENT for a request_id containing NUL.
absl::StatusOr<CreatedRun> CreateFleetRun(pqxx::connection& connection, const NewFleetRun& run);

struct FleetRunStatus {
  std::string run_id;
  std::string state;  // "running", "succeeded" or "failed"
  std::string config_json;
  int64_t series_total = 0;
  int64_t series_done = 0;  // in shards marked done
  absl::Time created_at;
  std::optional<absl::Time> finished_at;
  std::string error;  // when failed
};

// The run, or nullopt when there is none with that id.
absl::StatusOr<std::optional<FleetRunStatus>> LoadFleetRun(pqxx::connection& connection,
                                                           const std::string& run_id);

// The id of the most recently created succeeded run, or nullopt.
absl::StatusOr<std::optional<std::string>> LatestSucceededFleetRun(pqxx::connection& connection);

// Ids of runs still running, oldest first.
absl::StatusOr<std::vector<std::string>> RunningFleetRuns(pqxx::connection& connection);

// The outcome of trying to claim a shard of a run.
struct ShardClaim {
  enum class Outcome {
    kClaimed,            // `shard` is locked by the caller's transaction
    kWaitForFleetPhase,  // only series shards are left, but shard 0 is being done elsewhere
    kNoneLeft,           // every shard is done or claimed by another worker
  };
  Outcome outcome = Outcome::kNoneLeft;
  int shard = 0;
};

// Claims the lowest pending shard of `run_id` not locked by another
// transaction (shard 0 first). A series shard is only handed out once shard 0
// is done.
absl::StatusOr<ShardClaim> ClaimShard(pqxx::work& tx, const std::string& run_id);

// A series of a run with its host's metadata.
struct RunSeries {
  FleetSeries series;
  FleetHost host;
};

// The series of `shard` of the run (every series of the run for shard 0),
// ordered by host and resource.
absl::StatusOr<std::vector<RunSeries>> LoadShardSeries(pqxx::work& tx, const std::string& run_id,
                                                       int shard);

// The boosted model's forecasts of one series.
struct BoostedForecastRow {
  std::string host_id;
  int resource = 0;
  forecast::ExternalForecasts forecasts;
};

// Writes shard 0's forecasts (COPY).
absl::Status StoreBoostedForecasts(pqxx::work& tx, const std::string& run_id,
                                   const std::vector<BoostedForecastRow>& rows);

// The boosted forecasts of the series of `shard`, ordered by host and
// resource (kind kXgboost, description empty).
absl::StatusOr<std::vector<BoostedForecastRow>> LoadBoostedForecasts(pqxx::work& tx,
                                                                     const std::string& run_id,
                                                                     int shard);

// The outcome of one series' tournament, or why it has none.
struct SeriesOutcome {
  const RunSeries* series = nullptr;
  // Set when the tournament ran.
  const forecast::SeriesTournament* tournament = nullptr;
  // Otherwise: the models listed and the failure (one rank-0 score row per
  // model is stored with this error).
  std::vector<forecast::ModelKind> models;
  std::string error;
};

// Writes a shard's results (scores, champion and runner-up forecasts, risks;
// COPY) and marks it done by `worker` after `elapsed`.
absl::Status StoreShardResults(pqxx::work& tx, const std::string& run_id, int shard,
                               const std::vector<SeriesOutcome>& outcomes,
                               const std::string& worker, absl::Duration elapsed);

// Marks a shard done without results (shard 0, after its forecasts).
absl::Status MarkShardDone(pqxx::work& tx, const std::string& run_id, int shard,
                           const std::string& worker, absl::Duration elapsed);

// Marks the run succeeded when every shard is done; returns whether this call
// did.
absl::StatusOr<bool> CompleteFleetRunIfDone(pqxx::connection& connection,
                                            const std::string& run_id);

// Marks a running run failed with `error`.
absl::Status FailFleetRun(pqxx::connection& connection, const std::string& run_id,
                          const std::string& error);

}  // namespace horizonscale::db

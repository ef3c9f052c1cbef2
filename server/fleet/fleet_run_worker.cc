#include "server/fleet/fleet_run_worker.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>

#include "db/fleet_run_repository.h"
#include "db/sql_support.h"
#include "server/common/log.h"
#include "server/fleet/fleet_shard.h"

namespace horizonscale::server {
namespace {

// The plan a run stored.
absl::StatusOr<CompetitionPlan> LoadPlan(pqxx::connection& connection, const std::string& run_id) {
  absl::StatusOr<std::optional<db::FleetRunStatus>> run = db::LoadFleetRun(connection, run_id);
  if (!run.ok()) return run.status();
  if (!run->has_value()) return absl::NotFoundError(absl::StrCat("run ", run_id, " is gone"));
  absl::StatusOr<horizonscale::v1::CompetitionConfig> config = ConfigFromJson((*run)->config_json);
  if (!config.ok()) return config.status();
  return ToCompetitionPlan(WithDefaults(*config));
}

// What happened when a worker tried a run.
enum class RunProgress { kScored, kWaiting, kNothing };

// Claims and scores one shard of `run_id` in its own transaction.
absl::StatusOr<RunProgress> ScoreOneShard(pqxx::connection& connection, const std::string& run_id,
                                          const CompetitionPlan& plan,
                                          const std::string& worker_name,
                                          const std::atomic<bool>& stop) {
  return db::RunSql<RunProgress>("scoring a shard", [&]() -> absl::StatusOr<RunProgress> {
    pqxx::work tx(connection);
    absl::StatusOr<db::ShardClaim> claim = db::ClaimShard(tx, run_id);
    if (!claim.ok()) return claim.status();
    if (claim->outcome == db::ShardClaim::Outcome::kNoneLeft) return RunProgress::kNothing;
    if (claim->outcome == db::ShardClaim::Outcome::kWaitForFleetPhase) return RunProgress::kWaiting;
    const absl::Time start = absl::Now();
    absl::Status scored = claim->shard == 0
                              ? ScoreFleetPhaseShard(tx, run_id, plan, worker_name)
                              : ScoreSeriesShard(tx, run_id, claim->shard, plan, worker_name, stop);
    if (!scored.ok()) return scored;
    tx.commit();
    Log(spdlog::level::info, "fleet_shard_scored",
        {{"run_id", run_id},
         {"shard", claim->shard},
         {"worker", worker_name},
         {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
    return RunProgress::kScored;
  });
}

}  // namespace

FleetRunWorker::FleetRunWorker(FleetRunWorkerOptions options) : options_(std::move(options)) {}

FleetRunWorker::~FleetRunWorker() { Stop(); }

void FleetRunWorker::Start() {
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { Loop(); });
}

void FleetRunWorker::Stop() {
  stop_.store(true);
  Wake();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void FleetRunWorker::Wake() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++wake_generation_;
  wake_.notify_all();
}

absl::StatusOr<int> FleetRunWorker::ScoreAvailableShards(pqxx::connection& connection,
                                                         const std::string& worker_name,
                                                         const std::atomic<bool>& stop) {
  int scored = 0;
  while (!stop.load()) {
    absl::StatusOr<std::vector<std::string>> runs = db::RunningFleetRuns(connection);
    if (!runs.ok()) return runs.status();
    bool progressed = false, waiting = false;
    for (const std::string& run_id : *runs) {
      absl::StatusOr<CompetitionPlan> plan = LoadPlan(connection, run_id);
      if (!plan.ok()) {
        (void)db::FailFleetRun(connection, run_id, std::string(plan.status().message()));
        continue;
      }
      while (!stop.load()) {
        absl::StatusOr<RunProgress> progress =
            ScoreOneShard(connection, run_id, *plan, worker_name, stop);
        if (!progress.ok()) {
          if (progress.status().code() == absl::StatusCode::kUnavailable ||
              progress.status().code() == absl::StatusCode::kCancelled) {
            return progress.status();
          }
          Log(spdlog::level::err, "fleet_run_failed",
              {{"run_id", run_id}, {"error", std::string(progress.status().message())}});
          (void)db::FailFleetRun(connection, run_id, std::string(progress.status().message()));
          break;
        }
        if (*progress == RunProgress::kWaiting) waiting = true;
        if (*progress != RunProgress::kScored) break;
        ++scored;
        progressed = true;
        absl::StatusOr<bool> completed = db::CompleteFleetRunIfDone(connection, run_id);
        if (completed.ok() && *completed) {
          Log(spdlog::level::info, "fleet_run_succeeded", {{"run_id", run_id}});
        }
      }
    }
    if (progressed) continue;
    if (!waiting) break;
    absl::SleepFor(absl::Milliseconds(100));  // shard 0 is being done elsewhere
  }
  return scored;
}

void FleetRunWorker::Loop() {
  std::unique_ptr<pqxx::connection> connection;
  while (!stop_.load()) {
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      generation = wake_generation_;
    }
    absl::Status status;
    if (options_.database_ready && !options_.database_ready()) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval),
                     [&] { return stop_.load() || wake_generation_ != generation; });
      continue;
    }
    try {
      if (connection == nullptr || !connection->is_open()) {
        connection = std::make_unique<pqxx::connection>(options_.database_url);
      }
      status = ScoreAvailableShards(*connection, options_.name, stop_).status();
    } catch (const std::exception& error) {
      status = db::DatabaseError(error, "connecting the fleet worker");
      connection.reset();
    }
    if (!status.ok() && status.code() != absl::StatusCode::kCancelled) {
      Log(spdlog::level::warn, "fleet_worker_retrying",
          {{"worker", options_.name}, {"error", std::string(status.message())}});
      if (status.code() == absl::StatusCode::kUnavailable) connection.reset();
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait_for(lock, absl::ToChronoMilliseconds(options_.poll_interval),
                   [&] { return stop_.load() || wake_generation_ != generation; });
  }
}

}  // namespace horizonscale::server

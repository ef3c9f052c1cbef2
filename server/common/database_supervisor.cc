#include "server/common/database_supervisor.h"

#include <algorithm>

#include <absl/strings/str_join.h>

#include "db/migration.h"
#include "server/common/log.h"

namespace horizonscale::server {

DatabaseSupervisor::DatabaseSupervisor(std::string url, int pool_size,
                                       std::chrono::milliseconds check_interval,
                                       db::ConnectionPool::OnOpen on_open,
                                       ReadinessCallback on_readiness)
    : url_(std::move(url)),
      pool_size_(pool_size),
      check_interval_(check_interval),
      on_open_(std::move(on_open)),
      on_readiness_(std::move(on_readiness)) {}

DatabaseSupervisor::~DatabaseSupervisor() { Stop(); }

void DatabaseSupervisor::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DatabaseSupervisor::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::shared_ptr<db::ConnectionPool> DatabaseSupervisor::pool() const {
  std::lock_guard lock(mutex_);
  return pool_;
}

bool DatabaseSupervisor::SleepFor(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  return !stop_requested_.wait_for(lock, duration, [this] { return stopping_; });
}

bool DatabaseSupervisor::SetReady(bool ready, uint64_t failures_seen) {
  std::lock_guard lock(readiness_mutex_);
  if (reported_ && ready == ready_) return false;
  if (ready && failures_ != failures_seen) return false;
  ready_ = ready;
  reported_ = true;
  on_readiness_(ready);
  return true;
}

void DatabaseSupervisor::ReportConnectionFailure(const absl::Status& error) {
  std::lock_guard lock(readiness_mutex_);
  ++failures_;
  if (!reported_ || !ready_) return;
  Log(spdlog::level::err, "database_unreachable",
      {{"error", std::string(error.message())},
       {"action", "serving NOT_SERVING until a check succeeds"}});
  ready_ = false;
  on_readiness_(false);
}

bool DatabaseSupervisor::Connect() {
  absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool = db::ConnectionPool::Create(
      url_, pool_size_, on_open_,
      [this](const absl::Status& error) { ReportConnectionFailure(error); });
  if (!pool.ok()) {
    Log(spdlog::level::err, "database_unreachable",
        {{"error", std::string(pool.status().message())},
         {"action", "serving NOT_SERVING; retrying"}});
    return false;
  }
  absl::StatusOr<db::MigrationReport> report = [&]() -> absl::StatusOr<db::MigrationReport> {
    absl::StatusOr<db::ConnectionPool::Lease> lease =
        (*pool)->Acquire(std::chrono::milliseconds(10'000));
    if (!lease.ok()) return lease.status();
    return db::ApplyMigrations(**lease, db::EmbeddedMigrations());
  }();
  if (!report.ok()) {
    Log(spdlog::level::err, "database_migration_failed",
        {{"error", std::string(report.status().message())},
         {"action", "serving NOT_SERVING; retrying"}});
    return false;
  }
  Log(spdlog::level::info, "database_ready",
      {{"migrations_applied", absl::StrJoin(report->applied, ",")},
       {"migrations_already_applied", report->already_applied},
       {"pool_size", pool_size_}});
  if (!report->unknown_versions.empty()) {
    Log(spdlog::level::warn, "database_schema_newer_than_server",
        {{"unknown_versions", absl::StrJoin(report->unknown_versions, ",")}});
  }
  std::lock_guard lock(mutex_);
  pool_ = *std::move(pool);
  return true;
}

void DatabaseSupervisor::Run() {
  constexpr auto kFirstRetry = std::chrono::milliseconds(500);
  auto retry = kFirstRetry;
  bool ready = false;
  while (true) {
    std::shared_ptr<db::ConnectionPool> pool = this->pool();
    const uint64_t failures_seen = [this] {
      std::lock_guard lock(readiness_mutex_);
      return failures_;
    }();
    if (pool == nullptr) {
      if (Connect()) {
        SetReady(true, failures_seen);
        retry = kFirstRetry;
      } else {
        SetReady(false, failures_seen);
        if (!SleepFor(retry)) return;
        retry = std::min(retry * 2, check_interval_);
        continue;
      }
    } else {
      absl::Status ping = pool->Ping(check_interval_);
      if (SetReady(ping.ok(), failures_seen)) {
        if (ping.ok()) {
          Log(spdlog::level::info, "database_reachable_again");
        } else {
          Log(spdlog::level::err, "database_unreachable",
              {{"error", std::string(ping.message())}, {"action", "serving NOT_SERVING"}});
        }
      }
    }
    {
      std::lock_guard lock(readiness_mutex_);
      ready = ready_;
    }
    if (!SleepFor(ready ? check_interval_ : std::min(check_interval_, kFirstRetry))) return;
  }
}

}  // namespace horizonscale::server

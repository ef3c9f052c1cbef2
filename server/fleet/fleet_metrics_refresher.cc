#include "server/fleet/fleet_metrics_refresher.h"

#include <absl/strings/ascii.h>

#include "db/fleet_report_repository.h"
#include "db/fleet_run_repository.h"
#include "horizonscale/v1/fleet_service.pb.h"
#include "server/common/database_lease.h"
#include "server/common/log.h"

namespace horizonscale::server {
namespace {

// "cpu" for RESOURCE_CPU, as people say it.
std::string ResourceName(int resource) {
  std::string name =
      horizonscale::v1::Resource_Name(static_cast<horizonscale::v1::Resource>(resource));
  if (name.starts_with("RESOURCE_")) name = name.substr(9);
  absl::AsciiStrToLower(&name);
  return name.empty() ? std::to_string(resource) : name;
}

}  // namespace

absl::StatusOr<FleetSnapshot> ReadFleetSnapshot(pqxx::connection& connection, absl::Time now,
                                                int max_series) {
  FleetSnapshot snapshot;
  absl::StatusOr<std::vector<std::string>> running = db::RunningFleetRuns(connection);
  if (!running.ok()) return running.status();
  for (const std::string& run_id : *running) {
    absl::StatusOr<std::optional<db::FleetRunStatus>> run = db::LoadFleetRun(connection, run_id);
    if (!run.ok()) return run.status();
    if (!run->has_value() || (*run)->state != "running") continue;
    snapshot.running.push_back(
        {.run_id = run_id,
         .series_done = (*run)->series_done,
         .series_total = (*run)->series_total,
         .elapsed_seconds = absl::ToDoubleSeconds(now - (*run)->created_at)});
  }

  absl::StatusOr<std::optional<std::string>> latest = db::LatestSucceededFleetRun(connection);
  if (!latest.ok()) return latest.status();
  if (!latest->has_value()) return snapshot;
  const std::string& run_id = **latest;
  absl::StatusOr<db::FleetRunSummaryRow> summary = db::LoadFleetRunSummary(connection, run_id);
  if (!summary.ok()) return summary.status();
  snapshot.latest_run_id = run_id;
  snapshot.latest_run_seconds = summary->elapsed_seconds;
  for (const db::ModelWinsRow& model : summary->wins) {
    snapshot.models.push_back({.model = model.model,
                               .wins = model.wins,
                               .median_mape_percent = model.median_mape_percent});
  }
  absl::StatusOr<std::vector<db::DepartmentRollupRow>> departments =
      db::LoadDepartmentRollup(connection, run_id, "");
  if (!departments.ok()) return departments.status();
  for (const db::DepartmentRollupRow& department : *departments) {
    snapshot.departments.push_back({.department = department.department,
                                    .series_at_risk = department.series_at_risk,
                                    .hosts_at_risk = department.hosts_at_risk});
  }
  absl::StatusOr<std::vector<db::RiskRow>> risks =
      db::ListRisks(connection, run_id, "", 0, max_series);
  if (!risks.ok()) return risks.status();
  const double today = absl::ToDoubleSeconds(now - absl::UnixEpoch()) / 86400.0;
  for (const db::RiskRow& risk : *risks) {
    snapshot.series.push_back(
        {.host = risk.host_id,
         .resource = ResourceName(risk.resource),
         .department = risk.department,
         .days_to_breach = static_cast<double>(risk.first_breach_day) - today,
         .days_to_planned_action = static_cast<double>(risk.planned_action_day) - today});
  }
  return snapshot;
}

FleetMetricsRefresher::FleetMetricsRefresher(PoolProvider pool, FleetMetrics& metrics,
                                             absl::Duration interval, int max_series)
    : pool_(std::move(pool)), metrics_(metrics), interval_(interval), max_series_(max_series) {}

FleetMetricsRefresher::~FleetMetricsRefresher() { Stop(); }

void FleetMetricsRefresher::Start() {
  thread_ = std::thread([this] { Run(); });
}

void FleetMetricsRefresher::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FleetMetricsRefresher::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    if (std::shared_ptr<db::ConnectionPool> pool = pool_(); pool != nullptr) {
      const absl::Time now = absl::Now();
      absl::StatusOr<db::ConnectionPool::Lease> lease = pool->Acquire(kLeaseTimeout);
      absl::StatusOr<FleetSnapshot> snapshot = lease.ok()
                                                   ? ReadFleetSnapshot(**lease, now, max_series_)
                                                   : absl::StatusOr<FleetSnapshot>(lease.status());
      if (snapshot.ok()) {
        metrics_.Set(*snapshot, now);
      } else {
        Log(spdlog::level::warn, "fleet_metrics_not_read",
            {{"message", std::string(snapshot.status().message())}});
      }
    }
    lock.lock();
    wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] { return stopping_; });
  }
}

}  // namespace horizonscale::server

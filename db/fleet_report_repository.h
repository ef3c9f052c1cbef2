// Reading what tournament runs produced (db/migrations/0006_fleet_runs.sql):
// the run summary, the leaderboard and its model audit, one series'
// drill-down, and the risk report with its roll-ups.
//
// Pages are offsets into a fixed order; a succeeded run never changes, so an
// offset names the same position on every call.
//
// Thread safety: no state; calls on different connections may run
// concurrently. Database failures come back as UNAVAILABLE or INTERNAL.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <pqxx/pqxx>

#include "db/fleet_series.h"
#include "forecast/accuracy.h"
#include "forecast/forecast.h"

namespace horizonscale::db {

// Wins of one model (stored model name, e.g. "prophet").
struct ModelWinsRow {
  std::string model;
  int64_t wins = 0;
  // Median MAPE over the series it was scored on (NaN when none).
  double median_mape_percent = 0;
};

struct FleetRunSummaryRow {
  int64_t series_scored = 0;
  std::vector<ModelWinsRow> wins;  // every model scored, most wins first
  int64_t series_at_risk = 0;
  double elapsed_seconds = 0;  // creation to finish (or to now)
};

// The summary of a run.
absl::StatusOr<FleetRunSummaryRow> LoadFleetRunSummary(pqxx::connection& connection,
                                                       const std::string& run_id);

struct ScoreFilter {
  std::string host_id;   // empty: any
  int resource = 0;      // 0: any
  std::string scenario;  // empty: any (the host's scenario label)
  std::string model;     // empty: any (stored model name)
};

struct ScoreRow {
  std::string host_id;
  int resource = 0;
  std::string model;
  int rank = 0;  // 0: the model could not be fitted (error says why)
  forecast::Accuracy accuracy;
  std::string description;
  std::string error;
  int64_t backtest_start_day = 0;
  std::vector<forecast::ForecastValue> backtest;
};

// Scores of a run matching `filter`, ordered by host, resource, rank (unranked
// last) and model, from `offset`, at most `limit` (+1 to tell whether more
// follow: the caller asks for limit + 1). Backtests are not loaded.
absl::StatusOr<std::vector<ScoreRow>> ListScores(pqxx::connection& connection,
                                                 const std::string& run_id,
                                                 const ScoreFilter& filter, int64_t offset,
                                                 int64_t limit);

// Wins per model in one group ("" for the whole run).
struct AuditGroupRow {
  std::string group;
  std::vector<ModelWinsRow> wins;
};

struct ModelAuditRows {
  std::vector<ModelWinsRow> overall;
  std::vector<AuditGroupRow> per_resource;  // group: resource number as text
  std::vector<AuditGroupRow> per_scenario;  // group: scenario label ("" unlabelled)
};

// The model audit of a run (unfiltered).
absl::StatusOr<ModelAuditRows> LoadModelAudit(pqxx::connection& connection,
                                              const std::string& run_id);

// A stored future forecast.
struct ForecastRow {
  std::string model;
  int64_t start_day = 0;
  std::vector<forecast::ForecastValue> points;
};

struct HostForecastRows {
  std::vector<ScoreRow> scores;  // ranked first, with backtests
  std::optional<ForecastRow> champion;
  std::optional<ForecastRow> runner_up;
};

// The drill-down of one series in a run; scores empty when the run did not
// score it.
absl::StatusOr<HostForecastRows> LoadHostForecast(pqxx::connection& connection,
                                                  const std::string& run_id,
                                                  const std::string& host_id, int resource);

struct RiskRow {
  std::string host_id;
  int resource = 0;
  std::string department;
  std::string app_code;
  int64_t first_breach_day = 0;
  int64_t planned_action_day = 0;
  double peak_upper_percent = 0;
  std::string champion;
};

// Risks of a run (only `department`'s when not empty), earliest breach first
// (then host, resource), from `offset`, at most `limit`; limit < 0: all.
absl::StatusOr<std::vector<RiskRow>> ListRisks(pqxx::connection& connection,
                                               const std::string& run_id,
                                               const std::string& department, int64_t offset,
                                               int64_t limit);

struct DepartmentRollupRow {
  std::string department;
  int64_t hosts_at_risk = 0;
  int64_t series_at_risk = 0;
  int64_t earliest_breach_day = 0;
  std::vector<std::string> app_codes;  // sorted
};

// Risks rolled up by department (only `department` when not empty), sorted by
// department.
absl::StatusOr<std::vector<DepartmentRollupRow>> LoadDepartmentRollup(
    pqxx::connection& connection, const std::string& run_id, const std::string& department);

struct HealthRow {
  std::string department;
  int64_t red = 0;
  int64_t yellow = 0;
  int64_t green = 0;
};

// The run's series by health status per department (only `department` when
// not empty), sorted by department: red when in the risk list, yellow when
// not red but the champion's upper bound reaches `breach_percent` within
// its forecast or `warning_percent` within the first `risk_window_days`,
// green otherwise.
absl::StatusOr<std::vector<HealthRow>> LoadFleetHealth(
    pqxx::connection& connection, const std::string& run_id, const std::string& department,
    double breach_percent, double warning_percent, int risk_window_days);

struct MonthlyRiskRow {
  std::string department;
  std::string month;  // "YYYY-MM" of the first breach
  int64_t hosts = 0;
  int64_t series = 0;
};

// Series and hosts first breaching per department and month, sorted.
absl::StatusOr<std::vector<MonthlyRiskRow>> LoadMonthlyRisk(pqxx::connection& connection,
                                                            const std::string& run_id,
                                                            const std::string& department);

}  // namespace horizonscale::db

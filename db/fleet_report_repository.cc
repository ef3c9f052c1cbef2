#include "db/fleet_report_repository.h"

#include <cmath>
#include <map>

#include <absl/strings/str_cat.h>

#include "db/real_array.h"
#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

constexpr char kWinsSql[] = R"sql(
SELECT model, count(*) FILTER (WHERE rank = 1),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY mape_percent)
FROM fleet_scores WHERE run_id = $1::uuid AND rank > 0
GROUP BY model ORDER BY 2 DESC, model)sql";

constexpr char kSummarySql[] = R"sql(
SELECT (SELECT count(DISTINCT (host_id, resource)) FROM fleet_scores WHERE run_id = $1::uuid),
       (SELECT count(*) FROM fleet_risks WHERE run_id = $1::uuid),
       extract(epoch from coalesce(finished_at, now()) - created_at)
FROM fleet_runs WHERE run_id = $1::uuid)sql";

constexpr char kScoresSql[] = R"sql(
SELECT s.host_id, s.resource, s.model, s.rank, s.mape_percent, s.smape_percent, s.mase, s.rmse,
       s.interval_coverage, s.points_scored, s.zero_actuals, s.description,
       coalesce(s.error, ''), s.backtest_start - DATE '1970-01-01'
FROM fleet_scores s LEFT JOIN fleet_hosts h USING (host_id)
WHERE s.run_id = $1::uuid AND ($2 = '' OR s.host_id = $2) AND ($3::smallint = 0 OR s.resource = $3)
  AND ($4 = '' OR coalesce(h.scenario, '') = $4) AND ($5 = '' OR s.model = $5)
ORDER BY s.host_id, s.resource, s.rank = 0, s.rank, s.model
OFFSET $6 LIMIT $7)sql";

constexpr char kAuditByResourceSql[] = R"sql(
SELECT resource::text, model, count(*) FILTER (WHERE rank = 1),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY mape_percent)
FROM fleet_scores WHERE run_id = $1::uuid AND rank > 0
GROUP BY resource, model ORDER BY resource, 3 DESC, model)sql";

constexpr char kAuditByScenarioSql[] = R"sql(
SELECT coalesce(h.scenario, ''), s.model, count(*) FILTER (WHERE s.rank = 1),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.mape_percent)
FROM fleet_scores s LEFT JOIN fleet_hosts h USING (host_id)
WHERE s.run_id = $1::uuid AND s.rank > 0
GROUP BY 1, s.model ORDER BY 1, 3 DESC, s.model)sql";

constexpr char kHostScoresSql[] = R"sql(
SELECT host_id, resource, model, rank, mape_percent, smape_percent, mase, rmse,
       interval_coverage, points_scored, zero_actuals, description, coalesce(error, ''),
       backtest_start - DATE '1970-01-01', backtest_yhat::text, backtest_lower::text,
       backtest_upper::text
FROM fleet_scores WHERE run_id = $1::uuid AND host_id = $2 AND resource = $3
ORDER BY rank = 0, rank, model)sql";

constexpr char kHostForecastsSql[] = R"sql(
SELECT role, model, start_day - DATE '1970-01-01', yhat::text, lower::text, upper::text
FROM fleet_forecasts WHERE run_id = $1::uuid AND host_id = $2 AND resource = $3)sql";

constexpr char kRisksSql[] = R"sql(
SELECT host_id, resource, department, app_code, first_breach_day - DATE '1970-01-01',
       planned_action_day - DATE '1970-01-01', peak_upper_percent, champion
FROM fleet_risks WHERE run_id = $1::uuid AND ($2 = '' OR department = $2)
ORDER BY first_breach_day, host_id, resource
OFFSET $3 LIMIT NULLIF($4::bigint, -1))sql";

constexpr char kRollupSql[] = R"sql(
SELECT department, count(DISTINCT host_id), count(*),
       min(first_breach_day) - DATE '1970-01-01',
       array_to_string(array_agg(DISTINCT app_code ORDER BY app_code), E'\x1f')
FROM fleet_risks WHERE run_id = $1::uuid AND ($2 = '' OR department = $2)
GROUP BY department ORDER BY department)sql";

// Each series' champion forecast peaks (over the horizon and the risk
// window), whether it is in the risk list, and its department (the one the
// risk list recorded, else the host's).
constexpr char kHealthSql[] = R"sql(
WITH series AS (
  SELECT coalesce(r.department, h.department, '') AS department,
         r.host_id IS NOT NULL AS at_risk,
         (SELECT max(u) FROM unnest(f.upper) AS u) AS peak,
         (SELECT max(u) FROM unnest(f.upper[1:$5]) AS u) AS window_peak
  FROM fleet_forecasts f
  LEFT JOIN fleet_hosts h ON h.host_id = f.host_id
  LEFT JOIN fleet_risks r
    ON r.run_id = f.run_id AND r.host_id = f.host_id AND r.resource = f.resource
  WHERE f.run_id = $1::uuid AND f.role = 'champion')
SELECT department,
       count(*) FILTER (WHERE at_risk),
       count(*) FILTER (WHERE NOT at_risk AND (peak >= $3 OR window_peak >= $4)),
       count(*) FILTER (WHERE NOT at_risk AND NOT (peak >= $3 OR window_peak >= $4))
FROM series WHERE $2 = '' OR department = $2
GROUP BY department ORDER BY department)sql";

constexpr char kMonthlySql[] = R"sql(
SELECT department, to_char(first_breach_day, 'YYYY-MM'), count(DISTINCT host_id), count(*)
FROM fleet_risks WHERE run_id = $1::uuid AND ($2 = '' OR department = $2)
GROUP BY 1, 2 ORDER BY 1, 2)sql";

double OptionalDouble(const pqxx::field& field) {
  return field.is_null() ? NAN : field.as<double>();
}

std::vector<ModelWinsRow> ReadWins(const pqxx::result& rows) {
  std::vector<ModelWinsRow> wins;
  for (const pqxx::row& row : rows) {
    wins.push_back({row[0].as<std::string>(), row[1].as<int64_t>(), OptionalDouble(row[2])});
  }
  return wins;
}

// Groups rows of (group, model, wins, median) into AuditGroupRows.
std::vector<AuditGroupRow> ReadGroups(const pqxx::result& rows) {
  std::vector<AuditGroupRow> groups;
  for (const pqxx::row& row : rows) {
    const std::string group = row[0].as<std::string>();
    if (groups.empty() || groups.back().group != group) groups.push_back({group, {}});
    groups.back().wins.push_back(
        {row[1].as<std::string>(), row[2].as<int64_t>(), OptionalDouble(row[3])});
  }
  return groups;
}

// A ScoreRow from columns 0..13 of `row`.
ScoreRow ReadScore(const pqxx::row& row) {
  ScoreRow score;
  score.host_id = row[0].as<std::string>();
  score.resource = row[1].as<int>();
  score.model = row[2].as<std::string>();
  score.rank = row[3].as<int>();
  score.accuracy.mape_percent = OptionalDouble(row[4]);
  score.accuracy.smape_percent = OptionalDouble(row[5]);
  score.accuracy.mase = OptionalDouble(row[6]);
  score.accuracy.rmse = OptionalDouble(row[7]);
  score.accuracy.interval_coverage = OptionalDouble(row[8]);
  score.accuracy.points_scored = row[9].as<int64_t>();
  score.accuracy.zero_actuals = row[10].as<int64_t>();
  score.description = row[11].as<std::string>();
  score.error = row[12].as<std::string>();
  score.backtest_start_day = row[13].as<int64_t>();
  return score;
}

// Forecasts from three array columns starting at `column` (empty when NULL).
absl::StatusOr<std::vector<forecast::ForecastValue>> ReadArrays(const pqxx::row& row, int column) {
  if (row[column].is_null()) return std::vector<forecast::ForecastValue>();
  std::vector<std::vector<double>> arrays;
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<std::vector<double>> values =
        ParseRealArray(std::string_view(row[column + i].c_str(), row[column + i].size()));
    if (!values.ok()) return values.status();
    arrays.push_back(*std::move(values));
  }
  if (arrays[1].size() != arrays[0].size() || arrays[2].size() != arrays[0].size()) {
    return absl::DataLossError("forecast arrays of different lengths");
  }
  std::vector<forecast::ForecastValue> points(arrays[0].size());
  for (size_t i = 0; i < points.size(); ++i) points[i] = {arrays[0][i], arrays[1][i], arrays[2][i]};
  return points;
}

}  // namespace

absl::StatusOr<FleetRunSummaryRow> LoadFleetRunSummary(pqxx::connection& connection,
                                                       const std::string& run_id) {
  return RunSql<FleetRunSummaryRow>("summarising a fleet run", [&] {
    pqxx::read_transaction tx(connection);
    FleetRunSummaryRow summary;
    summary.wins = ReadWins(tx.exec_params(kWinsSql, run_id));
    const pqxx::result rows = tx.exec_params(kSummarySql, run_id);
    if (!rows.empty()) {
      summary.series_scored = rows[0][0].as<int64_t>();
      summary.series_at_risk = rows[0][1].as<int64_t>();
      summary.elapsed_seconds = rows[0][2].as<double>();
    }
    return summary;
  });
}

absl::StatusOr<std::vector<ScoreRow>> ListScores(pqxx::connection& connection,
                                                 const std::string& run_id,
                                                 const ScoreFilter& filter, int64_t offset,
                                                 int64_t limit) {
  return RunSql<std::vector<ScoreRow>>("listing fleet scores", [&] {
    pqxx::read_transaction tx(connection);
    std::vector<ScoreRow> scores;
    for (const pqxx::row& row : tx.exec_params(kScoresSql, run_id, filter.host_id, filter.resource,
                                               filter.scenario, filter.model, offset, limit)) {
      scores.push_back(ReadScore(row));
    }
    return scores;
  });
}

absl::StatusOr<ModelAuditRows> LoadModelAudit(pqxx::connection& connection,
                                              const std::string& run_id) {
  return RunSql<ModelAuditRows>("loading the model audit", [&] {
    pqxx::read_transaction tx(connection);
    ModelAuditRows audit;
    audit.overall = ReadWins(tx.exec_params(kWinsSql, run_id));
    audit.per_resource = ReadGroups(tx.exec_params(kAuditByResourceSql, run_id));
    audit.per_scenario = ReadGroups(tx.exec_params(kAuditByScenarioSql, run_id));
    return audit;
  });
}

absl::StatusOr<HostForecastRows> LoadHostForecast(pqxx::connection& connection,
                                                  const std::string& run_id,
                                                  const std::string& host_id, int resource) {
  return RunSql<HostForecastRows>(
      "loading a host forecast", [&]() -> absl::StatusOr<HostForecastRows> {
        pqxx::read_transaction tx(connection);
        HostForecastRows out;
        for (const pqxx::row& row : tx.exec_params(kHostScoresSql, run_id, host_id, resource)) {
          ScoreRow score = ReadScore(row);
          absl::StatusOr<std::vector<forecast::ForecastValue>> backtest = ReadArrays(row, 14);
          if (!backtest.ok()) return backtest.status();
          score.backtest = *std::move(backtest);
          out.scores.push_back(std::move(score));
        }
        for (const pqxx::row& row : tx.exec_params(kHostForecastsSql, run_id, host_id, resource)) {
          ForecastRow forecast;
          forecast.model = row[1].as<std::string>();
          forecast.start_day = row[2].as<int64_t>();
          absl::StatusOr<std::vector<forecast::ForecastValue>> points = ReadArrays(row, 3);
          if (!points.ok()) return points.status();
          forecast.points = *std::move(points);
          (row[0].as<std::string>() == "champion" ? out.champion : out.runner_up) =
              std::move(forecast);
        }
        return out;
      });
}

absl::StatusOr<std::vector<RiskRow>> ListRisks(pqxx::connection& connection,
                                               const std::string& run_id,
                                               const std::string& department, int64_t offset,
                                               int64_t limit) {
  return RunSql<std::vector<RiskRow>>("listing fleet risks", [&] {
    pqxx::read_transaction tx(connection);
    const int64_t bounded = limit >= 0 ? limit : -1;  // -1: all
    std::vector<RiskRow> risks;
    for (const pqxx::row& row : tx.exec_params(kRisksSql, run_id, department, offset, bounded)) {
      risks.push_back({row[0].as<std::string>(), row[1].as<int>(), row[2].as<std::string>(),
                       row[3].as<std::string>(), row[4].as<int64_t>(), row[5].as<int64_t>(),
                       row[6].as<double>(), row[7].as<std::string>()});
    }
    return risks;
  });
}

absl::StatusOr<std::vector<DepartmentRollupRow>> LoadDepartmentRollup(
    pqxx::connection& connection, const std::string& run_id, const std::string& department) {
  return RunSql<std::vector<DepartmentRollupRow>>("rolling up fleet risks", [&] {
    pqxx::read_transaction tx(connection);
    std::vector<DepartmentRollupRow> rollup;
    for (const pqxx::row& row : tx.exec_params(kRollupSql, run_id, department)) {
      DepartmentRollupRow department_row{row[0].as<std::string>(),
                                         row[1].as<int64_t>(),
                                         row[2].as<int64_t>(),
                                         row[3].as<int64_t>(),
                                         {}};
      const std::string codes = row[4].as<std::string>();
      size_t start = 0;
      while (start <= codes.size() && !codes.empty()) {
        const size_t end = codes.find('\x1f', start);
        department_row.app_codes.push_back(codes.substr(start, end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
      rollup.push_back(std::move(department_row));
    }
    return rollup;
  });
}

absl::StatusOr<std::vector<HealthRow>> LoadFleetHealth(
    pqxx::connection& connection, const std::string& run_id, const std::string& department,
    double breach_percent, double warning_percent, int risk_window_days) {
  return RunSql<std::vector<HealthRow>>("counting the fleet's series by health", [&] {
    pqxx::read_transaction tx(connection);
    std::vector<HealthRow> health;
    for (const pqxx::row& row : tx.exec_params(kHealthSql, run_id, department, breach_percent,
                                               warning_percent, risk_window_days)) {
      health.push_back({row[0].as<std::string>(), row[1].as<int64_t>(), row[2].as<int64_t>(),
                        row[3].as<int64_t>()});
    }
    return health;
  });
}

absl::StatusOr<std::vector<MonthlyRiskRow>> LoadMonthlyRisk(pqxx::connection& connection,
                                                            const std::string& run_id,
                                                            const std::string& department) {
  return RunSql<std::vector<MonthlyRiskRow>>("summarising fleet risks by month", [&] {
    pqxx::read_transaction tx(connection);
    std::vector<MonthlyRiskRow> months;
    for (const pqxx::row& row : tx.exec_params(kMonthlySql, run_id, department)) {
      months.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int64_t>(),
                        row[3].as<int64_t>()});
    }
    return months;
  });
}

}  // namespace horizonscale::db

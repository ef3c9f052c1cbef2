#include "db/fleet_run_repository.h"

#include <array>
#include <string_view>

#include <absl/strings/escaping.h>
#include <absl/strings/str_cat.h>

#include "db/copy_line.h"
#include "db/fleet_series_codec.h"
#include "db/real_array.h"
#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

using forecast::ForecastValue;

constexpr char kInsertRunSql[] = R"sql(
INSERT INTO fleet_runs (run_id, request_id, request_fingerprint, config, state, created_at,
                        series_total)
VALUES ($1::uuid, NULLIF($2, ''), decode($3, 'hex'), $4::jsonb, 'running', now(), 0)
ON CONFLICT (request_id) DO NOTHING
RETURNING run_id::text)sql";

constexpr char kRunByRequestSql[] =
    "SELECT run_id::text, request_fingerprint FROM fleet_runs WHERE request_id = $1";

constexpr char kAssignSeriesSql[] = R"sql(
INSERT INTO fleet_run_series (run_id, host_id, resource, shard)
SELECT $1::uuid, host_id, resource,
       ((row_number() OVER (ORDER BY host_id, resource) - 1) / $2::integer + 1)::integer
FROM fleet_series)sql";

constexpr char kCreateShardsSql[] = R"sql(
INSERT INTO fleet_run_shards (run_id, shard, state, series_count)
SELECT $1::uuid, shard, 'pending', count(*) FROM fleet_run_series WHERE run_id = $1::uuid
GROUP BY shard)sql";

constexpr char kCreateFleetPhaseShardSql[] = R"sql(
INSERT INTO fleet_run_shards (run_id, shard, state, series_count)
SELECT $1::uuid, 0, 'pending', count(*) FROM fleet_run_series WHERE run_id = $1::uuid
HAVING count(*) > 0)sql";

constexpr char kSetTotalSql[] = R"sql(
UPDATE fleet_runs SET series_total = (SELECT count(*) FROM fleet_run_series WHERE run_id = $1::uuid)
WHERE run_id = $1::uuid
RETURNING series_total)sql";

constexpr char kSucceedEmptySql[] =
    "UPDATE fleet_runs SET state = 'succeeded', finished_at = now() WHERE run_id = $1::uuid";

constexpr char kLoadRunSql[] = R"sql(
SELECT r.run_id::text, r.state, r.config::text, r.series_total,
       (SELECT coalesce(sum(series_count), 0) FROM fleet_run_shards
        WHERE run_id = r.run_id AND shard > 0 AND state = 'done'),
       (extract(epoch from r.created_at) * 1000000)::bigint,
       (extract(epoch from r.finished_at) * 1000000)::bigint, coalesce(r.error, '')
FROM fleet_runs r WHERE r.run_id = $1::uuid)sql";

constexpr char kClaimSql[] = R"sql(
SELECT shard FROM fleet_run_shards
WHERE run_id = $1::uuid AND state = 'pending'
ORDER BY shard
FOR UPDATE SKIP LOCKED
LIMIT 1)sql";

constexpr char kFleetPhasePendingSql[] = R"sql(
SELECT 1 FROM fleet_run_shards WHERE run_id = $1::uuid AND shard = 0 AND state = 'pending')sql";

constexpr char kShardSeriesSql[] = R"sql(
SELECT s.host_id, s.resource, s.days, s.utilization, coalesce(h.department, ''),
       coalesce(h.app_code, ''), coalesce(h.scenario, '')
FROM fleet_run_series r
JOIN fleet_series s USING (host_id, resource)
LEFT JOIN fleet_hosts h USING (host_id)
WHERE r.run_id = $1::uuid AND ($2::integer = 0 OR r.shard = $2::integer)
ORDER BY s.host_id, s.resource)sql";

constexpr char kBoostedSql[] = R"sql(
SELECT b.host_id, b.resource, b.backtest_yhat::text, b.backtest_lower::text,
       b.backtest_upper::text, b.future_yhat::text, b.future_lower::text, b.future_upper::text
FROM fleet_run_series r
JOIN fleet_boosted_forecasts b USING (run_id, host_id, resource)
WHERE r.run_id = $1::uuid AND r.shard = $2::integer
ORDER BY b.host_id, b.resource)sql";

constexpr char kMarkDoneSql[] = R"sql(
UPDATE fleet_run_shards
SET state = 'done', worker = $3, finished_at = now(), elapsed_seconds = $4
WHERE run_id = $1::uuid AND shard = $2::integer AND state = 'pending')sql";

constexpr char kCompleteSql[] = R"sql(
UPDATE fleet_runs SET state = 'succeeded', finished_at = now()
WHERE run_id = $1::uuid AND state = 'running'
  AND NOT EXISTS (SELECT 1 FROM fleet_run_shards
                  WHERE run_id = $1::uuid AND state = 'pending'))sql";

constexpr char kFailSql[] = R"sql(
UPDATE fleet_runs SET state = 'failed', finished_at = now(), error = $2
WHERE run_id = $1::uuid AND state = 'running')sql";

// The columns each COPY writes, in the order its lines append fields.
constexpr auto kScoreColumns = std::to_array<std::string_view>(
    {"run_id", "host_id", "resource", "model", "rank", "mape_percent", "smape_percent", "mase",
     "rmse", "interval_coverage", "points_scored", "zero_actuals", "description", "error",
     "backtest_start", "backtest_yhat", "backtest_lower", "backtest_upper"});
constexpr auto kForecastColumns = std::to_array<std::string_view>(
    {"run_id", "host_id", "resource", "role", "model", "start_day", "yhat", "lower", "upper"});
constexpr auto kRiskColumns = std::to_array<std::string_view>(
    {"run_id", "host_id", "resource", "department", "app_code", "first_breach_day",
     "planned_action_day", "peak_upper_percent", "champion"});
constexpr auto kBoostedColumns = std::to_array<std::string_view>(
    {"run_id", "host_id", "resource", "backtest_yhat", "backtest_lower", "backtest_upper",
     "future_yhat", "future_lower", "future_upper"});

std::optional<absl::Time> MicrosToTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::FromUnixMicros(field.as<int64_t>());
}

// Appends the yhat, lower and upper arrays of `forecasts`.
void AppendForecastArrays(CopyLine& line, const std::vector<ForecastValue>& forecasts) {
  std::vector<double> yhat, lower, upper;
  yhat.reserve(forecasts.size());
  lower.reserve(forecasts.size());
  upper.reserve(forecasts.size());
  for (const ForecastValue& f : forecasts) {
    yhat.push_back(f.value);
    lower.push_back(f.lower);
    upper.push_back(f.upper);
  }
  line.RealArray(yhat).RealArray(lower).RealArray(upper);
}

// Reads three array columns starting at `column` into forecasts.
absl::StatusOr<std::vector<ForecastValue>> ReadForecastArrays(const pqxx::row& row, int column) {
  auto text = [&](int i) { return std::string_view(row[i].c_str(), row[i].size()); };
  absl::StatusOr<std::vector<double>> yhat = ParseRealArray(text(column));
  absl::StatusOr<std::vector<double>> lower = ParseRealArray(text(column + 1));
  absl::StatusOr<std::vector<double>> upper = ParseRealArray(text(column + 2));
  if (!yhat.ok()) return yhat.status();
  if (!lower.ok()) return lower.status();
  if (!upper.ok()) return upper.status();
  if (lower->size() != yhat->size() || upper->size() != yhat->size()) {
    return absl::DataLossError("forecast arrays of different lengths");
  }
  std::vector<ForecastValue> forecasts(yhat->size());
  for (size_t i = 0; i < forecasts.size(); ++i) {
    forecasts[i] = {(*yhat)[i], (*lower)[i], (*upper)[i]};
  }
  return forecasts;
}

// The fleet_scores line of one model's backtest.
CopyLine ScoreLine(const std::string& run_id, const RunSeries& series,
                   const forecast::ModelResult& model, int64_t backtest_start) {
  CopyLine line;
  line.Text(run_id).Text(series.series.host_id).Int(series.series.resource);
  line.Text(forecast::ModelName(model.kind)).Int(model.rank);
  if (model.status.ok()) {
    line.Double(model.accuracy.mape_percent)
        .Double(model.accuracy.smape_percent)
        .Double(model.accuracy.mase)
        .Double(model.accuracy.rmse)
        .Double(model.accuracy.interval_coverage);
  } else {
    line.Null().Null().Null().Null().Null();
  }
  line.Int(model.accuracy.points_scored).Int(model.accuracy.zero_actuals).Text(model.description);
  if (model.status.ok()) {
    line.Null();
  } else {
    line.Text(std::string(model.status.message()));
  }
  line.Date(backtest_start);
  if (model.status.ok()) {
    AppendForecastArrays(line, model.backtest);
  } else {
    line.Null().Null().Null();
  }
  return line;
}

// Every model's score of every series in `outcomes`; a series that failed
// before its tournament gets a failed score per model it was to fit.
void CopyScores(pqxx::work& tx, const std::string& run_id,
                const std::vector<SeriesOutcome>& outcomes) {
  CopyTable<kScoreColumns.size()> copy(tx, "fleet_scores", kScoreColumns);
  for (const SeriesOutcome& outcome : outcomes) {
    const RunSeries& series = *outcome.series;
    if (outcome.tournament != nullptr) {
      for (const forecast::ModelResult& model : outcome.tournament->models) {
        copy.Write(ScoreLine(run_id, series, model, outcome.tournament->backtest_first_day));
      }
      continue;
    }
    const int64_t backtest_start = series.series.days.empty() ? 0 : series.series.days.back();
    for (forecast::ModelKind kind : outcome.models) {
      forecast::ModelResult failed;
      failed.kind = kind;
      failed.status = absl::FailedPreconditionError(outcome.error);
      copy.Write(ScoreLine(run_id, series, failed, backtest_start));
    }
  }
  copy.Complete();
}

// The champion's and the runner-up's future forecasts of every tournament.
void CopyForecasts(pqxx::work& tx, const std::string& run_id,
                   const std::vector<SeriesOutcome>& outcomes) {
  CopyTable<kForecastColumns.size()> copy(tx, "fleet_forecasts", kForecastColumns);
  for (const SeriesOutcome& outcome : outcomes) {
    if (outcome.tournament == nullptr) continue;
    const forecast::SeriesTournament& tournament = *outcome.tournament;
    const forecast::ModelResult* roles[] = {&tournament.champion(), tournament.runner_up()};
    const char* role_names[] = {"champion", "runner_up"};
    for (int i = 0; i < 2; ++i) {
      if (roles[i] == nullptr) continue;
      CopyLine line;
      line.Text(run_id).Text(outcome.series->series.host_id).Int(outcome.series->series.resource);
      line.Text(role_names[i]).Text(forecast::ModelName(roles[i]->kind));
      line.Date(tournament.future_first_day);
      AppendForecastArrays(line, roles[i]->future);
      copy.Write(line);
    }
  }
  copy.Complete();
}

// The breach risk of every tournament that found one.
void CopyRisks(pqxx::work& tx, const std::string& run_id,
               const std::vector<SeriesOutcome>& outcomes) {
  CopyTable<kRiskColumns.size()> copy(tx, "fleet_risks", kRiskColumns);
  for (const SeriesOutcome& outcome : outcomes) {
    if (outcome.tournament == nullptr || !outcome.tournament->risk.has_value()) continue;
    const forecast::BreachRisk& risk = *outcome.tournament->risk;
    copy.Write(CopyLine()
                   .Text(run_id)
                   .Text(outcome.series->series.host_id)
                   .Int(outcome.series->series.resource)
                   .Text(outcome.series->host.department)
                   .Text(outcome.series->host.app_code)
                   .Date(risk.first_breach_day)
                   .Date(risk.planned_action_day)
                   .Double(risk.peak_upper_percent)
                   .Text(forecast::ModelName(outcome.tournament->champion().kind)));
  }
  copy.Complete();
}

}  // namespace

absl::StatusOr<CreatedRun> CreateFleetRun(pqxx::connection& connection, const NewFleetRun& run) {
  return RunSql<CreatedRun>("creating a fleet run", [&]() -> absl::StatusOr<CreatedRun> {
    if (run.request_id.find('\0') != std::string::npos) {
      return absl::InvalidArgumentError("request_id contains a NUL character");
    }
    pqxx::work tx(connection);
    const std::string fingerprint_hex = ByteaHex(run.request_fingerprint).substr(2);
    const pqxx::result inserted =
        tx.exec_params(kInsertRunSql, run.run_id, run.request_id, fingerprint_hex, run.config_json);
    if (inserted.empty()) {
      const pqxx::row existing = tx.exec_params1(kRunByRequestSql, run.request_id);
      const std::string holder = existing[0].as<std::string>();
      if (!existing[1].is_null() &&
          pqxx::binarystring(existing[1]).str() != run.request_fingerprint) {
        return absl::AlreadyExistsError(absl::StrCat(
            "request_id \"", absl::CHexEscape(run.request_id), "\" already identifies run ", holder,
            ", started for a different request; a retry must repeat its request "
            "unchanged, and a new run needs a new request_id"));
      }
      return CreatedRun{holder, false};
    }
    tx.exec_params0(kAssignSeriesSql, run.run_id, run.shard_size);
    tx.exec_params0(kCreateShardsSql, run.run_id);
    if (run.fleet_phase) tx.exec_params0(kCreateFleetPhaseShardSql, run.run_id);
    const int64_t total = tx.exec_params1(kSetTotalSql, run.run_id)[0].as<int64_t>();
    if (total == 0) tx.exec_params0(kSucceedEmptySql, run.run_id);
    tx.commit();
    return CreatedRun{run.run_id, true};
  });
}

absl::StatusOr<std::optional<FleetRunStatus>> LoadFleetRun(pqxx::connection& connection,
                                                           const std::string& run_id) {
  using Result = std::optional<FleetRunStatus>;
  return RunSql<Result>("loading a fleet run", [&]() -> Result {
    pqxx::read_transaction tx(connection);
    const pqxx::result rows = tx.exec_params(kLoadRunSql, run_id);
    if (rows.empty()) return std::nullopt;
    const pqxx::row& row = rows[0];
    FleetRunStatus status;
    status.run_id = row[0].as<std::string>();
    status.state = row[1].as<std::string>();
    status.config_json = row[2].as<std::string>();
    status.series_total = row[3].as<int64_t>();
    status.series_done = row[4].as<int64_t>();
    status.created_at = *MicrosToTime(row[5]);
    status.finished_at = MicrosToTime(row[6]);
    status.error = row[7].as<std::string>();
    return status;
  });
}

absl::StatusOr<std::optional<std::string>> LatestSucceededFleetRun(pqxx::connection& connection) {
  using Result = std::optional<std::string>;
  return RunSql<Result>("finding the latest fleet run", [&]() -> Result {
    pqxx::read_transaction tx(connection);
    const pqxx::result rows = tx.exec(
        "SELECT run_id::text FROM fleet_runs WHERE state = 'succeeded' "
        "ORDER BY created_at DESC, run_id DESC LIMIT 1");
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
  });
}

absl::StatusOr<std::vector<std::string>> RunningFleetRuns(pqxx::connection& connection) {
  return RunSql<std::vector<std::string>>("listing running fleet runs", [&] {
    pqxx::read_transaction tx(connection);
    std::vector<std::string> runs;
    for (const pqxx::row& row :
         tx.exec("SELECT run_id::text FROM fleet_runs WHERE state = 'running' "
                 "ORDER BY created_at, run_id")) {
      runs.push_back(row[0].as<std::string>());
    }
    return runs;
  });
}

absl::StatusOr<ShardClaim> ClaimShard(pqxx::work& tx, const std::string& run_id) {
  return RunSql<ShardClaim>("claiming a shard", [&]() -> ShardClaim {
    const pqxx::result claimed = tx.exec_params(kClaimSql, run_id);
    if (claimed.empty()) return {ShardClaim::Outcome::kNoneLeft, 0};
    const int shard = claimed[0][0].as<int>();
    if (shard > 0 && !tx.exec_params(kFleetPhasePendingSql, run_id).empty()) {
      return {ShardClaim::Outcome::kWaitForFleetPhase, 0};
    }
    return {ShardClaim::Outcome::kClaimed, shard};
  });
}

absl::StatusOr<std::vector<RunSeries>> LoadShardSeries(pqxx::work& tx, const std::string& run_id,
                                                       int shard) {
  using Result = std::vector<RunSeries>;
  return RunSql<Result>("loading a shard's series", [&]() -> absl::StatusOr<Result> {
    const pqxx::result rows = tx.exec_params(kShardSeriesSql, run_id, shard);
    Result series(rows.size());
    for (pqxx::result::size_type i = 0; i < rows.size(); ++i) {
      RunSeries& out = series[i];
      out.series.host_id = rows[i][0].as<std::string>();
      out.series.resource = rows[i][1].as<int>();
      const pqxx::binarystring days(rows[i][2]), values(rows[i][3]);
      absl::Status decoded = DecodeSeries(std::string_view(days.get(), days.size()),
                                          std::string_view(values.get(), values.size()),
                                          out.series.days, out.series.utilization);
      if (!decoded.ok()) {
        return absl::DataLossError(absl::StrCat("fleet_series row (", out.series.host_id, ", ",
                                                out.series.resource, "): ", decoded.message()));
      }
      out.host = {out.series.host_id, rows[i][4].as<std::string>(), rows[i][5].as<std::string>(),
                  rows[i][6].as<std::string>()};
    }
    return series;
  });
}

absl::Status StoreBoostedForecasts(pqxx::work& tx, const std::string& run_id,
                                   const std::vector<BoostedForecastRow>& rows) {
  return RunSql<bool>("storing boosted forecasts",
                      [&] {
                        CopyTable<kBoostedColumns.size()> copy(tx, "fleet_boosted_forecasts",
                                                               kBoostedColumns);
                        for (const BoostedForecastRow& row : rows) {
                          CopyLine line;
                          line.Text(run_id).Text(row.host_id).Int(row.resource);
                          AppendForecastArrays(line, row.forecasts.backtest);
                          AppendForecastArrays(line, row.forecasts.future);
                          copy.Write(line);
                        }
                        copy.Complete();
                        return true;
                      })
      .status();
}

absl::StatusOr<std::vector<BoostedForecastRow>> LoadBoostedForecasts(pqxx::work& tx,
                                                                     const std::string& run_id,
                                                                     int shard) {
  using Result = std::vector<BoostedForecastRow>;
  return RunSql<Result>("loading boosted forecasts", [&]() -> absl::StatusOr<Result> {
    Result out;
    for (const pqxx::row& row : tx.exec_params(kBoostedSql, run_id, shard)) {
      BoostedForecastRow boosted;
      boosted.host_id = row[0].as<std::string>();
      boosted.resource = row[1].as<int>();
      absl::StatusOr<std::vector<ForecastValue>> backtest = ReadForecastArrays(row, 2);
      absl::StatusOr<std::vector<ForecastValue>> future = ReadForecastArrays(row, 5);
      if (!backtest.ok()) return backtest.status();
      if (!future.ok()) return future.status();
      boosted.forecasts.kind = forecast::ModelKind::kXgboost;
      boosted.forecasts.backtest = *std::move(backtest);
      boosted.forecasts.future = *std::move(future);
      out.push_back(std::move(boosted));
    }
    return out;
  });
}

absl::Status StoreShardResults(pqxx::work& tx, const std::string& run_id, int shard,
                               const std::vector<SeriesOutcome>& outcomes,
                               const std::string& worker, absl::Duration elapsed) {
  absl::Status stored = RunSql<bool>("storing a shard's results", [&] {
                          CopyScores(tx, run_id, outcomes);
                          CopyForecasts(tx, run_id, outcomes);
                          CopyRisks(tx, run_id, outcomes);
                          return true;
                        }).status();
  if (!stored.ok()) return stored;
  return MarkShardDone(tx, run_id, shard, worker, elapsed);
}

absl::Status MarkShardDone(pqxx::work& tx, const std::string& run_id, int shard,
                           const std::string& worker, absl::Duration elapsed) {
  return RunSql<bool>("marking a shard done",
                      [&]() -> absl::StatusOr<bool> {
                        const pqxx::result updated = tx.exec_params(
                            kMarkDoneSql, run_id, shard, worker, absl::ToDoubleSeconds(elapsed));
                        if (updated.affected_rows() != 1) {
                          return absl::AbortedError(absl::StrCat(
                              "shard ", shard, " of run ", run_id, " was not pending any more"));
                        }
                        return true;
                      })
      .status();
}

absl::StatusOr<bool> CompleteFleetRunIfDone(pqxx::connection& connection,
                                            const std::string& run_id) {
  return RunSql<bool>("completing a fleet run", [&] {
    pqxx::work tx(connection);
    const pqxx::result updated = tx.exec_params(kCompleteSql, run_id);
    tx.commit();
    return updated.affected_rows() == 1;
  });
}

absl::Status FailFleetRun(pqxx::connection& connection, const std::string& run_id,
                          const std::string& error) {
  return RunSql<bool>("failing a fleet run",
                      [&] {
                        pqxx::work tx(connection);
                        tx.exec_params(kFailSql, run_id, error);
                        tx.commit();
                        return true;
                      })
      .status();
}

}  // namespace horizonscale::db

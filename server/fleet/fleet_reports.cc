#include "server/fleet/fleet_reports.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "db/copy_line.h"
#include "db/fleet_report_repository.h"
#include "db/fleet_repository.h"
#include "db/fleet_run_repository.h"
#include "forecast/fleet/fleet_refinery.h"
#include "server/common/database_lease.h"
#include "server/common/errors.h"
#include "server/common/field_checks.h"
#include "server/common/forecast_model.h"
#include "server/common/page_size.h"
#include "server/common/page_token.h"
#include "server/common/proto_time.h"
#include "server/common/uuid.h"
#include "server/fleet/competition_config.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

namespace {

constexpr int kDefaultPageSize = 100;

const char* ResourceName(int resource) {
  switch (resource) {
    case v1::RESOURCE_CPU:
      return "cpu";
    case v1::RESOURCE_MEMORY:
      return "memory";
    case v1::RESOURCE_DISK:
      return "disk";
    case v1::RESOURCE_NETWORK:
      return "network";
    default:
      return "unknown";
  }
}

absl::Time DayStart(int64_t day) { return absl::FromUnixSeconds(day * 86400); }

v1::ForecastModel ToProtoModelName(const std::string& name) {
  const std::optional<forecast::ModelKind> kind = forecast::ModelKindFromName(name);
  return kind.has_value() ? ToProtoModel(*kind) : v1::FORECAST_MODEL_UNSPECIFIED;
}

void CheckRunId(FieldChecks& checks, const std::string& run_id) {
  if (!run_id.empty() && !IsUuid(run_id)) {
    checks.Fail("run_id", "not a UUID", reason::kInvalidRequest);
  }
}

// The run a request reads: `requested`, or the latest succeeded one. Sets
// `run`.
grpc::Status ResolveRun(pqxx::connection& connection, const std::string& requested,
                        db::FleetRunStatus& run) {
  std::string run_id = requested;
  if (run_id.empty()) {
    absl::StatusOr<std::optional<std::string>> latest = db::LatestSucceededFleetRun(connection);
    if (!latest.ok()) return DatabaseFailure(latest.status());
    if (!latest->has_value()) {
      return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                       "no tournament run has succeeded yet; start one with RunCompetition");
    }
    run_id = **latest;
  }
  absl::StatusOr<std::optional<db::FleetRunStatus>> loaded = db::LoadFleetRun(connection, run_id);
  if (!loaded.ok()) return DatabaseFailure(loaded.status());
  if (!loaded->has_value()) {
    return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                     absl::StrCat("no run ", run_id), {{"run_id", "no such run"}});
  }
  run = **std::move(loaded);
  return grpc::Status::OK;
}

// Leases a connection into `lease` and resolves the run a request reads
// into `run` (see ResolveRun).
grpc::Status OpenRun(const std::shared_ptr<db::ConnectionPool>& pool, const std::string& run_id,
                     std::optional<db::ConnectionPool::Lease>& lease, db::FleetRunStatus& run) {
  if (grpc::Status leased = LeaseConnection(pool, lease); !leased.ok()) return leased;
  return ResolveRun(**lease, run_id, run);
}

// The offset a page starts at: 0 without a token, else the token's (which
// must have been made for `scope`).
grpc::Status PageStart(const std::string& scope, const std::string& token, int64_t& offset) {
  offset = 0;
  if (token.empty()) return grpc::Status::OK;
  std::optional<int64_t> decoded = DecodeOffsetPageToken(scope, token);
  if (!decoded.has_value()) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                     "page_token is not a token of this listing",
                     {{"page_token", "malformed, or made for another run or filter"}});
  }
  offset = *decoded;
  return grpc::Status::OK;
}

void ToProtoWins(const std::vector<db::ModelWinsRow>& rows,
                 google::protobuf::RepeatedPtrField<v1::ModelWins>& out) {
  for (const db::ModelWinsRow& row : rows) {
    v1::ModelWins& wins = *out.Add();
    wins.set_model(ToProtoModelName(row.model));
    wins.set_wins(row.wins);
    wins.set_median_mape_percent(row.median_mape_percent);
  }
}

void ToProtoPoints(const std::vector<forecast::ForecastValue>& points, int64_t first_day,
                   double level, google::protobuf::RepeatedPtrField<v1::ForecastPoint>& out) {
  for (size_t i = 0; i < points.size(); ++i) {
    v1::ForecastPoint& point = *out.Add();
    *point.mutable_time() = ToProtoTimestamp(DayStart(first_day + static_cast<int64_t>(i)));
    point.set_value(points[i].value);
    point.set_lower(points[i].lower);
    point.set_upper(points[i].upper);
    point.set_confidence_level(level);
  }
}

// A CSV field, quoted when it must be (RFC 4180).
std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// The interval level of a run's config (its default when unreadable).
v1::CompetitionConfig RunConfig(const db::FleetRunStatus& run) {
  absl::StatusOr<v1::CompetitionConfig> config = ConfigFromJson(run.config_json);
  return WithDefaults(config.ok() ? *config : v1::CompetitionConfig());
}

}  // namespace

grpc::Status GetLeaderboard(const std::shared_ptr<db::ConnectionPool>& pool,
                            const v1::GetLeaderboardRequest& request,
                            v1::GetLeaderboardResponse& response) {
  FieldChecks checks;
  CheckRunId(checks, request.run_id());
  checks.Text("host_id", request.host_id(), reason::kInvalidRequest);
  checks.Text("scenario", request.scenario(), reason::kInvalidRequest);
  if (!v1::Resource_IsValid(request.resource())) {
    checks.Fail("resource", "unknown resource", reason::kInvalidRequest);
  }
  if (!v1::ForecastModel_IsValid(request.model())) {
    checks.Fail("model", "unknown model", reason::kInvalidRequest);
  }
  const int page_size = PageSize(checks, request.page_size(), kDefaultPageSize);
  if (!checks.ok()) return checks.ToStatus();

  std::optional<db::ConnectionPool::Lease> lease;
  db::FleetRunStatus run;
  if (grpc::Status opened = OpenRun(pool, request.run_id(), lease, run); !opened.ok()) {
    return opened;
  }

  db::ScoreFilter filter{.host_id = request.host_id(),
                         .resource = request.resource(),
                         .scenario = request.scenario(),
                         .model = ""};
  if (request.model() != v1::FORECAST_MODEL_UNSPECIFIED) {
    for (forecast::ModelKind kind :
         {forecast::ModelKind::kEwma, forecast::ModelKind::kHolt, forecast::ModelKind::kHoltWinters,
          forecast::ModelKind::kLinear, forecast::ModelKind::kSeasonal,
          forecast::ModelKind::kSeasonalNaive, forecast::ModelKind::kProphet,
          forecast::ModelKind::kXgboost}) {
      if (ToProtoModel(kind) == request.model()) filter.model = forecast::ModelName(kind);
    }
    if (filter.model.empty()) filter.model = "none";  // AUTO: no tournament model
  }
  const std::string scope = absl::StrCat("leaderboard|", run.run_id, "|", filter.host_id, "|",
                                         filter.resource, "|", filter.scenario, "|", filter.model);
  int64_t offset = 0;
  if (grpc::Status valid = PageStart(scope, request.page_token(), offset); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<std::vector<db::ScoreRow>> scores =
      db::ListScores(**lease, run.run_id, filter, offset, page_size + 1);
  if (!scores.ok()) return DatabaseFailure(scores.status());
  absl::StatusOr<db::ModelAuditRows> audit = db::LoadModelAudit(**lease, run.run_id);
  if (!audit.ok()) return DatabaseFailure(audit.status());

  response.set_run_id(run.run_id);
  for (size_t i = 0; i < scores->size() && i < static_cast<size_t>(page_size); ++i) {
    const db::ScoreRow& score = (*scores)[i];
    v1::LeaderboardEntry& entry = *response.add_entries();
    entry.set_host_id(score.host_id);
    entry.set_resource(static_cast<v1::Resource>(score.resource));
    entry.set_model(ToProtoModelName(score.model));
    ToProto(score.accuracy, *entry.mutable_accuracy());
    entry.set_rank(score.rank);
    entry.set_champion(score.rank == 1);
  }
  if (scores->size() > static_cast<size_t>(page_size)) {
    response.set_next_page_token(EncodeOffsetPageToken(scope, offset + page_size));
  }
  v1::ModelAudit& out = *response.mutable_audit();
  ToProtoWins(audit->overall, *out.mutable_overall());
  for (const db::AuditGroupRow& group : audit->per_resource) {
    v1::ModelAuditGroup& row = *out.add_per_resource();
    int resource = 0;
    (void)absl::SimpleAtoi(group.group, &resource);
    row.set_group(ResourceName(resource));
    ToProtoWins(group.wins, *row.mutable_wins());
  }
  for (const db::AuditGroupRow& group : audit->per_scenario) {
    v1::ModelAuditGroup& row = *out.add_per_scenario();
    row.set_group(group.group);
    ToProtoWins(group.wins, *row.mutable_wins());
  }
  return grpc::Status::OK;
}

grpc::Status GetHostForecast(const std::shared_ptr<db::ConnectionPool>& pool,
                             const v1::GetHostForecastRequest& request,
                             v1::GetHostForecastResponse& response) {
  FieldChecks checks;
  CheckRunId(checks, request.run_id());
  if (request.host_id().empty()) checks.Fail("host_id", "required", reason::kInvalidRequest);
  checks.Text("host_id", request.host_id(), reason::kInvalidRequest);
  if (request.resource() == v1::RESOURCE_UNSPECIFIED || !v1::Resource_IsValid(request.resource())) {
    checks.Fail("resource", "required: one of cpu, memory, disk, network", reason::kInvalidRequest);
  }
  if (!checks.ok()) return checks.ToStatus();

  std::optional<db::ConnectionPool::Lease> lease;
  db::FleetRunStatus run;
  if (grpc::Status opened = OpenRun(pool, request.run_id(), lease, run); !opened.ok()) {
    return opened;
  }
  absl::StatusOr<db::HostForecastRows> rows =
      db::LoadHostForecast(**lease, run.run_id, request.host_id(), request.resource());
  if (!rows.ok()) return DatabaseFailure(rows.status());
  if (rows->scores.empty()) {
    return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                     absl::StrCat("run ", run.run_id, " did not score ", request.host_id(), " ",
                                  ResourceName(request.resource())),
                     {{"host_id", "not scored by this run"}});
  }
  db::FleetSeriesFilter series_filter;
  series_filter.host_ids = {request.host_id()};
  series_filter.resource = request.resource();
  absl::StatusOr<std::vector<db::FleetSeries>> history =
      db::LoadFleetSeries(**lease, series_filter);
  if (!history.ok()) return DatabaseFailure(history.status());

  response.set_run_id(run.run_id);
  if (!history->empty()) {
    absl::StatusOr<forecast::DailySeries> prepared =
        forecast::PrepareDailySeries(history->front().days, history->front().utilization);
    if (prepared.ok()) {
      for (size_t i = 0; i < prepared->values.size(); ++i) {
        v1::SeriesPoint& point = *response.add_history();
        *point.mutable_time() =
            ToProtoTimestamp(DayStart(prepared->first_day + static_cast<int64_t>(i)));
        point.set_value(prepared->values[i]);
      }
    }
  }
  const double level = RunConfig(run).interval_level();
  const auto fill = [&](const db::ScoreRow& score, const std::optional<db::ForecastRow>& future,
                        v1::ModelForecast& out) {
    out.set_model(ToProtoModelName(score.model));
    ToProto(score.accuracy, *out.mutable_accuracy());
    ToProtoPoints(score.backtest, score.backtest_start_day, level, *out.mutable_backtest());
    if (future.has_value() && future->model == score.model) {
      ToProtoPoints(future->points, future->start_day, level, *out.mutable_forecast());
    }
  };
  if (rows->scores[0].rank == 1)
    fill(rows->scores[0], rows->champion, *response.mutable_champion());
  if (rows->scores.size() > 1 && rows->scores[1].rank == 2) {
    fill(rows->scores[1], rows->runner_up, *response.mutable_runner_up());
  }
  return grpc::Status::OK;
}

// The upper-bound level that makes a series yellow (HealthCounts).
constexpr double kWarningLevelPercent = 80;

grpc::Status GetRiskReport(const std::shared_ptr<db::ConnectionPool>& pool,
                           const v1::GetRiskReportRequest& request,
                           v1::GetRiskReportResponse& response) {
  FieldChecks checks;
  CheckRunId(checks, request.run_id());
  checks.Text("department", request.department(), reason::kInvalidRequest);
  const int page_size = PageSize(checks, request.page_size(), kDefaultPageSize);
  if (!checks.ok()) return checks.ToStatus();

  std::optional<db::ConnectionPool::Lease> lease;
  db::FleetRunStatus run;
  if (grpc::Status opened = OpenRun(pool, request.run_id(), lease, run); !opened.ok()) {
    return opened;
  }
  const std::string scope = absl::StrCat("risk|", run.run_id, "|", request.department());
  int64_t offset = 0;
  if (grpc::Status valid = PageStart(scope, request.page_token(), offset); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<std::vector<db::RiskRow>> risks =
      db::ListRisks(**lease, run.run_id, request.department(), offset, page_size + 1);
  if (!risks.ok()) return DatabaseFailure(risks.status());
  absl::StatusOr<std::vector<db::DepartmentRollupRow>> rollup =
      db::LoadDepartmentRollup(**lease, run.run_id, request.department());
  if (!rollup.ok()) return DatabaseFailure(rollup.status());

  const v1::CompetitionConfig config = RunConfig(run);
  absl::StatusOr<std::vector<db::HealthRow>> health = db::LoadFleetHealth(
      **lease, run.run_id, request.department(), config.breach_threshold_percent(),
      kWarningLevelPercent, config.risk_window_days());
  if (!health.ok()) return DatabaseFailure(health.status());
  response.set_warning_level_percent(kWarningLevelPercent);
  v1::HealthCounts& fleet = *response.mutable_fleet_health();
  for (const db::HealthRow& row : *health) {
    v1::HealthCounts& out = *response.add_department_health();
    out.set_department(row.department);
    out.set_red(row.red);
    out.set_yellow(row.yellow);
    out.set_green(row.green);
    fleet.set_red(fleet.red() + row.red);
    fleet.set_yellow(fleet.yellow() + row.yellow);
    fleet.set_green(fleet.green() + row.green);
  }
  response.set_run_id(run.run_id);
  response.set_interval_level(config.interval_level());
  response.set_breach_threshold_percent(config.breach_threshold_percent());
  *response.mutable_risk_window() = ToProtoDuration(absl::Hours(24) * config.risk_window_days());
  for (size_t i = 0; i < risks->size() && i < static_cast<size_t>(page_size); ++i) {
    const db::RiskRow& risk = (*risks)[i];
    v1::RiskEntry& entry = *response.add_entries();
    entry.set_host_id(risk.host_id);
    entry.set_resource(static_cast<v1::Resource>(risk.resource));
    entry.set_department(risk.department);
    entry.set_app_code(risk.app_code);
    *entry.mutable_first_breach_time() = ToProtoTimestamp(DayStart(risk.first_breach_day));
    *entry.mutable_planned_action_time() = ToProtoTimestamp(DayStart(risk.planned_action_day));
    entry.set_peak_upper_percent(risk.peak_upper_percent);
    entry.set_champion(ToProtoModelName(risk.champion));
  }
  if (risks->size() > static_cast<size_t>(page_size)) {
    response.set_next_page_token(EncodeOffsetPageToken(scope, offset + page_size));
  }
  for (const db::DepartmentRollupRow& row : *rollup) {
    v1::DepartmentRollup& out = *response.add_departments();
    out.set_department(row.department);
    out.set_hosts_at_risk(row.hosts_at_risk);
    out.set_series_at_risk(row.series_at_risk);
    *out.mutable_earliest_breach_time() = ToProtoTimestamp(DayStart(row.earliest_breach_day));
    for (const std::string& code : row.app_codes) out.add_app_codes(code);
  }
  if (request.include_csv()) {
    absl::StatusOr<std::vector<db::RiskRow>> all =
        db::ListRisks(**lease, run.run_id, request.department(), 0, -1);
    if (!all.ok()) return DatabaseFailure(all.status());
    std::string csv =
        "host_id,resource,department,app_code,first_breach_date,planned_action_date,"
        "peak_upper_percent,champion\n";
    for (const db::RiskRow& risk : *all) {
      absl::StrAppend(&csv, CsvField(risk.host_id), ",", ResourceName(risk.resource), ",",
                      CsvField(risk.department), ",", CsvField(risk.app_code), ",",
                      db::IsoDate(risk.first_breach_day), ",", db::IsoDate(risk.planned_action_day),
                      ",", absl::StrFormat("%.2f", risk.peak_upper_percent), ",", risk.champion,
                      "\n");
    }
    response.set_risk_exceptions_csv(std::move(csv));
    absl::StatusOr<std::vector<db::MonthlyRiskRow>> months =
        db::LoadMonthlyRisk(**lease, run.run_id, request.department());
    if (!months.ok()) return DatabaseFailure(months.status());
    std::string monthly = "department,month,hosts_at_risk,series_at_risk\n";
    for (const db::MonthlyRiskRow& month : *months) {
      absl::StrAppend(&monthly, CsvField(month.department), ",", month.month, ",", month.hosts, ",",
                      month.series, "\n");
    }
    response.set_monthly_summary_csv(std::move(monthly));
  }
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

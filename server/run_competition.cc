#include "server/run_competition.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>

#include "db/fleet_report_repository.h"
#include "db/fleet_run_repository.h"
#include "forecast/model.h"
#include "server/competition_config.h"
#include "server/database_lease.h"
#include "server/errors.h"
#include "server/field_checks.h"
#include "server/forecast_model.h"
#include "server/proto_time.h"
#include "server/uuid.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

namespace {

v1::RunState ToRunState(const std::string& state) {
  if (state == "running") return v1::RUN_STATE_RUNNING;
  if (state == "succeeded") return v1::RUN_STATE_SUCCEEDED;
  if (state == "failed") return v1::RUN_STATE_FAILED;
  return v1::RUN_STATE_UNSPECIFIED;
}

// Creates the run the request asks for, or finds the one it names; sets
// `run_id`.
grpc::Status StartOrFindRun(const v1::RunCompetitionRequest& request,
                            const RunCompetitionContext& context, std::string& run_id) {
  if (!request.run_id().empty()) {
    if (!IsUuid(request.run_id())) {
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                       "run_id must be a UUID", {{"run_id", "not a UUID"}});
    }
    run_id = request.run_id();
    return grpc::Status::OK;
  }
  if (FieldChecks checks;
      !checks.Text("request_id", request.request_id(), reason::kInvalidRequest)) {
    return checks.ToStatus();
  }
  if (grpc::Status valid = ValidateCompetitionConfig(request.config(), "config."); !valid.ok()) {
    return valid;
  }
  const v1::CompetitionConfig config = WithDefaults(request.config());
  const CompetitionPlan plan = ToCompetitionPlan(config);
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(context.pool, lease); !leased.ok()) return leased;
  absl::StatusOr<db::CreatedRun> created =
      db::CreateFleetRun(**lease, {.run_id = NewUuid(),
                                   .request_id = request.request_id(),
                                   .config_json = ConfigToJson(config),
                                   .shard_size = plan.shard_size,
                                   .fleet_phase = plan.fleet_phase()});
  if (!created.ok()) return DatabaseFailure(created.status());
  run_id = created->run_id;
  if (created->created && context.wake_workers) context.wake_workers();
  return grpc::Status::OK;
}

// The summary of a finished run.
grpc::Status FillSummary(pqxx::connection& connection, const db::FleetRunStatus& run,
                         v1::RunSummary& summary) {
  absl::StatusOr<db::FleetRunSummaryRow> row = db::LoadFleetRunSummary(connection, run.run_id);
  if (!row.ok()) return DatabaseFailure(row.status());
  summary.set_series(row->series_scored);
  summary.set_series_at_risk(row->series_at_risk);
  *summary.mutable_elapsed() =
      ToProtoDuration(run.finished_at.value_or(absl::Now()) - run.created_at);
  for (const db::ModelWinsRow& wins : row->wins) {
    v1::ModelWins& out = *summary.add_wins();
    const std::optional<forecast::ModelKind> kind = forecast::ModelKindFromName(wins.model);
    out.set_model(kind.has_value() ? ToProtoModel(*kind) : v1::FORECAST_MODEL_UNSPECIFIED);
    out.set_wins(wins.wins);
    out.set_median_mape_percent(wins.median_mape_percent);
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status RunCompetition(grpc::ServerContext& context, const v1::RunCompetitionRequest& request,
                            grpc::ServerWriter<v1::RunCompetitionResponse>& writer,
                            const RunCompetitionContext& run_context) {
  std::string run_id;
  if (grpc::Status started = StartOrFindRun(request, run_context, run_id); !started.ok()) {
    return started;
  }
  // The scoring rate is measured over this stream's observations.
  std::optional<std::pair<absl::Time, int64_t>> first_seen;
  int64_t last_sent_done = -1;
  absl::Time last_sent = absl::InfinitePast();
  while (true) {
    if (context.IsCancelled()) {
      return MakeError(grpc::StatusCode::CANCELLED, reason::kInvalidRequest,
                       absl::StrCat("the client went away; run ", run_id, " goes on"));
    }
    absl::StatusOr<std::optional<db::FleetRunStatus>> run;
    {
      std::optional<db::ConnectionPool::Lease> lease;
      if (grpc::Status leased = LeaseConnection(run_context.pool, lease); !leased.ok()) {
        return leased;
      }
      run = db::LoadFleetRun(**lease, run_id);
      if (run.ok() && run->has_value() && (*run)->state != "running") {
        v1::RunCompetitionResponse last;
        last.set_run_id(run_id);
        last.set_state(ToRunState((*run)->state));
        last.set_series_done((*run)->series_done);
        last.set_series_total((*run)->series_total);
        last.set_error((*run)->error);
        if (grpc::Status filled = FillSummary(**lease, **run, *last.mutable_summary());
            !filled.ok()) {
          return filled;
        }
        writer.Write(last);
        return grpc::Status::OK;
      }
    }
    if (!run.ok()) return DatabaseFailure(run.status());
    if (!run->has_value()) {
      return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                       absl::StrCat("no run ", run_id), {{"run_id", "no such run"}});
    }
    const db::FleetRunStatus& status = **run;
    const absl::Time now = absl::Now();
    if (!first_seen.has_value()) first_seen = {now, status.series_done};
    if (status.series_done != last_sent_done || now - last_sent >= absl::Seconds(5)) {
      v1::RunCompetitionResponse progress;
      progress.set_run_id(run_id);
      progress.set_state(v1::RUN_STATE_RUNNING);
      progress.set_series_done(status.series_done);
      progress.set_series_total(status.series_total);
      const double seconds = absl::ToDoubleSeconds(now - first_seen->first);
      const int64_t scored = status.series_done - first_seen->second;
      if (seconds > 0 && scored > 0) {
        const double rate = scored / seconds;
        progress.set_series_per_second(rate);
        *progress.mutable_eta() =
            ToProtoDuration(absl::Seconds((status.series_total - status.series_done) / rate));
      }
      if (!writer.Write(progress)) {
        return MakeError(grpc::StatusCode::CANCELLED, reason::kInvalidRequest,
                         absl::StrCat("the client went away; run ", run_id, " goes on"));
      }
      last_sent_done = status.series_done;
      last_sent = now;
    }
    absl::SleepFor(run_context.poll_interval);
  }
}

}  // namespace horizonscale::server

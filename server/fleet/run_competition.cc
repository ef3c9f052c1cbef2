#include "server/fleet/run_competition.h"

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>

#include "db/fleet_report_repository.h"
#include "db/fleet_run_repository.h"
#include "forecast/model.h"
#include "server/common/database_lease.h"
#include "server/common/errors.h"
#include "server/common/field_checks.h"
#include "server/common/forecast_model.h"
#include "server/common/proto_time.h"
#include "server/common/request_fingerprint.h"
#include "server/common/uuid.h"
#include "server/fleet/competition_config.h"
#include "server/fleet/competition_config_checks.h"

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
  if (request.request_id().find('\0') != std::string::npos) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                     "request_id must not contain NUL characters",
                     {{"request_id", "contains a NUL character"}});
  }
  if (grpc::Status valid = ValidateCompetitionConfig(request.config(), "config."); !valid.ok()) {
    return valid;
  }
  const v1::CompetitionConfig config = WithDefaults(request.config());
  const CompetitionPlan plan = ToCompetitionPlan(config);
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = LeaseConnection(context.pool, lease); !leased.ok()) return leased;
  absl::StatusOr<db::CreatedRun> created = db::CreateFleetRun(
      **lease, {.run_id = NewUuid(),
                .request_id = request.request_id(),
                .request_fingerprint =
                    request.request_id().empty() ? std::string() : RequestFingerprint(request),
                .config_json = ConfigToJson(config),
                .shard_size = plan.shard_size,
                .fleet_phase = plan.fleet_phase()});
  if (created.status().code() == absl::StatusCode::kAlreadyExists) {
    return MakeError(grpc::StatusCode::ALREADY_EXISTS, reason::kIdempotencyKeyReused,
                     std::string(created.status().message()),
                     {{"request_id", "already used for a different request"}});
  }
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

CompetitionStream::Step Ending(grpc::Status status) {
  CompetitionStream::Step step;
  step.end = std::move(status);
  return step;
}

CompetitionStream::Step Sending(v1::RunCompetitionResponse message,
                                std::optional<grpc::Status> end = std::nullopt) {
  CompetitionStream::Step step;
  step.message = std::move(message);
  step.end = std::move(end);
  return step;
}

}  // namespace

CompetitionStream::CompetitionStream(v1::RunCompetitionRequest request,
                                     RunCompetitionContext run_context)
    : request_(std::move(request)), run_context_(std::move(run_context)) {}

grpc::Status CompetitionStream::ClientGone() const {
  return MakeError(grpc::StatusCode::CANCELLED, reason::kInvalidRequest,
                   absl::StrCat("the client went away; run ", run_id_, " goes on"));
}

CompetitionStream::Step CompetitionStream::Next(bool cancelled) {
  if (run_id_.empty()) {
    if (grpc::Status started = StartOrFindRun(request_, run_context_, run_id_); !started.ok()) {
      return Ending(started);
    }
  }
  if (cancelled) return Ending(ClientGone());
  absl::StatusOr<std::optional<db::FleetRunStatus>> run;
  {
    std::optional<db::ConnectionPool::Lease> lease;
    if (grpc::Status leased = LeaseConnection(run_context_.pool, lease); !leased.ok()) {
      return Ending(leased);
    }
    run = db::LoadFleetRun(**lease, run_id_);
    if (run.ok() && run->has_value() && (*run)->state != "running") {
      v1::RunCompetitionResponse last;
      last.set_run_id(run_id_);
      last.set_state(ToRunState((*run)->state));
      last.set_series_done((*run)->series_done);
      last.set_series_total((*run)->series_total);
      last.set_error((*run)->error);
      if (grpc::Status filled = FillSummary(**lease, **run, *last.mutable_summary());
          !filled.ok()) {
        return Ending(filled);
      }
      return Sending(std::move(last), grpc::Status::OK);
    }
  }
  if (!run.ok()) return Ending(DatabaseFailure(run.status()));
  if (!run->has_value()) {
    return Ending(MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                            absl::StrCat("no run ", run_id_), {{"run_id", "no such run"}}));
  }
  const db::FleetRunStatus& status = **run;
  const absl::Time now = absl::Now();
  if (!first_seen_.has_value()) first_seen_ = {now, status.series_done};
  if (status.series_done == last_sent_done_ && now - last_sent_ < absl::Seconds(5)) return {};
  v1::RunCompetitionResponse progress;
  progress.set_run_id(run_id_);
  progress.set_state(v1::RUN_STATE_RUNNING);
  progress.set_series_done(status.series_done);
  progress.set_series_total(status.series_total);
  const double seconds = absl::ToDoubleSeconds(now - first_seen_->first);
  const int64_t scored = status.series_done - first_seen_->second;
  if (seconds > 0 && scored > 0) {
    const double rate = scored / seconds;
    progress.set_series_per_second(rate);
    *progress.mutable_eta() =
        ToProtoDuration(absl::Seconds((status.series_total - status.series_done) / rate));
  }
  last_sent_done_ = status.series_done;
  last_sent_ = now;
  return Sending(std::move(progress));
}

}  // namespace horizonscale::server

#include "server/planner/generate_plan.h"

#include <chrono>

#include "db/plan_repository.h"
#include "db/queue_repository.h"
#include "forecast/status_reason.h"
#include "planner/planner.h"
#include "server/common/database_lease.h"
#include "server/common/errors.h"
#include "server/common/request_fingerprint.h"
#include "server/common/uuid.h"
#include "server/planner/plan_queries.h"
#include "server/planner/plan_request.h"
#include "server/planner/plan_response.h"
#include "server/planner/plan_validation.h"
#include "server/planner/queue_checks.h"
#include "server/planner/queue_settings.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

// The answer to a request_id reused with a different request (`refused`
// says which plan holds the key).
grpc::Status KeyReused(const absl::Status& refused) {
  return MakeError(grpc::StatusCode::ALREADY_EXISTS, reason::kIdempotencyKeyReused,
                   std::string(refused.message()),
                   {{"request_id", "already used for a different request on this queue"}});
}

// The planner's failure as the API reports it.
grpc::Status FromPlannerError(const absl::Status& status) {
  if (IsInsufficientHistory(status)) {
    return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kInsufficientHistory,
                     std::string(status.message()), {{"history", std::string(status.message())}});
  }
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kConfigInvalid,
                     std::string(status.message()),
                     {{"config.forecast_model", std::string(status.message())}});
  }
  return MakeError(grpc::StatusCode::INTERNAL, reason::kForecastFailed,
                   std::string(status.message()));
}

}  // namespace

absl::StatusOr<db::QueueHistory> LoadHistory(const std::shared_ptr<db::ConnectionPool>& pool,
                                             const std::string& queue, absl::Time now,
                                             absl::Duration window, absl::Duration cell) {
  if (pool == nullptr) return db::QueueHistory{};
  absl::StatusOr<db::ConnectionPool::Lease> lease = pool->Acquire(kLeaseTimeout);
  if (!lease.ok()) return lease.status();
  return db::LoadQueueHistory(**lease, queue, now, window, cell);
}

absl::StatusOr<std::optional<db::QueueSettings>> LoadSettings(
    const std::shared_ptr<db::ConnectionPool>& pool, const std::string& queue) {
  absl::StatusOr<db::ConnectionPool::Lease> lease = pool->Acquire(kLeaseTimeout);
  if (!lease.ok()) return lease.status();
  return db::LoadQueueSettings(**lease, queue);
}

PlanGenerator::PlanGenerator(PoolProvider pool, bool persist_plans, int64_t max_simulation_events,
                             QueueHistoryCache& history, QueueSettingsCache& settings)
    : pool_(std::move(pool)),
      persist_plans_(persist_plans),
      max_simulation_events_(max_simulation_events),
      history_(history),
      settings_(settings) {}

PlanGenerator::~PlanGenerator() { Stop(); }

void PlanGenerator::Stop() {
  forecast_reselector_.Stop();
  std::lock_guard lock(writer_mutex_);
  if (writer_ != nullptr) writer_->Stop();
}

db::PlanWriter* PlanGenerator::Writer(const std::shared_ptr<db::ConnectionPool>& pool) {
  std::lock_guard lock(writer_mutex_);
  if (writer_ == nullptr) {
    db::PlanWriter::BatchObserver on_batch;
    if (process_metrics_ != nullptr) {
      on_batch = [metrics = process_metrics_](int plans, double seconds) {
        metrics->PlanBatchCommitted(plans, seconds);
      };
    }
    writer_ = std::make_unique<db::PlanWriter>(pool, /*threads=*/1, /*max_batch=*/256,
                                               std::move(on_batch));
  }
  return writer_.get();
}

bool PlanGenerator::MayBlock(const v1::GeneratePlanRequest& request) const {
  return persist_plans_ || request.validate_by_simulation();
}

grpc::Status PlanGenerator::Prepare(grpc::CallbackServerContext* context,
                                    const v1::GeneratePlanRequest& request,
                                    v1::GeneratePlanResponse& response,
                                    std::optional<PendingCommit>& commit, bool keep) {
  std::shared_ptr<db::ConnectionPool> pool;
  if (persist_plans_) pool = pool_();
  // The queue's stored settings under the request's own fields (a queue
  // name that is not valid is refused by the validation below, unread).
  v1::Slo slo = request.slo();
  v1::PlannerConfig config_fields = request.config();
  if (pool != nullptr && IsQueueName(request.queue())) {
    absl::StatusOr<std::shared_ptr<const QueueSettings>> stored =
        settings_.Get(request.queue(), absl::Now(),
                      [&](const std::string& queue) { return LoadSettings(pool, queue); });
    if (!stored.ok()) return DatabaseFailure(stored.status());
    slo = (*stored)->slo;
    OverlaySetFields(request.slo(), slo);
    config_fields = (*stored)->config;
    OverlaySetFields(request.config(), config_fields);
  }

  // Validate and map to the domain.
  planner::PlanRequest plan_request;
  if (grpc::Status valid = ToPlanRequest(request, slo, config_fields, absl::Now(), &plan_request);
      !valid.ok()) {
    return valid;
  }
  if (persist_plans_ && pool == nullptr) return DatabaseNotReachableYet();

  // History: from memory, or the database when the entry is missing or old.
  const planner::PlannerConfig& config = plan_request.config;
  const absl::Time now = plan_request.current.time;
  // Intervals finer than the cache's cells read the database directly.
  absl::StatusOr<db::QueueHistory> history =
      config.planning_interval < QueueHistoryCache::kCell
          ? LoadHistory(pool, request.queue(), now, config.history_window, config.planning_interval)
          : history_.Get(request.queue(), now, config.history_window,
                         [&](const std::string& queue, absl::Time at, absl::Duration window) {
                           return LoadHistory(pool, queue, at, window, QueueHistoryCache::kCell);
                         });
  if (!history.ok()) return DatabaseFailure(history.status());
  std::vector<planner::QueueSample> metrics = plan_request.history;  // inline history
  metrics.push_back(plan_request.current);
  plan_request.history.insert(plan_request.history.end(), history->samples.begin(),
                              history->samples.end());
  // A derived plan is applied by someone else's actuator (the HPA, whose
  // own stabilization damps it): no cooldown from the recorded actions.
  if (keep) plan_request.last_action = history->last_action;

  // Compute, with an automatic forecast selection reused from the queue's
  // earlier plans (renewed in the background once an hour old).
  ForecastChoiceCache::Lookup choice;
  if (!config.forecast_model.has_value()) {
    choice = forecast_choices_.Find(request.queue(), now);
    plan_request.forecast_choice = choice.choice;
  }
  absl::StatusOr<planner::PlanResult> result = planner::GeneratePlan(plan_request);
  if (choice.renew) {
    if (result.ok() && result->forecast_choice_reused) {
      planner::PlanRequest renewal = plan_request;
      renewal.forecast_choice = nullptr;
      forecast_reselector_.Submit(request.queue(), std::move(renewal));
    } else {
      forecast_choices_.Abandon(request.queue());
    }
  }
  if (!result.ok()) return FromPlannerError(result.status());
  if (result->forecast_choice != nullptr && !result->forecast_choice_reused) {
    forecast_choices_.Store(request.queue(), result->forecast_choice, now);
  }
  if (request.fail_if_slo_unachievable() && !result->plan.slo_achievable) {
    return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kSloUnachievable,
                     result->slo_unachievable_reason,
                     {{"config.max_workers", result->slo_unachievable_reason}});
  }

  // Map back (and validate by simulation, on the domain result).
  db::PlanWrite write;
  db::PlanRecord& record = write.record;
  record.plan_id = NewUuid();
  record.queue = request.queue();
  record.request_id = request.request_id();
  if (!record.request_id.empty()) record.request_fingerprint = RequestFingerprint(request);
  record.plan = result->plan;
  record.forecast_window = config.forecast_window;
  record.safety_margin = config.safety_margin;
  response =
      ToGeneratePlanResponse(*result, {record.plan_id, record.queue, record.request_id}, config);
  if (request.validate_by_simulation()) {
    const auto simulation_start = std::chrono::steady_clock::now();
    absl::StatusOr<double> achievement =
        SimulatedSloAchievement(*result, plan_request, record.plan_id, max_simulation_events_,
                                [context] { return context != nullptr && context->IsCancelled(); });
    if (planner_metrics_ != nullptr) {
      planner_metrics_->SimulationRan(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - simulation_start)
              .count(),
          /*validation=*/true);
    }
    if (!achievement.ok()) {
      return FromAbsl(achievement.status(),
                      achievement.status().code() == absl::StatusCode::kResourceExhausted
                          ? reason::kSimulationTooLarge
                          : reason::kInternal,
                      {{"validate_by_simulation", std::string(achievement.status().message())}});
    }
    response.set_simulated_slo_achievement(*achievement);
  }

  // Persist (the commit answers), or record in memory only.
  if (!keep) return grpc::Status::OK;
  if (pool != nullptr) {
    record.response = response.SerializeAsString();
    write.metrics = metrics;
    commit.emplace(PendingCommit{pool, record.response, std::move(write), std::move(metrics),
                                 planner::ImmediateAction(result->plan)});
    return grpc::Status::OK;
  }
  history_.Record(request.queue(), metrics, planner::ImmediateAction(result->plan));
  if (metrics_observer_) metrics_observer_(request.queue(), metrics.back());
  return grpc::Status::OK;
}

grpc::Status PlanGenerator::Derive(const v1::GeneratePlanRequest& request,
                                   v1::GeneratePlanResponse& response) {
  std::optional<PendingCommit> unused;
  return Prepare(/*context=*/nullptr, request, response, unused, /*keep=*/false);
}

void PlanGenerator::Generate(grpc::CallbackServerContext* context,
                             const v1::GeneratePlanRequest& request,
                             v1::GeneratePlanResponse& response, UnaryDone done) {
  std::optional<PendingCommit> commit;
  const grpc::Status prepared = Prepare(context, request, response, commit);
  if (!prepared.ok() || !commit.has_value()) {
    done(prepared);
    return;
  }
  // Answer once the batch holding the plan has committed; no thread waits
  // for it meanwhile. A stuck database cannot hold the call past the
  // client's deadline: gRPC ends it then, and the plan may still be
  // committed afterwards (a retry with the same request_id returns it).
  db::PlanWriter* writer = Writer(commit->pool);
  db::PlanWrite write = std::move(commit->write);
  auto after = std::make_shared<PendingCommit>(std::move(*commit));
  writer->Submit(std::move(write),
                 [this, done = std::move(done), &response, queue = request.queue(),
                  commit = std::move(after)](absl::StatusOr<std::string> sent) {
                   if (sent.status().code() == absl::StatusCode::kAlreadyExists) {
                     done(KeyReused(sent.status()));
                   } else if (!sent.ok()) {
                     done(DatabaseFailure(sent.status()));
                   } else if (*sent != commit->own_answer) {
                     // A retry: the first answer, whose action is already recorded.
                     history_.Record(queue, commit->metrics, std::nullopt);
                     done(ParseStoredResponse(*sent, &response));
                   } else {
                     history_.Record(queue, commit->metrics, commit->action);
                     if (metrics_observer_) metrics_observer_(queue, commit->metrics.back());
                     done(grpc::Status::OK);
                   }
                 });
}

}  // namespace horizonscale::server

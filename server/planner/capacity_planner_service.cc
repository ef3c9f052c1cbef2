#include "server/planner/capacity_planner_service.h"

#include <chrono>
#include <limits>

#include <absl/strings/str_cat.h>
#include <absl/time/time.h>

#include "db/plan_repository.h"
#include "forecast/status_reason.h"
#include "planner/planner.h"
#include "planner/sizing.h"
#include "server/common/database_lease.h"
#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/common/page_token.h"
#include "server/common/request_fingerprint.h"
#include "server/common/text_checks.h"
#include "server/common/uuid.h"
#include "server/planner/evaluate_queue.h"
#include "server/planner/get_forecasts.h"
#include "server/planner/plan_request.h"
#include "server/planner/plan_response.h"
#include "server/planner/queue_checks.h"
#include "server/planner/simulate.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 1000;

grpc::Status ParseStored(const std::string& bytes, v1::GeneratePlanResponse* response) {
  if (!response->ParseFromString(bytes)) {
    return MakeError(grpc::StatusCode::DATA_LOSS, reason::kInternal,
                     "a stored plan could not be decoded");
  }
  return grpc::Status::OK;
}

// The answer to a request_id reused with a different request (`refused`
// says which plan holds the key).
grpc::Status KeyReused(const absl::Status& refused) {
  return MakeError(grpc::StatusCode::ALREADY_EXISTS, reason::kIdempotencyKeyReused,
                   std::string(refused.message()),
                   {{"request_id", "already used for a different request on this queue"}});
}

}  // namespace

CapacityPlannerServiceImpl::CapacityPlannerServiceImpl(const CallRuntime& runtime,
                                                       PoolProvider pool, bool persist_plans,
                                                       int64_t max_simulation_events)
    : runtime_(runtime),
      pool_(std::move(pool)),
      persist_plans_(persist_plans),
      max_simulation_events_(max_simulation_events),
      // Memory-only serving keeps history for good: nothing to reload from.
      history_(persist_plans ? absl::Minutes(1) : absl::InfiniteDuration()) {}

CapacityPlannerServiceImpl::~CapacityPlannerServiceImpl() {
  std::lock_guard lock(writer_mutex_);
  if (writer_ != nullptr) writer_->Stop();
}

db::PlanWriter* CapacityPlannerServiceImpl::Writer(
    const std::shared_ptr<db::ConnectionPool>& pool) {
  std::lock_guard lock(writer_mutex_);
  if (writer_ == nullptr) writer_ = std::make_unique<db::PlanWriter>(pool);
  return writer_.get();
}

absl::StatusOr<db::QueueHistory> CapacityPlannerServiceImpl::LoadHistory(
    const std::shared_ptr<db::ConnectionPool>& pool, const std::string& queue, absl::Time now,
    absl::Duration window, absl::Duration cell) const {
  if (pool == nullptr) return db::QueueHistory{};
  absl::StatusOr<db::ConnectionPool::Lease> lease = pool->Acquire(kLeaseTimeout);
  if (!lease.ok()) return lease.status();
  return db::LoadQueueHistory(**lease, queue, now, window, cell);
}

void CapacityPlannerServiceImpl::LogForecastCacheEvery(int64_t lookups) {
  const ForecastCache::Stats stats = forecasts_.stats();
  const int64_t total = stats.hits + stats.misses;
  if (total % lookups != 0) return;
  Log(spdlog::level::info, "forecast_cache",
      {{"hits", stats.hits},
       {"misses", stats.misses},
       {"hit_ratio", total == 0 ? 0.0 : static_cast<double>(stats.hits) / total},
       {"entries", stats.entries}});
}

grpc::Status CapacityPlannerServiceImpl::Lease(
    std::optional<db::ConnectionPool::Lease>& lease) const {
  return LeaseConnection(pool_(), lease);
}

grpc::Status CapacityPlannerServiceImpl::PrepareGeneratePlan(grpc::CallbackServerContext* context,
                                                             const v1::GeneratePlanRequest* request,
                                                             v1::GeneratePlanResponse* response,
                                                             std::optional<PendingCommit>& commit) {
  planner::PlanRequest plan_request;
  if (grpc::Status valid = ToPlanRequest(*request, absl::Now(), &plan_request); !valid.ok()) {
    return valid;
  }
  std::shared_ptr<db::ConnectionPool> pool;
  if (persist_plans_) {
    pool = pool_();
    if (pool == nullptr) {
      return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                       "the database is not reachable yet; see the server's health status");
    }
  }

  // History: from memory, or the database when the entry is missing or old.
  const planner::PlannerConfig& config = plan_request.config;
  const absl::Time now = plan_request.current.time;
  // Intervals finer than the cache's cells read the database directly.
  absl::StatusOr<db::QueueHistory> history =
      config.planning_interval < QueueHistoryCache::kCell
          ? LoadHistory(pool, request->queue(), now, config.history_window,
                        config.planning_interval)
          : history_.Get(request->queue(), now, config.history_window,
                         [&](const std::string& queue, absl::Time at, absl::Duration window) {
                           return LoadHistory(pool, queue, at, window, QueueHistoryCache::kCell);
                         });
  if (!history.ok()) return DatabaseFailure(history.status());
  std::vector<planner::QueueSample> metrics = plan_request.history;  // inline history
  metrics.push_back(plan_request.current);
  plan_request.history.insert(plan_request.history.end(), history->samples.begin(),
                              history->samples.end());
  plan_request.last_action = history->last_action;

  absl::StatusOr<planner::PlanResult> result = planner::GeneratePlan(plan_request);
  if (!result.ok()) {
    const std::optional<std::string> why = ReasonOf(result.status());
    if (why == "INSUFFICIENT_HISTORY") {
      return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kInsufficientHistory,
                       std::string(result.status().message()),
                       {{"history", std::string(result.status().message())}});
    }
    if (result.status().code() == absl::StatusCode::kInvalidArgument) {
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kConfigInvalid,
                       std::string(result.status().message()),
                       {{"config.forecast_model", std::string(result.status().message())}});
    }
    return MakeError(grpc::StatusCode::INTERNAL, reason::kForecastFailed,
                     std::string(result.status().message()));
  }
  if (request->fail_if_slo_unachievable() && !result->plan.slo_achievable) {
    return MakeError(grpc::StatusCode::FAILED_PRECONDITION, reason::kSloUnachievable,
                     result->slo_unachievable_reason,
                     {{"config.max_workers", result->slo_unachievable_reason}});
  }

  db::PlanWrite write;
  db::PlanRecord& record = write.record;
  record.plan_id = NewUuid();
  record.queue = request->queue();
  record.request_id = request->request_id();
  if (!record.request_id.empty()) record.request_fingerprint = RequestFingerprint(*request);
  record.plan = result->plan;
  record.forecast_window = config.forecast_window;
  record.safety_margin = config.safety_margin;
  *response =
      ToGeneratePlanResponse(*result, {record.plan_id, record.queue, record.request_id}, config);
  if (request->validate_by_simulation()) {
    const planner::QueueSample& current = plan_request.current;
    std::optional<double> cv;
    if (config.general_service_time) {
      cv = planner::ServiceTimeStddev(current, /*general=*/true) / current.mean_service_time;
    }
    absl::StatusOr<double> achievement = SimulatedSloAchievement(
        *response, request->slo(), current.mean_service_time, cv, config.provisioning_lead_time,
        max_simulation_events_, [context] { return context->IsCancelled(); });
    if (!achievement.ok()) {
      return FromAbsl(achievement.status(),
                      achievement.status().code() == absl::StatusCode::kResourceExhausted
                          ? reason::kSimulationTooLarge
                          : reason::kInternal,
                      {{"validate_by_simulation", std::string(achievement.status().message())}});
    }
    response->set_simulated_slo_achievement(*achievement);
  }
  if (pool != nullptr) {
    record.response = response->SerializeAsString();
    write.metrics = metrics;
    commit.emplace(PendingCommit{pool, record.response, std::move(write), std::move(metrics),
                                 planner::ImmediateAction(result->plan)});
    return grpc::Status::OK;
  }
  history_.Record(request->queue(), metrics, planner::ImmediateAction(result->plan));
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GeneratePlan(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::GeneratePlanRequest, v1::GeneratePlanResponse>(
      runtime_, RunOn::kCallbackThread, context, request, response,
      AsyncUnaryHandler<v1::GeneratePlanRequest, v1::GeneratePlanResponse>(
          [this](grpc::CallbackServerContext* context, const v1::GeneratePlanRequest& request,
                 v1::GeneratePlanResponse& response, UnaryDone done) {
            // Memory-only planning takes microseconds and never blocks: it
            // runs here. A simulation can take seconds and the database
            // (history on a cache miss) can stall: not on gRPC's thread.
            if (!persist_plans_ && !request.validate_by_simulation()) {
              HandleGeneratePlan(context, request, response, std::move(done));
              return;
            }
            auto task = [this, context, &request, &response, done] {
              HandleGeneratePlan(context, request, response, done);
            };
            if (!runtime_.pool->TrySubmit(task)) done(BusyStatus(*runtime_.pool));
          }));
}

void CapacityPlannerServiceImpl::HandleGeneratePlan(grpc::CallbackServerContext* context,
                                                    const v1::GeneratePlanRequest& request,
                                                    v1::GeneratePlanResponse& response,
                                                    UnaryDone done) {
  std::optional<PendingCommit> commit;
  const grpc::Status prepared = PrepareGeneratePlan(context, &request, &response, commit);
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
                     done(ParseStored(*sent, &response));
                   } else {
                     history_.Record(queue, commit->metrics, commit->action);
                     done(grpc::Status::OK);
                   }
                 });
}

// The other methods run on the work pool: they compute or wait on the
// database.
grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::Simulate(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return ServeUnary<v1::SimulateRequest, v1::SimulateResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<v1::SimulateRequest, v1::SimulateResponse>(
          [this](grpc::CallbackServerContext* context, const v1::SimulateRequest& request,
                 v1::SimulateResponse& response) {
            return HandleSimulate(context, request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GetForecasts(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetForecastsRequest, v1::GetForecastsResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<v1::GetForecastsRequest, v1::GetForecastsResponse>(
          [this](grpc::CallbackServerContext* context, const v1::GetForecastsRequest& request,
                 v1::GetForecastsResponse& response) {
            return HandleGetForecasts(context, request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::EvaluateQueue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::EvaluateQueueRequest, v1::EvaluateQueueResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<v1::EvaluateQueueRequest, v1::EvaluateQueueResponse>(
          [this](grpc::CallbackServerContext*, const v1::EvaluateQueueRequest& request,
                 v1::EvaluateQueueResponse& response) {
            return HandleEvaluateQueue(request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GetPlan(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetPlanRequest, v1::GetPlanResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<v1::GetPlanRequest, v1::GetPlanResponse>(
          [this](grpc::CallbackServerContext*, const v1::GetPlanRequest& request,
                 v1::GetPlanResponse& response) { return HandleGetPlan(request, response); }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::ListPlans(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::ListPlansRequest, v1::ListPlansResponse>(
      runtime_, RunOn::kWorkPool, context, request, response,
      UnaryHandler<v1::ListPlansRequest, v1::ListPlansResponse>(
          [this](grpc::CallbackServerContext*, const v1::ListPlansRequest& request,
                 v1::ListPlansResponse& response) { return HandleListPlans(request, response); }));
}

grpc::Status CapacityPlannerServiceImpl::HandleSimulate(grpc::CallbackServerContext* context,
                                                        const v1::SimulateRequest& request,
                                                        v1::SimulateResponse& response) {
  auto load_plan =
      [this](const std::string& plan_id) -> absl::StatusOr<std::optional<v1::CapacityPlan>> {
    std::shared_ptr<db::ConnectionPool> pool = pool_();
    if (pool == nullptr) {
      return absl::UnavailableError(
          "the database is not reachable yet; see the server's health status");
    }
    absl::StatusOr<db::ConnectionPool::Lease> lease = pool->Acquire(kLeaseTimeout);
    if (!lease.ok()) return lease.status();
    absl::StatusOr<std::optional<db::StoredPlan>> stored = db::GetPlan(**lease, plan_id);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return std::nullopt;
    v1::GeneratePlanResponse generated;
    if (!generated.ParseFromString((*stored)->response)) {
      return absl::DataLossError("a stored plan could not be decoded");
    }
    return generated.plan();
  };
  return server::Simulate(
      request, load_plan, max_simulation_events_, [context] { return context->IsCancelled(); },
      &response);
}

grpc::Status CapacityPlannerServiceImpl::HandleGetForecasts(grpc::CallbackServerContext* context,
                                                            const v1::GetForecastsRequest& request,
                                                            v1::GetForecastsResponse& response) {
  const absl::Time started = absl::Now();
  std::shared_ptr<db::ConnectionPool> pool;
  if (persist_plans_ && request.has_queue()) {
    pool = pool_();
    if (pool == nullptr) {
      return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                       "the database is not reachable yet; see the server's health status");
    }
  }
  auto load_rates = [&](const std::string& queue,
                        absl::Duration window) -> absl::StatusOr<StoredRates> {
    const absl::Time now = absl::Now();
    uint64_t version = 0;
    absl::StatusOr<db::QueueHistory> history = history_.Get(
        queue, now, window,
        [&](const std::string& name, absl::Time at, absl::Duration span) {
          return LoadHistory(pool, name, at, span, QueueHistoryCache::kCell);
        },
        &version);
    if (!history.ok()) return history.status();
    StoredRates rates;
    for (const planner::QueueSample& sample : history->samples) {
      // A cell's sample is timed inside its minute: place it at the minute.
      const absl::Time minute =
          absl::FromUnixSeconds(absl::ToInt64Minutes(absl::Floor(sample.time - absl::UnixEpoch(),
                                                                 QueueHistoryCache::kCell)) *
                                60);
      rates.observations.push_back({minute, sample.arrival_rate});
    }
    // The window's first minute is part of the version: sliding drops cells.
    rates.version = absl::StrCat(
        version, ":",
        absl::ToInt64Minutes(absl::Floor(now - window - absl::UnixEpoch(), absl::Minutes(1))));
    return rates;
  };
  // True once the client cancels, its deadline passes or the server's drain
  // deadline cancels the call.
  auto cancelled = [context] { return context->IsCancelled(); };
  grpc::Status status = server::GetForecasts(request, load_rates, forecasts_, cancelled, &response);
  if (request.has_queue() && status.ok()) LogForecastCacheEvery(100);
  if (status.error_code() == grpc::StatusCode::CANCELLED) {
    // A client whose deadline passes cancels the call itself, often before
    // the server's own timer (started later, when the call arrived) fires:
    // "cancelled" covers that, a client's cancel and the drain.
    const auto until_deadline = context->deadline() - std::chrono::system_clock::now();
    const bool deadline_passed = until_deadline <= std::chrono::system_clock::duration::zero();
    Log(spdlog::level::info, "forecast_cancelled",
        {{"why", deadline_passed ? "deadline" : "cancelled"},
         {"after_ms", absl::ToDoubleMilliseconds(absl::Now() - started)},
         {"deadline_in_ms", std::chrono::duration<double, std::milli>(until_deadline).count()},
         {"detail", status.error_message()}});
    if (deadline_passed) {
      return MakeError(grpc::StatusCode::DEADLINE_EXCEEDED, reason::kForecastFailed,
                       "the forecast was stopped: the call's deadline passed");
    }
  }
  return status;
}

grpc::Status CapacityPlannerServiceImpl::HandleEvaluateQueue(
    const v1::EvaluateQueueRequest& request, v1::EvaluateQueueResponse& response) {
  return server::EvaluateQueue(request, &response);
}

grpc::Status CapacityPlannerServiceImpl::HandleGetPlan(const v1::GetPlanRequest& request,
                                                       v1::GetPlanResponse& response) {
  if (!IsUuid(request.plan_id())) {
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                     absl::StrCat("plan_id must be a UUID, got ", Quoted(request.plan_id())),
                     {{"plan_id", "must be a UUID"}});
  }
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = Lease(lease); !leased.ok()) return leased;
  absl::StatusOr<std::optional<db::StoredPlan>> stored = db::GetPlan(**lease, request.plan_id());
  if (!stored.ok()) return DatabaseFailure(stored.status());
  if (!stored->has_value()) {
    return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                     absl::StrCat("no plan with plan_id ", request.plan_id()),
                     {{"plan_id", "no such plan"}});
  }
  v1::GeneratePlanResponse generated;
  if (grpc::Status parsed = ParseStored((*stored)->response, &generated); !parsed.ok()) {
    return parsed;
  }
  *response.mutable_plan() = std::move(*generated.mutable_plan());
  return grpc::Status::OK;
}

grpc::Status CapacityPlannerServiceImpl::HandleListPlans(const v1::ListPlansRequest& request,
                                                         v1::ListPlansResponse& response) {
  FieldChecks checks;
  CheckQueueName("queue", request.queue(), reason::kInvalidMetrics, checks);
  checks.Integer("page_size", request.page_size(), 0, std::numeric_limits<int32_t>::max(),
                 reason::kInvalidRequest);
  if (!checks.ok()) return checks.ToStatus();
  const int page_size =
      request.page_size() == 0 ? kDefaultPageSize : std::min(request.page_size(), kMaxPageSize);
  std::optional<db::PlanCursor> after;
  if (!request.page_token().empty()) {
    after = DecodePlanPageToken(request.queue(), request.page_token());
    if (!after.has_value()) {
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                       "page_token is not a token of this listing",
                       {{"page_token", "must be a next_page_token of the same queue"}});
    }
  }
  std::optional<db::ConnectionPool::Lease> lease;
  if (grpc::Status leased = Lease(lease); !leased.ok()) return leased;
  absl::StatusOr<std::vector<db::StoredPlan>> plans =
      db::ListPlans(**lease, request.queue(), page_size + 1, after);
  if (!plans.ok()) return DatabaseFailure(plans.status());
  const bool more = static_cast<int>(plans->size()) > page_size;
  if (more) plans->pop_back();
  for (const db::StoredPlan& stored : *plans) {
    v1::GeneratePlanResponse generated;
    if (grpc::Status parsed = ParseStored(stored.response, &generated); !parsed.ok()) {
      return parsed;
    }
    *response.add_plans() = std::move(*generated.mutable_plan());
  }
  if (more) {
    response.set_next_page_token(
        EncodePlanPageToken(request.queue(), {plans->back().generated_at, plans->back().plan_id}));
  }
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

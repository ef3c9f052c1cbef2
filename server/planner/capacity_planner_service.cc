#include "server/planner/capacity_planner_service.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <absl/strings/str_cat.h>
#include <absl/time/time.h>

#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/planner/evaluate_queue.h"
#include "server/planner/get_forecasts.h"
#include "server/planner/plan_queries.h"
#include "server/planner/queue_resource.h"
#include "server/planner/simulate.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;

CapacityPlannerServiceImpl::CapacityPlannerServiceImpl(const CallRuntime& runtime,
                                                       PoolProvider pool, bool persist_plans,
                                                       int64_t max_simulation_events)
    : runtime_(runtime),
      pool_(std::move(pool)),
      persist_plans_(persist_plans),
      max_simulation_events_(max_simulation_events),
      // Memory-only serving keeps history for good: nothing to reload from.
      history_(persist_plans ? absl::Minutes(1) : absl::InfiniteDuration()),
      plans_(pool_, persist_plans, max_simulation_events, history_, settings_) {}

void CapacityPlannerServiceImpl::QueueChanged(const std::string& queue) {
  history_.Invalidate(queue);
  settings_.Invalidate(queue);
  // Cached forecasts need no invalidation: they are keyed by the content of
  // the history they were made from.
  if (observers_.queue_changed) observers_.queue_changed(queue);
}

void CapacityPlannerServiceImpl::RecordMetrics(const v1::GeneratePlanRequest& request) {
  struct Call {
    v1::GeneratePlanRequest request;
    v1::GeneratePlanResponse response;
  };
  auto call = std::make_shared<Call>();
  call->request = request;
  const bool submitted = runtime_.pool->TrySubmit([this, call] {
    plans_.Generate(nullptr, call->request, call->response, [call](grpc::Status status) {
      if (!status.ok()) {
        Log(spdlog::level::warn, "metrics_not_recorded",
            {{"queue", call->request.queue()},
             {"code", static_cast<double>(status.error_code())},
             {"message", status.error_message()}});
      }
    });
  });
  if (!submitted) {
    Log(spdlog::level::warn, "metrics_not_recorded",
        {{"queue", request.queue()}, {"message", "the work pool is full"}});
  }
}

void CapacityPlannerServiceImpl::AllQueuesChanged() {
  history_.InvalidateAll();
  settings_.InvalidateAll();
  if (observers_.all_queues_changed) observers_.all_queues_changed();
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

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GeneratePlan(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::GeneratePlanRequest, v1::GeneratePlanResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/GeneratePlan", RunOn::kCallbackThread,
      context, request, response,
      AsyncUnaryHandler<v1::GeneratePlanRequest, v1::GeneratePlanResponse>(
          [this](grpc::CallbackServerContext* context, const v1::GeneratePlanRequest& request,
                 v1::GeneratePlanResponse& response, UnaryDone done) {
            if (planner_metrics_ != nullptr) done = CountedPlan(request, response, std::move(done));
            // Memory-only planning takes microseconds and never blocks: it
            // runs here. A simulation can take seconds and the database
            // (history on a cache miss) can stall: not on gRPC's thread.
            if (!plans_.MayBlock(request)) {
              plans_.Generate(context, request, response, std::move(done));
              return;
            }
            auto task = [this, context, &request, &response, done] {
              plans_.Generate(context, request, response, done);
            };
            if (!runtime_.pool->TrySubmit(task)) done(BusyStatus(*runtime_.pool));
          }));
}

UnaryDone CapacityPlannerServiceImpl::CountedPlan(const v1::GeneratePlanRequest& request,
                                                  const v1::GeneratePlanResponse& response,
                                                  UnaryDone done) {
  return [this, &request, &response, received = absl::Now(),
          start = std::chrono::steady_clock::now(), done = std::move(done)](grpc::Status status) {
    planner_metrics_->PlanGenerated(
        request, status.ok() ? &response : nullptr, status.error_code(),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), received);
    done(std::move(status));
  };
}

// The other methods run on the work pool: they compute or wait on the
// database.
grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::Simulate(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return ServeUnary<v1::SimulateRequest, v1::SimulateResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/Simulate", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::SimulateRequest, v1::SimulateResponse>(
          [this](grpc::CallbackServerContext* context, const v1::SimulateRequest& request,
                 v1::SimulateResponse& response) {
            const auto start = std::chrono::steady_clock::now();
            grpc::Status status = server::Simulate(
                request,
                [this](const std::string& plan_id) { return LoadStoredPlan(pool_(), plan_id); },
                max_simulation_events_, [context] { return context->IsCancelled(); },
                simulation_speed_, &response);
            if (planner_metrics_ != nullptr && status.ok() && !request.validate_only()) {
              planner_metrics_->SimulationRan(
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
                  /*validation=*/false);
            }
            return status;
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GetForecasts(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetForecastsRequest, v1::GetForecastsResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/GetForecasts", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::GetForecastsRequest, v1::GetForecastsResponse>(
          [this](grpc::CallbackServerContext* context, const v1::GetForecastsRequest& request,
                 v1::GetForecastsResponse& response) {
            return ForecastQueue(context, request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::EvaluateQueue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::EvaluateQueueRequest, v1::EvaluateQueueResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/EvaluateQueue", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::EvaluateQueueRequest, v1::EvaluateQueueResponse>(
          [](grpc::CallbackServerContext*, const v1::EvaluateQueueRequest& request,
             v1::EvaluateQueueResponse& response) {
            return server::EvaluateQueue(request, &response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GetPlan(grpc::CallbackServerContext* context,
                                                              const grpc::ByteBuffer* request,
                                                              grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetPlanRequest, v1::GetPlanResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/GetPlan", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::GetPlanRequest, v1::GetPlanResponse>(
          [this](grpc::CallbackServerContext*, const v1::GetPlanRequest& request,
                 v1::GetPlanResponse& response) {
            return server::GetPlan(pool_(), request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::ListPlans(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::ListPlansRequest, v1::ListPlansResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/ListPlans", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::ListPlansRequest, v1::ListPlansResponse>(
          [this](grpc::CallbackServerContext*, const v1::ListPlansRequest& request,
                 v1::ListPlansResponse& response) {
            return server::ListPlans(pool_(), request, response);
          }));
}

grpc::Status CapacityPlannerServiceImpl::ForecastQueue(grpc::CallbackServerContext* context,
                                                       const v1::GetForecastsRequest& request,
                                                       v1::GetForecastsResponse& response) {
  const absl::Time started = absl::Now();
  std::shared_ptr<db::ConnectionPool> pool;
  if (persist_plans_ && request.has_queue()) {
    pool = pool_();
    if (pool == nullptr) {
      return DatabaseNotReachableYet();
    }
  }
  auto load_rates = [&](const std::string& queue,
                        absl::Duration window) -> absl::StatusOr<StoredRates> {
    const absl::Time now = absl::Now();
    absl::StatusOr<db::QueueHistory> history = history_.Get(
        queue, now, window, [&](const std::string& name, absl::Time at, absl::Duration span) {
          return LoadHistory(pool, name, at, span, QueueHistoryCache::kCell);
        });
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
    // The version is the content's: the same minutes and rates give the
    // same version (and a cache hit), whatever reloaded or refreshed the
    // history cache in between, and the window sliding past a stored minute
    // changes it.
    std::string content;
    content.reserve(rates.observations.size() * 16);
    for (const forecast::Observation& observation : rates.observations) {
      const int64_t micros = absl::ToUnixMicros(observation.time);
      content.append(reinterpret_cast<const char*>(&micros), sizeof micros);
      content.append(reinterpret_cast<const char*>(&observation.value), sizeof observation.value);
    }
    rates.version =
        absl::StrCat(rates.observations.size(), ":", std::hash<std::string_view>{}(content));
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

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::GetQueue(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetQueueRequest, v1::GetQueueResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/GetQueue", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::GetQueueRequest, v1::GetQueueResponse>(
          [this](grpc::CallbackServerContext*, const v1::GetQueueRequest& request,
                 v1::GetQueueResponse& response) {
            if (!persist_plans_) return QueuesNeedPersistence();
            return server::GetQueue(pool_(), request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::ListQueues(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::ListQueuesRequest, v1::ListQueuesResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/ListQueues", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::ListQueuesRequest, v1::ListQueuesResponse>(
          [this](grpc::CallbackServerContext*, const v1::ListQueuesRequest& request,
                 v1::ListQueuesResponse& response) {
            if (!persist_plans_) return QueuesNeedPersistence();
            return server::ListQueues(pool_(), request, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::UpdateQueue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::UpdateQueueRequest, v1::UpdateQueueResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/UpdateQueue", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::UpdateQueueRequest, v1::UpdateQueueResponse>(
          [this](grpc::CallbackServerContext*, const v1::UpdateQueueRequest& request,
                 v1::UpdateQueueResponse& response) {
            if (!persist_plans_) return QueuesNeedPersistence();
            auto changed = [this](const std::string& queue) { QueueChanged(queue); };
            return server::UpdateQueue(pool_(), request, changed, response);
          }));
}

grpc::ServerUnaryReactor* CapacityPlannerServiceImpl::ResetQueue(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  return ServeUnary<v1::ResetQueueRequest, v1::ResetQueueResponse>(
      runtime_, "/horizonscale.v1.CapacityPlannerService/ResetQueue", RunOn::kWorkPool, context,
      request, response,
      UnaryHandler<v1::ResetQueueRequest, v1::ResetQueueResponse>(
          [this](grpc::CallbackServerContext*, const v1::ResetQueueRequest& request,
                 v1::ResetQueueResponse& response) {
            if (!persist_plans_) return QueuesNeedPersistence();
            auto changed = [this](const std::string& queue) { QueueChanged(queue); };
            grpc::Status status = server::ResetQueue(pool_(), request, changed, response);
            if (status.ok() && planner_metrics_ != nullptr) {
              planner_metrics_->QueueReset(request.name());
            }
            return status;
          }));
}

}  // namespace horizonscale::server

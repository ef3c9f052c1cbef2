// horizonscale.v1.CapacityPlannerService: the gRPC entry points. Each
// handler translates and delegates: GeneratePlan to server/planner/generate_plan.h,
// GetPlan and ListPlans to server/planner/plan_queries.h, Simulate to
// server/planner/simulate.h, GetForecasts to server/planner/get_forecasts.h, EvaluateQueue to
// server/planner/evaluate_queue.h, the queue methods to server/planner/queue_resource.h.
//
// Thread safety: handlers run concurrently. The service's mutable state (the
// queues' history and settings caches, the forecast cache and GeneratePlan's
// plan writer)
// is internally synchronised.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "db/connection_pool.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "server/planner/forecast_cache.h"
#include "server/planner/generate_plan.h"
#include "server/planner/queue_history_cache.h"
#include "server/planner/queue_settings_cache.h"
#include "server/planner/simulation_speed.h"
#include "server/transport/call_runtime.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {

// Every method is on gRPC's callback API and registered on raw bytes; each
// answers through ServeUnary (server/transport/unary_call.h), which parses the request
// (INVALID_ARGUMENT naming the type when it does not parse) and calls the
// typed function it delegates to. Memory-only GeneratePlan (persist_plans false, no
// validation by simulation) runs on gRPC's callback thread: it takes
// microseconds and never blocks. Everything else runs on the CallRuntime's
// WorkPool; a durable GeneratePlan then waits for its commit holding no
// thread.
using CapacityPlannerServiceBase =
    horizonscale::v1::CapacityPlannerService::WithRawCallbackMethod_GeneratePlan<
        horizonscale::v1::CapacityPlannerService::WithRawCallbackMethod_Simulate<
            horizonscale::v1::CapacityPlannerService::WithRawCallbackMethod_GetForecasts<
                horizonscale::v1::CapacityPlannerService::WithRawCallbackMethod_EvaluateQueue<
                    horizonscale::v1::CapacityPlannerService::WithRawCallbackMethod_GetPlan<
                        horizonscale::v1::CapacityPlannerService::WithRawCallbackMethod_ListPlans<
                            horizonscale::v1::CapacityPlannerService::
                                WithRawCallbackMethod_GetQueue<
                                    horizonscale::v1::CapacityPlannerService::
                                        WithRawCallbackMethod_ListQueues<
                                            horizonscale::v1::CapacityPlannerService::
                                                WithRawCallbackMethod_UpdateQueue<
                                                    horizonscale::v1::CapacityPlannerService::
                                                        WithRawCallbackMethod_ResetQueue<
                                                            horizonscale::v1::
                                                                CapacityPlannerService::
                                                                    Service>>>>>>>>>>;

class CapacityPlannerServiceImpl final : public CapacityPlannerServiceBase {
 public:
  // The database pool once it is usable; null while it is not.
  using PoolProvider = std::function<std::shared_ptr<db::ConnectionPool>()>;

  // With `persist_plans` false nothing is written to (or read from) the
  // database by GeneratePlan: history lives in memory only and request_id
  // retries are not recognised (for benchmarks and stateless use).
  // Simulate refuses requests estimated above `max_simulation_events`.
  // `runtime` must outlive the service.
  CapacityPlannerServiceImpl(const CallRuntime& runtime, PoolProvider pool, bool persist_plans,
                             int64_t max_simulation_events);

  // The gRPC entry points (raw bytes in and out).
  grpc::ServerUnaryReactor* GeneratePlan(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* Simulate(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetForecasts(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* EvaluateQueue(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetPlan(grpc::CallbackServerContext* context,
                                    const grpc::ByteBuffer* request,
                                    grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetQueue(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListQueues(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* UpdateQueue(grpc::CallbackServerContext* context,
                                        const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ResetQueue(grpc::CallbackServerContext* context,
                                       const grpc::ByteBuffer* request,
                                       grpc::ByteBuffer* response) override;

  // Drops what this server holds in memory about `queue` (history, last
  // action, settings, forecasts): a replica changed it. Any thread.
  void QueueChanged(const std::string& queue);

  // The same for every queue (changes may have been missed).
  void AllQueuesChanged();

  // Plans without storing anything (PlanGenerator::Derive): the KEDA
  // scaler's plans.
  grpc::Status DerivePlan(const horizonscale::v1::GeneratePlanRequest& request,
                          horizonscale::v1::GeneratePlanResponse& response) {
    return plans_.Derive(request, response);
  }

  // Records `request`'s metrics as its queue's with a stored plan
  // (GeneratePlan), in the background on the work pool; a failure is logged
  // (and the metrics are not recorded). Never blocks. For metrics the KEDA
  // scaler pulled.
  void RecordMetrics(const horizonscale::v1::GeneratePlanRequest& request);

  // Where the service's calls, simulations and plan commits are counted
  // (either may be null). Set before serving; both must outlive the service.
  void SetMetrics(PlannerMetrics* planner, ProcessMetrics* process) {
    planner_metrics_ = planner;
    plans_.SetMetrics(planner, process);
  }

  // The forecast cache's hit and miss counts since start.
  ForecastCache::Stats ForecastCacheStats() { return forecasts_.stats(); }

  // Drains the plan writer (PlanGenerator::Stop): call once no call or
  // background task makes plans any more, before anything the queue
  // observers use goes away.
  void Stop() { plans_.Stop(); }

  // Who else hears of the queues: their metrics as plans record them
  // (PlanGenerator::SetMetricsObserver), and every QueueChanged and
  // AllQueuesChanged (this server's updates and resets, and other
  // replicas' announcements). Set before serving; each may be empty.
  struct QueueObservers {
    PlanGenerator::MetricsObserver metrics_recorded;
    std::function<void(const std::string& queue)> queue_changed;
    std::function<void()> all_queues_changed;
  };
  void SetQueueObservers(QueueObservers observers) {
    plans_.SetMetricsObserver(observers.metrics_recorded);
    observers_ = std::move(observers);
  }

 private:
  // GetForecasts with the queue's stored rates (through the history cache)
  // and the forecast cache; logs a call stopped by its deadline or a cancel.
  grpc::Status ForecastQueue(grpc::CallbackServerContext* context,
                             const horizonscale::v1::GetForecastsRequest& request,
                             horizonscale::v1::GetForecastsResponse& response);

  // `done`, after counting the plan in planner_metrics_ (not null).
  UnaryDone CountedPlan(const horizonscale::v1::GeneratePlanRequest& request,
                        const horizonscale::v1::GeneratePlanResponse& response, UnaryDone done);

  // Logs the forecast cache's hit ratio when the lookup count is a multiple
  // of `lookups`.
  void LogForecastCacheEvery(int64_t lookups);

  const CallRuntime& runtime_;
  const PoolProvider pool_;
  const bool persist_plans_;
  const int64_t max_simulation_events_;
  SimulationSpeed simulation_speed_;
  QueueHistoryCache history_;
  QueueSettingsCache settings_;
  ForecastCache forecasts_;
  PlanGenerator plans_;  // uses history_ and settings_
  QueueObservers observers_;
  PlannerMetrics* planner_metrics_ = nullptr;
};

}  // namespace horizonscale::server

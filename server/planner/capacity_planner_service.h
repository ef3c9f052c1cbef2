// horizonscale.v1.CapacityPlannerService: translates requests to the planner,
// queueing, forecast and simulator libraries and their results back, and
// persists plans through db/. Methods whose capability has not landed yet
// answer UNIMPLEMENTED.
//
// Thread safety: handlers run concurrently; the service holds no mutable
// state of its own.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include "db/connection_pool.h"
#include "db/plan_writer.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "server/planner/forecast_cache.h"
#include "server/planner/queue_history_cache.h"
#include "server/transport/call_runtime.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {

// Every method is on gRPC's callback API and registered on raw bytes; each
// answers through ServeUnary (server/transport/unary_call.h), which parses the request
// (INVALID_ARGUMENT naming the type when it does not parse) and calls the
// typed handler below. Memory-only GeneratePlan (persist_plans false, no
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
                            horizonscale::v1::CapacityPlannerService::Service>>>>>>;

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
  ~CapacityPlannerServiceImpl() override;

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

  // The typed handlers, one implementation per RPC. GeneratePlan answers
  // through `done`, possibly after returning (once its plan is committed);
  // the others return their status and may block.
  void HandleGeneratePlan(grpc::CallbackServerContext* context,
                          const horizonscale::v1::GeneratePlanRequest& request,
                          horizonscale::v1::GeneratePlanResponse& response, UnaryDone done);
  grpc::Status HandleSimulate(grpc::CallbackServerContext* context,
                              const horizonscale::v1::SimulateRequest& request,
                              horizonscale::v1::SimulateResponse& response);
  grpc::Status HandleGetForecasts(grpc::CallbackServerContext* context,
                                  const horizonscale::v1::GetForecastsRequest& request,
                                  horizonscale::v1::GetForecastsResponse& response);
  grpc::Status HandleEvaluateQueue(const horizonscale::v1::EvaluateQueueRequest& request,
                                   horizonscale::v1::EvaluateQueueResponse& response);
  grpc::Status HandleGetPlan(const horizonscale::v1::GetPlanRequest& request,
                             horizonscale::v1::GetPlanResponse& response);
  grpc::Status HandleListPlans(const horizonscale::v1::ListPlansRequest& request,
                               horizonscale::v1::ListPlansResponse& response);

 private:
  // A generated plan waiting to be stored, and what to do once it is.
  struct PendingCommit {
    std::shared_ptr<db::ConnectionPool> pool;
    std::string own_answer;  // the serialized response of this call
    db::PlanWrite write;
    std::vector<planner::QueueSample> metrics;  // to record in the history cache
    std::optional<planner::LastAction> action;
  };

  // GeneratePlan up to storage: validates, plans and fills `response`. When
  // the plan is to be persisted, fills `commit` and leaves the answer to the
  // commit; otherwise the returned status is the answer.
  grpc::Status PrepareGeneratePlan(grpc::CallbackServerContext* context,
                                   const horizonscale::v1::GeneratePlanRequest* request,
                                   horizonscale::v1::GeneratePlanResponse* response,
                                   std::optional<PendingCommit>& commit);

  // A pooled connection, or the UNAVAILABLE status to answer with.
  grpc::Status Lease(std::optional<db::ConnectionPool::Lease>& lease) const;

  // A queue's history from the database in cells of `cell`; empty without a
  // pool (memory-only serving).
  absl::StatusOr<db::QueueHistory> LoadHistory(const std::shared_ptr<db::ConnectionPool>& pool,
                                               const std::string& queue, absl::Time now,
                                               absl::Duration window, absl::Duration cell) const;

  // Logs the forecast cache's hit ratio when the lookup count is a multiple
  // of `lookups`.
  void LogForecastCacheEvery(int64_t lookups);

  // The group-commit writer, created with the pool on first use.
  db::PlanWriter* Writer(const std::shared_ptr<db::ConnectionPool>& pool);

  const CallRuntime& runtime_;
  const PoolProvider pool_;
  const bool persist_plans_;
  const int64_t max_simulation_events_;
  QueueHistoryCache history_;
  ForecastCache forecasts_;
  std::mutex writer_mutex_;
  std::unique_ptr<db::PlanWriter> writer_;  // guarded by writer_mutex_
};

}  // namespace horizonscale::server

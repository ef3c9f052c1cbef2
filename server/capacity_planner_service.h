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
#include <optional>

#include "db/connection_pool.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::server {

class CapacityPlannerServiceImpl final : public horizonscale::v1::CapacityPlannerService::Service {
 public:
  // The database pool once it is usable; null while it is not.
  using PoolProvider = std::function<std::shared_ptr<db::ConnectionPool>()>;

  explicit CapacityPlannerServiceImpl(PoolProvider pool);

  grpc::Status GeneratePlan(grpc::ServerContext* context,
                            const horizonscale::v1::GeneratePlanRequest* request,
                            horizonscale::v1::GeneratePlanResponse* response) override;
  grpc::Status Simulate(grpc::ServerContext* context,
                        const horizonscale::v1::SimulateRequest* request,
                        horizonscale::v1::SimulateResponse* response) override;
  grpc::Status GetForecasts(grpc::ServerContext* context,
                            const horizonscale::v1::GetForecastsRequest* request,
                            horizonscale::v1::GetForecastsResponse* response) override;
  grpc::Status EvaluateQueue(grpc::ServerContext* context,
                             const horizonscale::v1::EvaluateQueueRequest* request,
                             horizonscale::v1::EvaluateQueueResponse* response) override;
  grpc::Status GetPlan(grpc::ServerContext* context,
                       const horizonscale::v1::GetPlanRequest* request,
                       horizonscale::v1::GetPlanResponse* response) override;
  grpc::Status ListPlans(grpc::ServerContext* context,
                         const horizonscale::v1::ListPlansRequest* request,
                         horizonscale::v1::ListPlansResponse* response) override;

 private:
  // A pooled connection, or the UNAVAILABLE status to answer with.
  grpc::Status Lease(std::optional<db::ConnectionPool::Lease>& lease) const;

  PoolProvider pool_;
};

}  // namespace horizonscale::server

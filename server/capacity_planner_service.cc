#include "server/capacity_planner_service.h"

#include "server/errors.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

grpc::Status CapacityPlannerServiceImpl::GeneratePlan(grpc::ServerContext*,
                                                      const v1::GeneratePlanRequest*,
                                                      v1::GeneratePlanResponse*) {
  return NotImplemented("CapacityPlannerService.GeneratePlan");
}

grpc::Status CapacityPlannerServiceImpl::Simulate(grpc::ServerContext*, const v1::SimulateRequest*,
                                                  v1::SimulateResponse*) {
  return NotImplemented("CapacityPlannerService.Simulate");
}

grpc::Status CapacityPlannerServiceImpl::GetForecasts(grpc::ServerContext*,
                                                      const v1::GetForecastsRequest*,
                                                      v1::GetForecastsResponse*) {
  return NotImplemented("CapacityPlannerService.GetForecasts");
}

grpc::Status CapacityPlannerServiceImpl::EvaluateQueue(grpc::ServerContext*,
                                                       const v1::EvaluateQueueRequest*,
                                                       v1::EvaluateQueueResponse*) {
  return NotImplemented("CapacityPlannerService.EvaluateQueue");
}

grpc::Status CapacityPlannerServiceImpl::GetPlan(grpc::ServerContext*, const v1::GetPlanRequest*,
                                                 v1::GetPlanResponse*) {
  return NotImplemented("CapacityPlannerService.GetPlan");
}

grpc::Status CapacityPlannerServiceImpl::ListPlans(grpc::ServerContext*,
                                                   const v1::ListPlansRequest*,
                                                   v1::ListPlansResponse*) {
  return NotImplemented("CapacityPlannerService.ListPlans");
}

}  // namespace horizonscale::server

#include "server/fleet/fleet_service.h"

#include "server/fleet/competition_reactor.h"
#include "server/fleet/fleet_reports.h"
#include "server/fleet/ingest_reactor.h"
#include "server/transport/unary_call.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

FleetServiceImpl::FleetServiceImpl(const CallRuntime& runtime, PoolProvider pool,
                                   std::function<void()> wake_workers)
    : runtime_(runtime), pool_(std::move(pool)), wake_workers_(std::move(wake_workers)) {}

grpc::ServerReadReactor<grpc::ByteBuffer>* FleetServiceImpl::IngestTelemetry(
    grpc::CallbackServerContext* context, grpc::ByteBuffer* response) {
  return StartIngestStream(runtime_, context, response, pool_);
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* FleetServiceImpl::RunCompetition(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  return StartCompetitionStream(runtime_, context, *request,
                                {.pool = pool_(), .wake_workers = wake_workers_});
}

grpc::ServerUnaryReactor* FleetServiceImpl::GetLeaderboard(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetLeaderboardRequest, v1::GetLeaderboardResponse>(
      runtime_, "/horizonscale.v1.FleetService/GetLeaderboard", RunOn::kWorkPool, context, request,
      response,
      UnaryHandler<v1::GetLeaderboardRequest, v1::GetLeaderboardResponse>(
          [this](grpc::CallbackServerContext*, const v1::GetLeaderboardRequest& request,
                 v1::GetLeaderboardResponse& response) {
            return server::GetLeaderboard(pool_(), request, response);
          }));
}

grpc::ServerUnaryReactor* FleetServiceImpl::GetHostForecast(grpc::CallbackServerContext* context,
                                                            const grpc::ByteBuffer* request,
                                                            grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetHostForecastRequest, v1::GetHostForecastResponse>(
      runtime_, "/horizonscale.v1.FleetService/GetHostForecast", RunOn::kWorkPool, context, request,
      response,
      UnaryHandler<v1::GetHostForecastRequest, v1::GetHostForecastResponse>(
          [this](grpc::CallbackServerContext*, const v1::GetHostForecastRequest& request,
                 v1::GetHostForecastResponse& response) {
            return server::GetHostForecast(pool_(), request, response);
          }));
}

grpc::ServerUnaryReactor* FleetServiceImpl::GetRiskReport(grpc::CallbackServerContext* context,
                                                          const grpc::ByteBuffer* request,
                                                          grpc::ByteBuffer* response) {
  return ServeUnary<v1::GetRiskReportRequest, v1::GetRiskReportResponse>(
      runtime_, "/horizonscale.v1.FleetService/GetRiskReport", RunOn::kWorkPool, context, request,
      response,
      UnaryHandler<v1::GetRiskReportRequest, v1::GetRiskReportResponse>(
          [this](grpc::CallbackServerContext*, const v1::GetRiskReportRequest& request,
                 v1::GetRiskReportResponse& response) {
            return server::GetRiskReport(pool_(), request, response);
          }));
}

}  // namespace horizonscale::server

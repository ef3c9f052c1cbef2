#include "server/fleet_service.h"

#include "server/errors.h"
#include "server/fleet_reports.h"
#include "server/ingest_telemetry.h"
#include "server/run_competition.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

FleetServiceImpl::FleetServiceImpl(PoolProvider pool, std::function<void()> wake_workers)
    : pool_(std::move(pool)), wake_workers_(std::move(wake_workers)) {
  // IngestTelemetry reads raw bytes (grpc::ByteBuffer) instead of the typed
  // message. MarkMethodStreamed is the public hook that swaps a sync method's
  // handler; it also marks the method bidi-streaming, which to the sync
  // server only means "do not read a request before calling the handler",
  // as for client streaming. The index is the method's position in the
  // service, as the generated code numbers it.
  const int index = v1::IngestTelemetryRequest::descriptor()
                        ->file()
                        ->FindServiceByName("FleetService")
                        ->FindMethodByName("IngestTelemetry")
                        ->index();
  MarkMethodStreamed(
      index,
      new grpc::internal::ClientStreamingHandler<FleetServiceImpl, grpc::ByteBuffer,
                                                 v1::IngestTelemetryResponse>(
          [](FleetServiceImpl* service, grpc::ServerContext* context,
             grpc::ServerReader<grpc::ByteBuffer>* reader, v1::IngestTelemetryResponse* response) {
            return server::IngestTelemetry(context, ParsedMessages(reader), service->pool_,
                                           response);
          },
          this));
}

grpc::Status FleetServiceImpl::RunCompetition(
    grpc::ServerContext* context, const v1::RunCompetitionRequest* request,
    grpc::ServerWriter<v1::RunCompetitionResponse>* writer) {
  return server::RunCompetition(*context, *request, *writer,
                                {.pool = pool_(), .wake_workers = wake_workers_});
}

grpc::Status FleetServiceImpl::GetLeaderboard(grpc::ServerContext*,
                                              const v1::GetLeaderboardRequest* request,
                                              v1::GetLeaderboardResponse* response) {
  return server::GetLeaderboard(pool_(), *request, *response);
}

grpc::Status FleetServiceImpl::GetHostForecast(grpc::ServerContext*,
                                               const v1::GetHostForecastRequest* request,
                                               v1::GetHostForecastResponse* response) {
  return server::GetHostForecast(pool_(), *request, *response);
}

grpc::Status FleetServiceImpl::GetRiskReport(grpc::ServerContext*,
                                             const v1::GetRiskReportRequest* request,
                                             v1::GetRiskReportResponse* response) {
  return server::GetRiskReport(pool_(), *request, *response);
}

}  // namespace horizonscale::server

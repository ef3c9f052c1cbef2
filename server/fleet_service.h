// horizonscale.v1.FleetService: telemetry ingest, the forecasting tournament
// and its reports. Methods whose capability has not landed yet answer
// UNIMPLEMENTED.
#pragma once

#include "horizonscale/v1/fleet_service.grpc.pb.h"

namespace horizonscale::server {

class FleetServiceImpl final : public horizonscale::v1::FleetService::Service {
 public:
  grpc::Status IngestTelemetry(grpc::ServerContext* context,
                               grpc::ServerReader<horizonscale::v1::IngestTelemetryRequest>* reader,
                               horizonscale::v1::IngestTelemetryResponse* response) override;
  grpc::Status RunCompetition(
      grpc::ServerContext* context, const horizonscale::v1::RunCompetitionRequest* request,
      grpc::ServerWriter<horizonscale::v1::RunCompetitionResponse>* writer) override;
  grpc::Status GetLeaderboard(grpc::ServerContext* context,
                              const horizonscale::v1::GetLeaderboardRequest* request,
                              horizonscale::v1::GetLeaderboardResponse* response) override;
  grpc::Status GetHostForecast(grpc::ServerContext* context,
                               const horizonscale::v1::GetHostForecastRequest* request,
                               horizonscale::v1::GetHostForecastResponse* response) override;
  grpc::Status GetRiskReport(grpc::ServerContext* context,
                             const horizonscale::v1::GetRiskReportRequest* request,
                             horizonscale::v1::GetRiskReportResponse* response) override;
};

}  // namespace horizonscale::server

#include "server/fleet_service.h"

#include "server/errors.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

grpc::Status FleetServiceImpl::IngestTelemetry(grpc::ServerContext*,
                                               grpc::ServerReader<v1::IngestTelemetryRequest>*,
                                               v1::IngestTelemetryResponse*) {
  return NotImplemented("FleetService.IngestTelemetry");
}

grpc::Status FleetServiceImpl::RunCompetition(grpc::ServerContext*,
                                              const v1::RunCompetitionRequest*,
                                              grpc::ServerWriter<v1::RunCompetitionResponse>*) {
  return NotImplemented("FleetService.RunCompetition");
}

grpc::Status FleetServiceImpl::GetLeaderboard(grpc::ServerContext*,
                                              const v1::GetLeaderboardRequest*,
                                              v1::GetLeaderboardResponse*) {
  return NotImplemented("FleetService.GetLeaderboard");
}

grpc::Status FleetServiceImpl::GetHostForecast(grpc::ServerContext*,
                                               const v1::GetHostForecastRequest*,
                                               v1::GetHostForecastResponse*) {
  return NotImplemented("FleetService.GetHostForecast");
}

grpc::Status FleetServiceImpl::GetRiskReport(grpc::ServerContext*, const v1::GetRiskReportRequest*,
                                             v1::GetRiskReportResponse*) {
  return NotImplemented("FleetService.GetRiskReport");
}

}  // namespace horizonscale::server

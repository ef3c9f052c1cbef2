// horizonscale.v1.FleetService: telemetry ingest, the forecasting tournament
// and its reports. The handlers translate and delegate: IngestTelemetry to
// server/ingest_telemetry.h, RunCompetition to server/run_competition.h, the
// reports to server/fleet_reports.h.
//
// IngestTelemetry is not the generated typed method: the constructor
// registers a handler that reads the stream's messages as raw bytes, so that
// a message that fails to parse fails the stream (see ingest_telemetry.h).
//
// Thread safety: handlers run concurrently; the service holds no mutable
// state of its own.
#pragma once

#include <functional>
#include <memory>

#include "db/connection_pool.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"

namespace horizonscale::server {

class FleetServiceImpl final : public horizonscale::v1::FleetService::Service {
 public:
  // The database pool once it is usable; null while it is not.
  using PoolProvider = std::function<std::shared_ptr<db::ConnectionPool>()>;

  // Serves with connections of `pool`.
  // `wake_workers` tells this server's fleet workers that a run was created
  // (may be null: the workers find it on their next poll).
  explicit FleetServiceImpl(PoolProvider pool, std::function<void()> wake_workers = nullptr);

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

 private:
  const PoolProvider pool_;
  const std::function<void()> wake_workers_;
};

}  // namespace horizonscale::server

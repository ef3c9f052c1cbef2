// FleetService's read side: GetLeaderboard, GetHostForecast and
// GetRiskReport, translated from the stored results of a run
// (db/fleet_report_repository.h). A request without run_id reads the latest
// succeeded run.
#pragma once

#include <memory>

#include <grpcpp/support/status.h>

#include "db/connection_pool.h"
#include "horizonscale/v1/fleet_service.pb.h"

namespace horizonscale::server {

// GetLeaderboard. INVALID_ARGUMENT (field violations) for a bad run id,
// filter, page size or token; NOT_FOUND for an unknown run or when no run has
// succeeded yet; UNAVAILABLE when the database is.
grpc::Status GetLeaderboard(const std::shared_ptr<db::ConnectionPool>& pool,
                            const horizonscale::v1::GetLeaderboardRequest& request,
                            horizonscale::v1::GetLeaderboardResponse& response);

// GetHostForecast. As GetLeaderboard, plus NOT_FOUND when the run did not
// score that host resource.
grpc::Status GetHostForecast(const std::shared_ptr<db::ConnectionPool>& pool,
                             const horizonscale::v1::GetHostForecastRequest& request,
                             horizonscale::v1::GetHostForecastResponse& response);

// GetRiskReport, with the CSV exports when asked. Errors as GetLeaderboard.
grpc::Status GetRiskReport(const std::shared_ptr<db::ConnectionPool>& pool,
                           const horizonscale::v1::GetRiskReportRequest& request,
                           horizonscale::v1::GetRiskReportResponse& response);

}  // namespace horizonscale::server

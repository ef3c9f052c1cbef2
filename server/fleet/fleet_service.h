// horizonscale.v1.FleetService: telemetry ingest, the forecasting tournament
// and its reports. The handlers translate and delegate: IngestTelemetry to
// server/fleet/ingest_reactor.h (and ingest_telemetry.h), RunCompetition to
// server/fleet/competition_reactor.h (and run_competition.h), the reports to
// server/fleet/fleet_reports.h.
//
// Every method is on gRPC's callback API and registered on raw bytes, so a
// request (or stream message) that does not parse is INVALID_ARGUMENT naming
// its type. The streams hold no thread while they wait; the reports run on
// the CallRuntime's WorkPool through ServeUnary (server/transport/unary_call.h).
//
// Thread safety: handlers run concurrently; the service holds no mutable
// state of its own.
#pragma once

#include <functional>
#include <memory>

#include "db/connection_pool.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "server/transport/call_runtime.h"

namespace horizonscale::server {

using FleetServiceBase = horizonscale::v1::FleetService::WithRawCallbackMethod_IngestTelemetry<
    horizonscale::v1::FleetService::WithRawCallbackMethod_RunCompetition<
        horizonscale::v1::FleetService::WithRawCallbackMethod_GetLeaderboard<
            horizonscale::v1::FleetService::WithRawCallbackMethod_GetHostForecast<
                horizonscale::v1::FleetService::WithRawCallbackMethod_GetRiskReport<
                    horizonscale::v1::FleetService::Service>>>>>;

class FleetServiceImpl final : public FleetServiceBase {
 public:
  // The database pool once it is usable; null while it is not.
  using PoolProvider = std::function<std::shared_ptr<db::ConnectionPool>()>;

  // Serves with connections of `pool`.
  // `wake_workers` tells this server's fleet workers that a run was created
  // (may be null: the workers find it on their next poll). `runtime` must
  // outlive the service.
  FleetServiceImpl(const CallRuntime& runtime, PoolProvider pool,
                   std::function<void()> wake_workers = nullptr);

  grpc::ServerReadReactor<grpc::ByteBuffer>* IngestTelemetry(grpc::CallbackServerContext* context,
                                                             grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* RunCompetition(
      grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) override;
  grpc::ServerUnaryReactor* GetLeaderboard(grpc::CallbackServerContext* context,
                                           const grpc::ByteBuffer* request,
                                           grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetHostForecast(grpc::CallbackServerContext* context,
                                            const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetRiskReport(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;

 private:
  const CallRuntime& runtime_;
  const PoolProvider pool_;
  const std::function<void()> wake_workers_;
};

}  // namespace horizonscale::server

// IngestTelemetry's row checks: every sample and host entry of a message
// through the checks the server applies (server/fleet/telemetry_sample.h), the
// valid ones into the stream's in-memory accumulation (db/fleet_ingest.h).
#include "bench/fuzz/fuzz_support.h"
#include "db/fleet_ingest.h"
#include "horizonscale/v1/fleet_service.pb.h"
#include "server/fleet/telemetry_sample.h"

namespace v1 = horizonscale::v1;
namespace server = horizonscale::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::IngestTelemetryRequest request;
  if (!horizonscale::fuzz::ParseRequest(data, size, request)) return -1;
  horizonscale::db::FleetIngest ingest;
  for (const v1::HostMetadata& host : request.hosts()) {
    if (server::HostIdProblem(host.host_id()) || server::HostFieldProblem(host.department()) ||
        server::HostFieldProblem(host.app_code()) || server::HostFieldProblem(host.scenario())) {
      continue;
    }
    ingest.AddHost({host.host_id(), host.department(), host.app_code(), host.scenario()});
  }
  for (const v1::UtilizationSample& sample : request.samples()) {
    const server::SampleCheck check = server::CheckSample(
        sample.host_id(), sample.resource(), sample.date(), sample.p95_utilization_percent());
    if (!check.ok()) continue;
    ingest.AddObservation(sample.host_id(), sample.resource(), check.day,
                          sample.p95_utilization_percent());
  }
  return 0;
}

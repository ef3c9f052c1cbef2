// FleetService.IngestTelemetry: reads the client stream, validates every
// sample and host entry (server/fleet/telemetry_sample.h), accumulates the valid
// ones in memory, and once the client has half-closed writes them in one
// transaction (db/fleet_ingest_writer.h). See the proto for the contract.
//
// Messages are read as raw bytes and parsed here: gRPC's typed ServerReader
// reports a message that fails to parse exactly like the end of the stream,
// which would commit the messages before it instead of failing the stream.
//
// Thread safety: stateless; concurrent calls are independent (their
// database writes are serialised by the writer's lock).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/support/sync_stream.h>

#include "db/connection_pool.h"
#include "db/fleet_ingest.h"
#include "horizonscale/v1/fleet_service.pb.h"

namespace horizonscale::server {

// Bounds of one stream. The defaults are the documented API limits.
struct IngestLimits {
  // Per message; more is INVALID_ARGUMENT.
  int max_samples_per_message = 10'000;
  int max_hosts_per_message = 10'000;
  // Per stream; more is RESOURCE_EXHAUSTED. They bound the stream's memory
  // (db/fleet_ingest.h): about 13.5 bytes per sample plus under 1 KB per
  // distinct host, i.e. at most about 370 MB.
  int64_t max_samples_per_stream = 20'000'000;
  int64_t max_hosts_per_stream = 100'000;
  // Rejections listed in the response (all are counted).
  int max_rejections_listed = 1'000;
};

// One stream's state, fed message by message as they arrive and stored once
// the client has half-closed. Used by the stream reactor
// (server/fleet/fleet_service.cc) and by IngestTelemetry below.
//
// Thread safety: none; calls must not overlap (they may come from different
// threads, one after the other).
class IngestSession {
 public:
  explicit IngestSession(const IngestLimits& limits = {});
  IngestSession(const IngestSession&) = delete;
  IngestSession& operator=(const IngestSession&) = delete;
  ~IngestSession();

  // Validates `message` and keeps its valid samples and host entries (its
  // strings are moved out). Returns OK (invalid samples are counted and
  // listed as rejections), or the status that ends the stream with nothing
  // written: INVALID_ARGUMENT (INVALID_REQUEST; over a per-message limit or
  // an invalid host entry, with the field violation) or RESOURCE_EXHAUSTED
  // (INGEST_TOO_LARGE; over a per-stream limit).
  grpc::Status Add(horizonscale::v1::IngestTelemetryRequest& message);

  // Writes what was added in one transaction through a connection of
  // `pool()` (null while the database is not usable), polling `cancelled`,
  // and fills `response`. Returns OK with the counts, or, with nothing
  // written: CANCELLED, UNAVAILABLE (DATABASE_UNAVAILABLE), DATA_LOSS or
  // INTERNAL. Call once; the session's memory is released when it returns.
  grpc::Status Store(const std::function<bool()>& cancelled,
                     const std::function<std::shared_ptr<db::ConnectionPool>()>& pool,
                     horizonscale::v1::IngestTelemetryResponse* response);

 private:
  void ReleaseBuffers();

  const IngestLimits limits_;
  const absl::Time started_at_;
  std::unique_ptr<db::FleetIngest> ingest_;
  horizonscale::v1::IngestTelemetryResponse rejections_;  // rejections listed so far
  int64_t sample_index_ = 0;                              // of the next sample in the stream
  int64_t host_index_ = 0;                                // of the next host entry in the stream
  int64_t rejected_ = 0;
  size_t held_bytes_ = 0;  // what the buffers held at their largest
};

// The source of a stream's messages: reads the next one into `message` and
// returns true, returns false at the end of the stream (or when the call was
// cancelled), or INVALID_ARGUMENT when a message cannot be parsed.
using NextMessage =
    std::function<absl::StatusOr<bool>(horizonscale::v1::IngestTelemetryRequest* message)>;

// The messages of `reader` (raw bytes, e.g. of a handler registered for
// grpc::ByteBuffer), parsed as IngestTelemetryRequest. `reader` must outlive
// the result.
NextMessage ParsedMessages(grpc::ServerReaderInterface<grpc::ByteBuffer>* reader);

// Runs one IngestTelemetry call on a blocking source: reads `next` to its
// end into an IngestSession, then stores it. Returns what
// IngestSession::Add and Store return, INVALID_ARGUMENT (INVALID_REQUEST)
// for a message that does not parse, UNAVAILABLE at once when the database
// is not usable, CANCELLED when `context` was cancelled.
grpc::Status IngestTelemetry(grpc::ServerContextBase* context, const NextMessage& next,
                             const std::function<std::shared_ptr<db::ConnectionPool>()>& pool,
                             horizonscale::v1::IngestTelemetryResponse* response,
                             const IngestLimits& limits = {});

}  // namespace horizonscale::server

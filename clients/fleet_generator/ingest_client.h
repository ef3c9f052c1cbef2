// The client side of horizonscale.v1.FleetService/IngestTelemetry: one
// client-streaming call carrying first the hosts' metadata, then their
// samples, in messages of at most `batch_rows` entries.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <grpcpp/grpcpp.h>

#include "clients/connection/connection.h"
#include "clients/fleet_generator/fleet_generator.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"

namespace horizonscale::fleetgen {

class IngestClient {
 public:
  // Starts the call to `server` (its target, TLS and token) with a deadline
  // `deadline` from now. Messages hold at most `batch_rows` (1 to 10,000)
  // samples or hosts. INVALID_ARGUMENT when the connection options are
  // wrong (a file that cannot be read, ...).
  static absl::StatusOr<std::unique_ptr<IngestClient>> Start(
      const clients::ConnectionOptions& server, std::chrono::milliseconds deadline, int batch_rows);
  IngestClient(const IngestClient&) = delete;
  IngestClient& operator=(const IngestClient&) = delete;
  ~IngestClient();

  // Queues `spec`'s metadata. All hosts must be added before any samples.
  // Returns the call's error when the stream broke.
  absl::Status AddHost(const HostSpec& spec);

  // Queues `host`'s samples (missing days left out, duplicated days twice).
  // Returns the call's error when the stream broke.
  absl::Status AddSamples(const GeneratedHost& host);

  // Sends what is queued, closes the stream and returns the server's answer,
  // or the call's error (code and message) when it failed.
  absl::StatusOr<horizonscale::v1::IngestTelemetryResponse> Finish();

  // Samples queued so far.
  int64_t samples() const { return samples_; }

 private:
  IngestClient() = default;
  absl::Status Flush();
  absl::Status CallError();

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<horizonscale::v1::FleetService::Stub> stub_;
  grpc::ClientContext context_;
  horizonscale::v1::IngestTelemetryResponse response_;
  std::unique_ptr<grpc::ClientWriter<horizonscale::v1::IngestTelemetryRequest>> writer_;
  horizonscale::v1::IngestTelemetryRequest pending_;
  int batch_rows_ = 10'000;
  int64_t samples_ = 0;
  bool finished_ = false;
  std::vector<std::string> dates_;  // "YYYY-MM-DD" from dates_first_day_
  int64_t dates_first_day_ = 0;
};

}  // namespace horizonscale::fleetgen

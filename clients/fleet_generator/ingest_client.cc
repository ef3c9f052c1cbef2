#include "clients/fleet_generator/ingest_client.h"

#include <cmath>

#include <absl/strings/str_cat.h>

#include "clients/fleet_generator/csv.h"

namespace horizonscale::fleetgen {
namespace {

namespace v1 = horizonscale::v1;

v1::Resource ToProto(Resource resource) {
  switch (resource) {
    case Resource::kCpu:
      return v1::RESOURCE_CPU;
    case Resource::kMemory:
      return v1::RESOURCE_MEMORY;
    case Resource::kDisk:
      return v1::RESOURCE_DISK;
    case Resource::kNetwork:
      return v1::RESOURCE_NETWORK;
  }
  return v1::RESOURCE_UNSPECIFIED;
}

// `status` (not OK) of the call, its code spelled out in the message.
absl::Status CallStatus(const grpc::Status& status) {
  const auto code = static_cast<absl::StatusCode>(status.error_code());
  return {code, absl::StrCat("IngestTelemetry failed with ", absl::StatusCodeToString(code), ": ",
                             status.error_message())};
}

}  // namespace

absl::StatusOr<std::unique_ptr<IngestClient>> IngestClient::Start(
    const clients::ConnectionOptions& server, std::chrono::milliseconds deadline, int batch_rows) {
  absl::StatusOr<clients::Connection> connection = clients::Connect(server);
  if (!connection.ok()) return connection.status();
  std::unique_ptr<IngestClient> client(new IngestClient);
  client->batch_rows_ = batch_rows;
  client->channel_ = connection->channel;
  client->stub_ = v1::FleetService::NewStub(client->channel_);
  client->context_.set_deadline(std::chrono::system_clock::now() + deadline);
  connection->Authorize(client->context_);
  client->writer_ = client->stub_->IngestTelemetry(&client->context_, &client->response_);
  return client;
}

IngestClient::~IngestClient() {
  if (!finished_) {
    context_.TryCancel();
    static_cast<void>(writer_->Finish());
  }
}

absl::Status IngestClient::CallError() {
  finished_ = true;
  const grpc::Status status = writer_->Finish();
  if (status.ok()) {
    return absl::InternalError("IngestTelemetry: the server ended the stream early without error");
  }
  return CallStatus(status);
}

absl::Status IngestClient::Flush() {
  if (finished_) return absl::FailedPreconditionError("IngestTelemetry: the call has ended");
  if (pending_.samples_size() == 0 && pending_.hosts_size() == 0) return absl::OkStatus();
  if (!writer_->Write(pending_)) return CallError();
  pending_.Clear();
  return absl::OkStatus();
}

absl::Status IngestClient::AddHost(const HostSpec& spec) {
  v1::HostMetadata* host = pending_.add_hosts();
  host->set_host_id(spec.host_id);
  host->set_department(spec.department);
  host->set_app_code(spec.app_code);
  host->set_scenario(ScenarioName(spec.scenario));
  if (pending_.hosts_size() >= batch_rows_) return Flush();
  return absl::OkStatus();
}

absl::Status IngestClient::AddSamples(const GeneratedHost& host) {
  // Hosts go in messages of their own, before the first samples.
  if (pending_.hosts_size() > 0) {
    if (absl::Status s = Flush(); !s.ok()) return s;
  }
  for (const GeneratedSeries& series : host.series) {
    if (dates_.size() < series.values.size() || dates_first_day_ != series.first_day) {
      dates_.clear();
      dates_first_day_ = series.first_day;
      for (size_t t = 0; t < series.values.size(); ++t) {
        dates_.push_back(FormatDate(series.first_day + static_cast<int64_t>(t)));
      }
    }
    auto duplicate = series.duplicate_offsets.begin();
    for (size_t t = 0; t < series.values.size(); ++t) {
      if (std::isnan(series.values[t])) continue;
      while (duplicate != series.duplicate_offsets.end() && static_cast<size_t>(*duplicate) < t) {
        ++duplicate;
      }
      const bool twice =
          duplicate != series.duplicate_offsets.end() && static_cast<size_t>(*duplicate) == t;
      for (int copy = 0; copy < (twice ? 2 : 1); ++copy) {
        v1::UtilizationSample* sample = pending_.add_samples();
        sample->set_host_id(host.spec.host_id);
        sample->set_resource(ToProto(series.resource));
        sample->set_date(dates_[t]);
        sample->set_p95_utilization_percent(series.values[t]);
        ++samples_;
        if (pending_.samples_size() >= batch_rows_) {
          if (absl::Status s = Flush(); !s.ok()) return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::IngestTelemetryResponse> IngestClient::Finish() {
  if (absl::Status s = Flush(); !s.ok()) return s;
  writer_->WritesDone();
  finished_ = true;
  const grpc::Status status = writer_->Finish();
  if (!status.ok()) {
    return CallStatus(status);
  }
  return response_;
}

}  // namespace horizonscale::fleetgen

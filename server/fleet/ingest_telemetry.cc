#include "server/fleet/ingest_telemetry.h"

#include <malloc.h>

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>

#include "db/fleet_ingest.h"
#include "db/fleet_ingest_writer.h"
#include "server/common/errors.h"
#include "server/common/log.h"
#include "server/common/uuid.h"
#include "server/fleet/telemetry_sample.h"
#include "server/transport/raw_message.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr auto kLeaseTimeout = std::chrono::milliseconds(5000);
// Streams whose buffers held at least this much return their memory to the
// OS when they end.
constexpr size_t kTrimAfterBytes = size_t{32} << 20;

grpc::Status Invalid(std::string field, std::string description) {
  std::string message = absl::StrCat(field, " ", description, "; nothing was written");
  return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest, std::move(message),
                   {{std::move(field), std::move(description)}});
}

grpc::Status TooLarge(std::string field, std::string description) {
  std::string message = absl::StrCat(description, "; nothing was written");
  return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kIngestTooLarge,
                   std::move(message), {{std::move(field), std::move(description)}});
}

// `text` cut to at most `bytes` bytes without splitting a UTF-8 sequence.
std::string Utf8Prefix(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  size_t end = bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80) --end;
  return text.substr(0, end);
}

grpc::Status CancelledStatus() {
  return {grpc::StatusCode::CANCELLED,
          "the ingest stream was cancelled or its deadline passed; nothing was written"};
}

grpc::Status StoreFailure(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kCancelled:
      return CancelledStatus();
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                       absl::StrCat(status.message(), "; nothing was written"));
    case absl::StatusCode::kDataLoss:
      return MakeError(grpc::StatusCode::DATA_LOSS, reason::kInternal,
                       absl::StrCat(status.message(), "; nothing was written"));
    default:
      return MakeError(grpc::StatusCode::INTERNAL, reason::kInternal,
                       absl::StrCat(status.message(), "; nothing was written"));
  }
}

}  // namespace

IngestSession::IngestSession(const IngestLimits& limits)
    : limits_(limits), started_at_(absl::Now()), ingest_(std::make_unique<db::FleetIngest>()) {}

IngestSession::~IngestSession() { ReleaseBuffers(); }

void IngestSession::ReleaseBuffers() {
  if (ingest_ == nullptr) return;
  held_bytes_ = std::max(held_bytes_, ingest_->buffer_bytes());
  ingest_.reset();
  // The stream's buffers were freed into this thread's malloc arena, where
  // glibc keeps them; the next big stream, served by another thread, would
  // take fresh memory (measured: 160 MB after one full-fleet stream, 290 MB
  // after two). Give big ones back to the OS.
  if (held_bytes_ >= kTrimAfterBytes) malloc_trim(0);
}

grpc::Status IngestSession::Add(v1::IngestTelemetryRequest& request) {
  db::FleetIngest& ingest = *ingest_;
  if (request.samples_size() > limits_.max_samples_per_message) {
    return Invalid("samples", absl::StrCat("holds ", request.samples_size(),
                                           " samples in one message; at most ",
                                           limits_.max_samples_per_message, " are allowed"));
  }
  if (request.hosts_size() > limits_.max_hosts_per_message) {
    return Invalid("hosts", absl::StrCat("holds ", request.hosts_size(),
                                         " host entries in one message; at most ",
                                         limits_.max_hosts_per_message, " are allowed"));
  }
  if (sample_index_ + request.samples_size() > limits_.max_samples_per_stream) {
    return TooLarge("samples", absl::StrCat("the stream holds more than ",
                                            limits_.max_samples_per_stream, " samples"));
  }
  for (v1::HostMetadata& host : *request.mutable_hosts()) {
    const std::string path = absl::StrCat("hosts[", host_index_++, "]");
    if (std::optional<std::string> problem = HostIdProblem(host.host_id())) {
      return Invalid(absl::StrCat(path, ".host_id"), *problem);
    }
    for (const auto& [name, value] :
         {std::pair{"department", &host.department()}, std::pair{"app_code", &host.app_code()},
          std::pair{"scenario", &host.scenario()}}) {
      if (std::optional<std::string> problem = HostFieldProblem(*value)) {
        return Invalid(absl::StrCat(path, ".", name), *problem);
      }
    }
    ingest.AddHost({std::move(*host.mutable_host_id()), std::move(*host.mutable_department()),
                    std::move(*host.mutable_app_code()), std::move(*host.mutable_scenario())});
  }
  for (const v1::UtilizationSample& sample : request.samples()) {
    const int64_t index = sample_index_++;
    const SampleCheck check = CheckSample(sample.host_id(), sample.resource(), sample.date(),
                                          sample.p95_utilization_percent());
    if (check.ok()) {
      ingest.AddObservation(sample.host_id(), sample.resource(), check.day,
                            sample.p95_utilization_percent());
      continue;
    }
    ++rejected_;
    if (rejections_.rejections_size() < limits_.max_rejections_listed) {
      v1::RejectedRow* row = rejections_.add_rejections();
      row->set_index(index);
      row->set_host_id(Utf8Prefix(sample.host_id(), kMaxHostIdLength));
      row->set_field(absl::StrCat("samples[", index, "].", check.field));
      row->set_reason(check.reason);
    }
  }
  if (static_cast<int64_t>(std::max(ingest.sample_hosts(), ingest.hosts())) >
      limits_.max_hosts_per_stream) {
    return TooLarge("hosts", absl::StrCat("the stream names more than ",
                                          limits_.max_hosts_per_stream, " distinct hosts"));
  }
  return grpc::Status::OK;
}

grpc::Status IngestSession::Store(const std::function<bool()>& cancelled,
                                  const std::function<std::shared_ptr<db::ConnectionPool>()>& pool,
                                  v1::IngestTelemetryResponse* response) {
  struct Release {
    IngestSession* session;
    ~Release() { session->ReleaseBuffers(); }
  } release{this};
  if (cancelled()) return CancelledStatus();
  const absl::Time received_at = absl::Now();
  held_bytes_ = ingest_->buffer_bytes();

  std::shared_ptr<db::ConnectionPool> database = pool();
  if (database == nullptr) {
    return MakeError(grpc::StatusCode::UNAVAILABLE, reason::kDatabaseUnavailable,
                     "the database became unreachable; nothing was written");
  }
  absl::StatusOr<db::ConnectionPool::Lease> lease = database->Acquire(kLeaseTimeout);
  if (!lease.ok()) return StoreFailure(lease.status());
  const db::IngestAudit audit{NewUuid(), started_at_, rejected_};
  absl::StatusOr<db::IngestOutcome> outcome =
      db::StoreFleetIngest(**lease, *ingest_, audit, cancelled);
  if (!outcome.ok()) {
    Log(spdlog::level::warn, "ingest_failed",
        {{"ingest_id", audit.ingest_id}, {"error", outcome.status().ToString()}});
    return StoreFailure(outcome.status());
  }
  *response = std::move(rejections_);
  response->set_rows_rejected(rejected_);
  response->set_rows_accepted(outcome->rows_accepted);
  response->set_hosts_upserted(outcome->hosts_upserted);
  response->set_duplicates_replaced(outcome->duplicates_replaced);
  response->set_series_written(outcome->series_written);
  const absl::Time done_at = absl::Now();
  Log(spdlog::level::info, "ingest_committed",
      {{"ingest_id", audit.ingest_id},
       {"rows_accepted", outcome->rows_accepted},
       {"rows_rejected", rejected_},
       {"duplicates_replaced", outcome->duplicates_replaced},
       {"series_written", outcome->series_written},
       {"hosts_upserted", outcome->hosts_upserted},
       {"buffer_mb", static_cast<double>(held_bytes_) / (1 << 20)},
       {"receive_s", absl::ToDoubleSeconds(received_at - started_at_)},
       {"write_s", absl::ToDoubleSeconds(done_at - received_at)}});
  return grpc::Status::OK;
}

NextMessage ParsedMessages(grpc::ServerReaderInterface<grpc::ByteBuffer>* reader) {
  return [reader,
          index = int64_t{0}](v1::IngestTelemetryRequest* message) mutable -> absl::StatusOr<bool> {
    grpc::ByteBuffer bytes;
    if (!reader->Read(&bytes)) return false;
    grpc::Status parsed =
        ParseMessage(bytes, *message, absl::StrCat("message ", index, " of the stream"));
    if (!parsed.ok()) return absl::InvalidArgumentError(parsed.error_message());
    ++index;
    return true;
  };
}

grpc::Status IngestTelemetry(grpc::ServerContextBase* context, const NextMessage& next,
                             const std::function<std::shared_ptr<db::ConnectionPool>()>& pool,
                             v1::IngestTelemetryResponse* response, const IngestLimits& limits) {
  // Refuse before the client sends millions of rows that cannot be stored.
  if (pool() == nullptr) {
    return DatabaseNotReachableYet();
  }
  IngestSession session(limits);
  v1::IngestTelemetryRequest request;
  while (true) {
    absl::StatusOr<bool> read = next(&request);
    if (!read.ok()) {
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                       absl::StrCat(read.status().message(), "; nothing was written"));
    }
    if (!*read) break;
    if (grpc::Status added = session.Add(request); !added.ok()) return added;
  }
  // A read also ends when the client cancels or its deadline passes.
  return session.Store([context] { return context->IsCancelled(); }, pool, response);
}

}  // namespace horizonscale::server

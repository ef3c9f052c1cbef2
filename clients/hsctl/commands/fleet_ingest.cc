// hsctl fleet ingest: the fleet generator's CSV files into
// FleetService.IngestTelemetry (client streaming): the hosts file's rows
// first, then the samples, in messages of at most --batch_rows rows.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/csv_file.h"
#include "clients/hsctl/output.h"
#include "clients/hsctl/telemetry_csv.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

constexpr int kMaxBatchRows = 10'000;  // the server's limit per message
constexpr int kRejectionsShown = 10;

struct IngestFlags {
  std::string samples_path;
  std::string hosts_path;
  int batch_rows = kMaxBatchRows;
  double wait_seconds = 3600;
};

// One IngestTelemetry call. Unless finished, the destructor cancels it, so
// that the server writes nothing of it.
class IngestStream {
 public:
  IngestStream(CliContext& context, double wait_seconds)
      : stub_(v1::FleetService::NewStub(context.connection().channel)),
        call_(context.NewCall(wait_seconds)),
        writer_(stub_->IngestTelemetry(call_.get(), &response_)) {}
  IngestStream(const IngestStream&) = delete;
  IngestStream& operator=(const IngestStream&) = delete;
  ~IngestStream() { Cancel(); }

  // Sends `request`; false when the server has ended the call (Finish
  // says why).
  bool Write(const v1::IngestTelemetryRequest& request) { return writer_->Write(request); }

  // Half-closes the stream and waits for the server's answer (response()).
  grpc::Status Finish() {
    finished_ = true;
    writer_->WritesDone();
    return writer_->Finish();
  }

  // Cancels the call, unless finished, and waits for it to end: the server
  // then writes nothing of it.
  void Cancel() {
    if (finished_) return;
    finished_ = true;
    call_->TryCancel();
    static_cast<void>(writer_->Finish());
  }

  const v1::IngestTelemetryResponse& response() const { return response_; }

 private:
  std::unique_ptr<v1::FleetService::Stub> stub_;
  std::unique_ptr<grpc::ClientContext> call_;
  v1::IngestTelemetryResponse response_;
  std::unique_ptr<grpc::ClientWriter<v1::IngestTelemetryRequest>> writer_;
  bool finished_ = false;
};

// Gathers rows into messages of at most `batch_rows` rows, sends them and
// shows the progress (rows sent of `total`) unless `progress` is null.
class Batcher {
 public:
  Batcher(IngestStream& stream, int batch_rows, int64_t total, Progress* progress)
      : stream_(stream), batch_rows_(batch_rows), total_(total), progress_(progress) {}

  v1::IngestTelemetryRequest& pending() { return pending_; }
  int64_t sent() const { return sent_; }

  // Sends the pending message once it holds `batch_rows` rows (or, with
  // `force`, any rows). False when the server has ended the call.
  bool Flush(bool force) {
    const int rows = pending_.samples_size() + pending_.hosts_size();
    if (rows == 0 || (!force && rows < batch_rows_)) return true;
    if (!stream_.Write(pending_)) return false;
    pending_.Clear();
    sent_ += rows;
    if (progress_ == nullptr) return true;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = seconds > 0 ? sent_ / seconds : 0;
    const int64_t total = std::max(total_, sent_);
    progress_->Update(sent_, total, rate, rate > 0 ? (total - sent_) / rate : 0);
    return true;
  }

 private:
  IngestStream& stream_;
  const int batch_rows_;
  const int64_t total_;
  Progress* const progress_;
  const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  v1::IngestTelemetryRequest pending_;
  int64_t sent_ = 0;
};

// Sends every host of `file`, the last ones in a message of their own.
// False when the server has ended the call. Throws UsageError for a
// malformed line.
bool SendHosts(CsvFile& file, Batcher& batcher) {
  std::vector<std::string> fields;
  std::string error;
  while (file.Next(fields)) {
    if (!ParseHostRow(fields, *batcher.pending().add_hosts(), error)) file.Fail(error);
    if (!batcher.Flush(false)) return false;
  }
  return batcher.Flush(true);
}

// Sends every sample of `file`, then the last message. False when the
// server has ended the call. Throws UsageError for a malformed line.
bool SendSamples(CsvFile& file, Batcher& batcher) {
  std::vector<std::string> fields;
  std::string error;
  while (file.Next(fields)) {
    if (!ParseSampleRow(fields, *batcher.pending().add_samples(), error)) file.Fail(error);
    if (!batcher.Flush(false)) return false;
  }
  return batcher.Flush(true);
}

void PrintOutcome(const v1::IngestTelemetryResponse& response, const CsvFile& samples) {
  Table outcome({"outcome", "count"});
  outcome.Add({"rows accepted", std::to_string(response.rows_accepted())});
  outcome.Add({"rows rejected", std::to_string(response.rows_rejected())});
  outcome.Add({"hosts upserted", std::to_string(response.hosts_upserted())});
  outcome.Add({"duplicates replaced", std::to_string(response.duplicates_replaced())});
  outcome.Add({"series written", std::to_string(response.series_written())});
  outcome.Print(std::cout);
  if (response.rejections().empty()) return;
  std::cout << "\n";
  Table rejections({"line", "host", "field", "reason"});
  int shown = 0;
  for (const v1::RejectedRow& row : response.rejections()) {
    if (shown++ == kRejectionsShown) break;
    rejections.Add({fmt::format("{}:{}", samples.path(), samples.LineOf(row.index())),
                    row.host_id(), row.field(), row.reason()});
  }
  rejections.Print(std::cout);
  if (response.rows_rejected() > kRejectionsShown) {
    std::cout << fmt::format("... {} rejected rows in all\n", response.rows_rejected());
  }
}

// The hosts file to send: --hosts, or else FILE.hosts.csv when it exists.
std::string HostsPath(const IngestFlags& flags) {
  if (!flags.hosts_path.empty()) return flags.hosts_path;
  const std::string sibling = flags.samples_path + ".hosts.csv";
  return std::filesystem::exists(sibling) ? sibling : "";
}

void RunIngest(const IngestFlags& flags, CliContext& context) {
  const std::string hosts_path = HostsPath(flags);
  // The progress total: the data lines of both files, counted up front.
  const int64_t total =
      CountDataLines(flags.samples_path) + (hosts_path.empty() ? 0 : CountDataLines(hosts_path));
  CsvFile samples(flags.samples_path, kSamplesHeader);
  std::optional<CsvFile> hosts;
  if (!hosts_path.empty()) hosts.emplace(hosts_path, kHostsHeader);

  IngestStream stream(context, flags.wait_seconds);
  Progress progress("rows");
  Batcher batcher(stream, flags.batch_rows, total, context.json() ? nullptr : &progress);
  try {
    if (!hosts.has_value() || SendHosts(*hosts, batcher)) SendSamples(samples, batcher);
  } catch (const UsageError&) {
    progress.Finish();
    stream.Cancel();  // before Finish: nothing of the stream is written
    throw;
  }
  progress.Finish();
  if (!context.Check(stream.Finish())) return;
  if (context.json()) return PrintJson(stream.response());
  PrintOutcome(stream.response(), samples);
}

}  // namespace

void AddFleetIngestCommand(CLI::App& fleet, CliContext& context) {
  auto flags = std::make_shared<IngestFlags>();
  CLI::App* ingest = fleet.add_subcommand(
      "ingest",
      "Stream a fleet CSV (host_id,resource,date,p95_utilization_percent, as the fleet "
      "generator's --csv writes it) and its hosts file into the server, in one transaction");
  ingest->add_option("FILE", flags->samples_path, "the samples CSV")
      ->required()
      ->check(CLI::ExistingFile);
  ingest
      ->add_option("--hosts", flags->hosts_path,
                   "the hosts CSV (host_id,department,app_code,scenario), sent first "
                   "(default: FILE.hosts.csv when it exists)")
      ->check(CLI::ExistingFile);
  ingest->add_option("--batch_rows", flags->batch_rows, "rows per message")
      ->check(CLI::Range(1, kMaxBatchRows))
      ->capture_default_str();
  ingest->add_option("--wait", flags->wait_seconds, "seconds the whole stream may take")
      ->capture_default_str();
  ingest->callback([flags, &context] { RunIngest(*flags, context); });
}

}  // namespace horizonscale::hsctl

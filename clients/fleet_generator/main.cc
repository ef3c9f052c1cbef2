// horizonscale-fleet-generator: writes a synthetic fleet to CSV files and/or
// streams it into the server's IngestTelemetry. Exit codes: 0 success, 1 a
// failed write or call, 2 bad flags.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/str_format.h>

#include "clients/fleet_generator/cli_options.h"
#include "clients/fleet_generator/csv.h"
#include "clients/fleet_generator/csv_sink.h"
#include "clients/fleet_generator/fleet_generator.h"
#include "clients/fleet_generator/ingest_client.h"
#include "clients/fleet_generator/ordered_parallel.h"

namespace fg = horizonscale::fleetgen;

namespace {

constexpr int kHostsPerChunk = 64;
constexpr int kRejectionsShown = 10;

// A generated host and, when CSV is written, its sample rows.
struct HostWork {
  absl::StatusOr<fg::GeneratedHost> host;
  std::string sample_rows;
};

int Fail(const absl::Status& status) {
  std::cerr << "horizonscale-fleet-generator: " << status.message() << "\n";
  return 1;
}

void PrintResponse(const horizonscale::v1::IngestTelemetryResponse& response, std::FILE* out) {
  absl::FPrintF(out, "IngestTelemetry: %d rows accepted, %d rejected, %d hosts upserted\n",
                response.rows_accepted(), response.rows_rejected(), response.hosts_upserted());
  const int shown = std::min(response.rejections_size(), kRejectionsShown);
  if (shown > 0) absl::FPrintF(out, "first rejections:\n");
  for (int i = 0; i < shown; ++i) {
    const horizonscale::v1::RejectedRow& row = response.rejections(i);
    absl::FPrintF(out, "  row %d host %s %s: %s\n", row.index(), row.host_id(), row.field(),
                  row.reason());
  }
}

int Run(const fg::CliOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const fg::FleetOptions& fleet = options.fleet;

  std::unique_ptr<fg::CsvSink> csv;
  if (!options.csv_path.empty()) {
    absl::StatusOr<std::unique_ptr<fg::CsvSink>> opened =
        fg::CsvSink::Open(options.csv_path, options.hosts_csv_path, options.breaches_csv_path);
    if (!opened.ok()) return Fail(opened.status());
    csv = std::move(*opened);
  }

  std::unique_ptr<fg::IngestClient> ingest;
  if (!options.server.target.empty()) {
    absl::StatusOr<std::unique_ptr<fg::IngestClient>> started = fg::IngestClient::Start(
        options.server,
        std::chrono::milliseconds(static_cast<int64_t>(options.deadline_seconds * 1000)),
        options.batch_rows);
    if (!started.ok()) return Fail(started.status());
    ingest = *std::move(started);
    for (int i = 0; i < fleet.hosts; ++i) {
      absl::StatusOr<fg::HostSpec> spec = fg::FleetHostSpec(fleet, i);
      if (!spec.ok()) return Fail(spec.status());
      if (absl::Status s = ingest->AddHost(*spec); !s.ok()) return Fail(s);
    }
  }

  int64_t csv_rows = 0;
  const bool want_rows = csv != nullptr;
  absl::Status generated = fg::OrderedParallelMap<HostWork>(
      fleet.hosts, options.threads, kHostsPerChunk,
      [&fleet, want_rows](int index) {
        HostWork work{fg::GenerateHost(fleet, index), {}};
        if (want_rows && work.host.ok()) fg::AppendSampleRows(*work.host, work.sample_rows);
        return work;
      },
      [&](HostWork& work) -> absl::Status {
        if (!work.host.ok()) return work.host.status();
        if (csv != nullptr) {
          csv_rows += std::count(work.sample_rows.begin(), work.sample_rows.end(), '\n');
          if (absl::Status s = csv->Write(*work.host, work.sample_rows); !s.ok()) return s;
        }
        if (ingest != nullptr) return ingest->AddSamples(*work.host);
        return absl::OkStatus();
      });
  if (!generated.ok()) return Fail(generated);
  if (csv != nullptr) {
    if (absl::Status s = csv->Close(); !s.ok()) return Fail(s);
  }

  // The report goes to stderr when the samples go to stdout.
  std::FILE* report = options.csv_path == "-" ? stderr : stdout;
  if (ingest != nullptr) {
    absl::StatusOr<horizonscale::v1::IngestTelemetryResponse> response = ingest->Finish();
    if (!response.ok()) return Fail(response.status());
    PrintResponse(*response, report);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  absl::FPrintF(report, "%d hosts x 4 resources x %d days (seed %d): ", fleet.hosts, fleet.days,
                fleet.seed);
  if (csv != nullptr) absl::FPrintF(report, "%d CSV rows, ", csv_rows);
  if (ingest != nullptr) absl::FPrintF(report, "%d samples streamed, ", ingest->samples());
  absl::FPrintF(report, "%.2f s on %d threads\n", seconds, options.threads);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const int cpus = static_cast<int>(std::thread::hardware_concurrency());
  absl::StatusOr<fg::CliOptions> options = fg::ParseCliOptions(args, cpus);
  if (!options.ok()) {
    std::cerr << "horizonscale-fleet-generator: " << options.status().message() << "\n";
    return 2;
  }
  if (options->help) {
    std::cout << fg::UsageText();
    return 0;
  }
  return Run(*options);
}

// Command-line flags of horizonscale-fleet-generator.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

#include "clients/connection/connection.h"
#include "clients/fleet_generator/fleet_generator.h"

namespace horizonscale::fleetgen {

struct CliOptions {
  FleetOptions fleet;
  std::string csv_path;           // samples CSV; "-": stdout; empty: none
  std::string hosts_csv_path;     // empty: csv_path + ".hosts.csv" (none for stdout)
  std::string breaches_csv_path;  // empty: csv_path + ".breaches.csv" (none for stdout)
  // The server (HOST:PORT; empty target: do not stream), TLS and token.
  clients::ConnectionOptions server;
  double deadline_seconds = 3600;
  int threads = 1;
  int batch_rows = 10'000;  // samples per IngestTelemetry message
  bool help = false;        // --help: print UsageText() and exit 0
};

// Parses `args` (without the program name): `--name=value` or `--name value`,
// `--dirty` and `--help` alone. The default of --threads is `default_threads`.
// Returns INVALID_ARGUMENT naming the flag for an unknown flag, a missing or
// malformed value, a value out of range, or when neither --csv nor --target
// is given (unless --help).
absl::StatusOr<CliOptions> ParseCliOptions(std::span<const std::string_view> args,
                                           int default_threads);

// The --help text.
std::string UsageText();

}  // namespace horizonscale::fleetgen

// Command-line flags of horizonscale-server and their environment variables.
//
// Every flag `--name=value` (or `--name value`) has an environment variable
// equivalent; a flag wins over its variable, which wins over the default.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

namespace horizonscale::server {

enum class LogFormat { kText, kJson };

struct ServerOptions {
  std::string listen = "127.0.0.1:50051";
  std::string database_url;  // empty: libpq's PG* environment variables
  int db_pool_size = 8;
  std::string log_level = "info";
  LogFormat log_format = LogFormat::kText;
  int worker_threads = 64;  // threads running calls' blocking work (server/transport/work_pool.h)
  // Calls that may wait for a busy worker thread before RESOURCE_EXHAUSTED.
  int max_queued_calls = 64;
  // Client streams (IngestTelemetry) silent this long are ended.
  std::chrono::milliseconds stream_idle_timeout{30'000};
  // Open streams (IngestTelemetry, RunCompetition, Health/Watch) per client
  // address, and in the whole server.
  int max_streams_per_peer = 16;
  int max_streams = 256;
  std::chrono::milliseconds drain_timeout{30'000};
  std::chrono::milliseconds db_check_interval{5'000};
  bool persist_plans = true;
  int64_t max_simulation_events = 200'000'000;
  int fleet_workers = 2;  // tournament scoring threads (one per core of the target machine)
  // The KEDA scaler reads a queue's metrics again (from the database, or
  // from Prometheus) when its copy is older than this.
  std::chrono::milliseconds scaler_metrics_refresh{15'000};
  // The HTTP port (metrics, health, JSON calls, dashboard); empty: none.
  std::string http_listen = "127.0.0.1:8080";
  int http_threads = 8;  // HTTP requests served at once
  // Queues with their own series in /metrics (server/metrics/planner_metrics.h).
  int metrics_max_queues = 10'000;
  // How often the fleet's figures for /metrics are read from the database.
  std::chrono::milliseconds metrics_refresh{30'000};
  // Series at risk with their own series in /metrics (earliest breaches).
  int metrics_max_risk_series = 1'000;
  // TLS for both ports (server/security/tls_config.h); empty: plaintext.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string tls_client_auth = "none";  // none, request or require
  // Serve plaintext on a non-loopback address (refused otherwise).
  bool allow_insecure = false;
  // Who may call what (server/security/access_file.h); empty: every call is
  // admitted (loopback development).
  std::string access_file;
  // GET /metrics without credentials even when --access_file is given.
  bool metrics_open = false;
  bool help = false;  // --help was given: print UsageText() and exit 0
};

// Reads a variable of the environment; returns nullptr when unset.
using EnvLookup = std::function<const char*(const char*)>;

// Parses `args` (without the program name) and the environment into options.
// Returns INVALID_ARGUMENT naming the flag (or variable) and the bad value for
// an unknown flag, a missing value or a value out of range.
absl::StatusOr<ServerOptions> ParseOptions(std::span<const std::string_view> args,
                                           const EnvLookup& env);

// The --help text: every flag with its variable, default and meaning.
std::string UsageText();

}  // namespace horizonscale::server

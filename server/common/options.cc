#include "server/common/options.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/time/time.h>

namespace horizonscale::server {
namespace {

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

struct OptionSpec {
  std::string_view flag;
  std::string_view env;
  std::string_view default_text;
  std::string_view help;
  // Stores `value` into `options`; returns an error text ("" when valid).
  std::function<std::string(std::string_view value, ServerOptions& options)> set;
  // A true/false flag: given alone (--name), it means --name=true.
  bool is_switch = false;
};

template <typename Int>
std::string SetInt(std::string_view value, Int min, Int max, Int& out) {
  Int parsed = 0;
  if (!absl::SimpleAtoi(AbslView(value), &parsed) || parsed < min || parsed > max) {
    return absl::StrCat("must be an integer in [", min, ", ", max, "]");
  }
  out = parsed;
  return "";
}

std::string SetBool(std::string_view value, bool& out) {
  if (value == "true" || value == "1") {
    out = true;
  } else if (value == "false" || value == "0") {
    out = false;
  } else {
    return "must be true or false";
  }
  return "";
}

// Accepts Go-style durations ("30s", "500ms", "1m30s") or plain seconds ("30").
std::string SetDuration(std::string_view value, std::chrono::milliseconds min,
                        std::chrono::milliseconds& out) {
  absl::Duration parsed;
  double seconds = 0;
  if (absl::SimpleAtod(AbslView(value), &seconds)) {
    parsed = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(std::string(value), &parsed)) {
    return "must be a duration such as 30s, 500ms or 2m";
  }
  const auto millis = std::chrono::milliseconds(absl::ToInt64Milliseconds(parsed));
  if (millis < min || parsed == absl::InfiniteDuration()) {
    return absl::StrCat("must be a finite duration of at least ", min.count(), "ms");
  }
  out = millis;
  return "";
}

const std::vector<OptionSpec>& Specs() {
  static const std::vector<OptionSpec> specs = {
      {"listen", "HS_LISTEN", "127.0.0.1:50051", "gRPC listen address host:port",
       [](std::string_view v, ServerOptions& o) -> std::string {
         if (v.empty() || v.find(':') == std::string_view::npos) return "must be host:port";
         o.listen = std::string(v);
         return "";
       }},
      {"database_url", "DATABASE_URL", "(libpq PG* variables)",
       "PostgreSQL connection URL or libpq keyword string",
       [](std::string_view v, ServerOptions& o) -> std::string {
         o.database_url = std::string(v);
         return "";
       }},
      {"db_pool_size", "HS_DB_POOL_SIZE", "8", "most concurrent database connections",
       [](std::string_view v, ServerOptions& o) { return SetInt(v, 1, 1000, o.db_pool_size); }},
      {"log_level", "HS_LOG_LEVEL", "info", "trace, debug, info, warn, error or off",
       [](std::string_view v, ServerOptions& o) -> std::string {
         for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"}) {
           if (v == level) {
             o.log_level = std::string(v);
             return "";
           }
         }
         return "must be one of trace, debug, info, warn, error, off";
       }},
      {"log_format", "HS_LOG_FORMAT", "text", "text, or json for JSON lines",
       [](std::string_view v, ServerOptions& o) -> std::string {
         if (v == "text")
           o.log_format = LogFormat::kText;
         else if (v == "json")
           o.log_format = LogFormat::kJson;
         else
           return "must be text or json";
         return "";
       }},
      {"worker_threads", "HS_WORKER_THREADS", "64",
       "threads running the blocking work of calls (unary handlers, ingest commits, tournament "
       "progress polls); streams and health checks hold none of them",
       [](std::string_view v, ServerOptions& o) { return SetInt(v, 2, 4096, o.worker_threads); }},
      {"max_queued_calls", "HS_MAX_QUEUED_CALLS", "64",
       "calls that may wait for a busy worker thread; beyond them calls get RESOURCE_EXHAUSTED "
       "(SERVER_BUSY) at once",
       [](std::string_view v, ServerOptions& o) {
         return SetInt(v, 0, 100'000, o.max_queued_calls);
       }},
      {"stream_idle_timeout", "HS_STREAM_IDLE_TIMEOUT", "30s",
       "a client stream (IngestTelemetry) that sends nothing for this long is ended with "
       "DEADLINE_EXCEEDED (STREAM_IDLE), nothing written",
       [](std::string_view v, ServerOptions& o) {
         return SetDuration(v, std::chrono::milliseconds(100), o.stream_idle_timeout);
       }},
      {"max_streams_per_peer", "HS_MAX_STREAMS_PER_PEER", "16",
       "most streams (IngestTelemetry, RunCompetition, Health/Watch) open at once from one client "
       "address; more get RESOURCE_EXHAUSTED (TOO_MANY_STREAMS)",
       [](std::string_view v, ServerOptions& o) {
         return SetInt(v, 1, 100'000, o.max_streams_per_peer);
       }},
      {"max_streams", "HS_MAX_STREAMS", "256",
       "most streams open at once in the whole server; more get RESOURCE_EXHAUSTED "
       "(TOO_MANY_STREAMS)",
       [](std::string_view v, ServerOptions& o) { return SetInt(v, 1, 1'000'000, o.max_streams); }},
      {"drain_timeout", "HS_DRAIN_TIMEOUT", "30s",
       "on SIGTERM/SIGINT, how long in-flight calls may finish before they are cancelled",
       [](std::string_view v, ServerOptions& o) {
         return SetDuration(v, std::chrono::milliseconds(0), o.drain_timeout);
       }},
      {"db_check_interval", "HS_DB_CHECK_INTERVAL", "5s",
       "how often database reachability is checked for the health status",
       [](std::string_view v, ServerOptions& o) {
         return SetDuration(v, std::chrono::milliseconds(100), o.db_check_interval);
       }},
      {"persist_plans", "HS_PERSIST_PLANS", "true",
       "store plans and metric history in PostgreSQL (false: memory only, no idempotent retries)",
       [](std::string_view v, ServerOptions& o) { return SetBool(v, o.persist_plans); }},
      {"max_simulation_events", "HS_MAX_SIMULATION_EVENTS", "200000000",
       "most events one Simulate call may simulate (estimated before it starts)",
       [](std::string_view v, ServerOptions& o) {
         return SetInt<int64_t>(v, 1000, int64_t{1} << 40, o.max_simulation_events);
       }},
      {"fleet_workers", "HS_FLEET_WORKERS", "2",
       "threads scoring forecasting tournament runs (shards claimed from the database, shared "
       "with other replicas and horizonscale-fleet-worker processes); 0: none here",
       [](std::string_view v, ServerOptions& o) { return SetInt(v, 0, 256, o.fleet_workers); }},
      {"scaler_metrics_refresh", "HS_SCALER_METRICS_REFRESH", "15s",
       "the KEDA scaler reads a queue's metrics again (stored by another replica, or from "
       "Prometheus) when its copy is older than this",
       [](std::string_view v, ServerOptions& o) {
         return SetDuration(v, std::chrono::milliseconds(100), o.scaler_metrics_refresh);
       }},
      {"http_listen", "HS_HTTP_LISTEN", "127.0.0.1:8080",
       "HTTP listen address host:port for /metrics, /healthz, /readyz, JSON calls and the "
       "dashboard; empty: no HTTP port",
       [](std::string_view v, ServerOptions& o) -> std::string {
         if (!v.empty() && v.find(':') == std::string_view::npos)
           return "must be host:port or empty";
         o.http_listen = std::string(v);
         return "";
       }},
      {"http_threads", "HS_HTTP_THREADS", "8",
       "HTTP requests served at once (each JSON call holds one until it ends)",
       [](std::string_view v, ServerOptions& o) { return SetInt(v, 1, 1024, o.http_threads); }},
      {"metrics_max_queues", "HS_METRICS_MAX_QUEUES", "10000",
       "queues with their own series in /metrics (in order of first plan); plans of further "
       "queues count in capacity_planner_queue_series_dropped_total",
       [](std::string_view v, ServerOptions& o) {
         return SetInt(v, 0, 1'000'000, o.metrics_max_queues);
       }},
      {"metrics_refresh", "HS_METRICS_REFRESH", "30s",
       "how often the fleet's figures for /metrics (runs, model wins, risks) are read from the "
       "database",
       [](std::string_view v, ServerOptions& o) {
         return SetDuration(v, std::chrono::milliseconds(100), o.metrics_refresh);
       }},
      {"metrics_max_risk_series", "HS_METRICS_MAX_RISK_SERIES", "1000",
       "series at risk (earliest breaches first) with their own days-to-breach and "
       "days-to-planned-action series in /metrics",
       [](std::string_view v, ServerOptions& o) {
         return SetInt(v, 0, 100'000, o.metrics_max_risk_series);
       }},
      {"tls_cert", "HS_TLS_CERT", "(none: plaintext)",
       "PEM certificate chain for TLS on both ports (gRPC and HTTP); read again when it changes",
       [](std::string_view v, ServerOptions& o) -> std::string {
         o.tls_cert = std::string(v);
         return "";
       }},
      {"tls_key", "HS_TLS_KEY", "(none)", "PEM private key of --tls_cert",
       [](std::string_view v, ServerOptions& o) -> std::string {
         o.tls_key = std::string(v);
         return "";
       }},
      {"tls_client_ca", "HS_TLS_CLIENT_CA", "(none)",
       "PEM CA certificates that sign client certificates (mTLS)",
       [](std::string_view v, ServerOptions& o) -> std::string {
         o.tls_client_ca = std::string(v);
         return "";
       }},
      {"tls_client_auth", "HS_TLS_CLIENT_AUTH", "none",
       "client certificates: none, request (verified when sent) or require",
       [](std::string_view v, ServerOptions& o) -> std::string {
         if (v != "none" && v != "request" && v != "require") {
           return "must be none, request or require";
         }
         o.tls_client_auth = std::string(v);
         return "";
       }},
      {"allow_insecure", "HS_ALLOW_INSECURE", "false",
       "serve plaintext on a non-loopback address (without it the server refuses to start)",
       [](std::string_view v, ServerOptions& o) { return SetBool(v, o.allow_insecure); },
       /*is_switch=*/true},
      {"access_file", "HS_ACCESS_FILE", "(none: every call admitted)",
       "YAML of bearer-token hashes and client-certificate names with their roles (reader, "
       "planner, admin) and limits; read again when it changes",
       [](std::string_view v, ServerOptions& o) -> std::string {
         o.access_file = std::string(v);
         return "";
       }},
      {"metrics_open", "HS_METRICS_OPEN", "false",
       "serve GET /metrics without credentials although --access_file is given",
       [](std::string_view v, ServerOptions& o) { return SetBool(v, o.metrics_open); },
       /*is_switch=*/true},
  };
  return specs;
}

absl::Status Apply(const OptionSpec& spec, std::string_view source, std::string_view value,
                   ServerOptions& options) {
  if (std::string error = spec.set(value, options); !error.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(AbslView(source), "=\"", AbslView(value),
                                                   "\" is invalid: ", AbslView(spec.flag), " ",
                                                   error));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerOptions> ParseOptions(std::span<const std::string_view> args,
                                           const EnvLookup& env) {
  ServerOptions options;
  for (const OptionSpec& spec : Specs()) {
    if (const char* value = env(std::string(spec.env).c_str()); value != nullptr) {
      if (absl::Status s = Apply(spec, spec.env, value, options); !s.ok()) return s;
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    if (!arg.starts_with("--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument \"", AbslView(arg),
                                                     "\"; flags look like --name=value"));
    }
    arg.remove_prefix(2);
    std::string_view name = arg;
    std::string_view value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& candidate : Specs()) {
      if (candidate.flag == name) spec = &candidate;
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag --", AbslView(name), "; see --help for the list"));
    }
    if (!has_value && spec->is_switch) {
      value = "true";
    } else if (!has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("flag --", AbslView(name), " needs a value"));
      }
      value = args[++i];
    }
    if (absl::Status s = Apply(*spec, absl::StrCat("--", AbslView(name)), value, options);
        !s.ok()) {
      return s;
    }
  }
  return options;
}

std::string UsageText() {
  std::string text =
      "Usage: horizonscale-server [--flag=value ...]\n\n"
      "HorizonScale capacity-planning gRPC server. Each flag can also be set\n"
      "through its environment variable; the flag wins.\n\n";
  for (const OptionSpec& spec : Specs()) {
    absl::StrAppendFormat(&text, "  --%-18s %-22s default %s\n      %s\n", AbslView(spec.flag),
                          AbslView(spec.env), AbslView(spec.default_text), AbslView(spec.help));
  }
  text +=
      "\nEnvironment only:\n"
      "  HS_PAGE_TOKEN_SECRET   the secret page tokens are signed with (replicas\n"
      "      behind one address must share it); default: random per process\n"
      "  PGCONNECT_TIMEOUT      libpq's connect timeout in seconds; default 5\n";
  return text;
}

}  // namespace horizonscale::server

#include "clients/fleet_generator/cli_options.h"

#include <cmath>
#include <optional>
#include <vector>

#include <absl/strings/numbers.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_split.h>

namespace horizonscale::fleetgen {
namespace {

// Debian builds Abseil with its own string_view type: convert at the seam.
absl::string_view AbslView(std::string_view text) { return {text.data(), text.size()}; }

absl::Status BadValue(std::string_view flag, std::string_view value, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", AbslView(flag), ": \"", AbslView(value), "\" ", AbslView(what)));
}

absl::Status ParseInt(std::string_view flag, std::string_view value, int low, int high, int& out) {
  if (!absl::SimpleAtoi(AbslView(value), &out)) return BadValue(flag, value, "is not an integer");
  if (out < low || out > high) {
    return BadValue(flag, value, absl::StrCat("is outside [", low, ", ", high, "]"));
  }
  return absl::OkStatus();
}

absl::Status ParseDouble(std::string_view flag, std::string_view value, double low, double high,
                         double& out) {
  if (!absl::SimpleAtod(AbslView(value), &out) || !std::isfinite(out)) {
    return BadValue(flag, value, "is not a number");
  }
  if (out < low || out > high) {
    return BadValue(flag, value, absl::StrCat("is outside [", low, ", ", high, "]"));
  }
  return absl::OkStatus();
}

absl::Status ParseBool(std::string_view flag, std::string_view value, bool& out) {
  if (value == "true" || value == "1") {
    out = true;
  } else if (value == "false" || value == "0") {
    out = false;
  } else {
    return BadValue(flag, value, "is not true or false");
  }
  return absl::OkStatus();
}

// "name:weight,name:weight,..." (a bare name weighs 1); unlisted scenarios
// weigh 0.
absl::Status ParseScenarioMix(std::string_view value, FleetOptions& fleet) {
  std::array<double, kScenarioCount> weights{};
  for (absl::string_view item : absl::StrSplit(AbslView(value), ',')) {
    std::pair<absl::string_view, absl::string_view> parts = absl::StrSplit(item, ':');
    const std::optional<Scenario> scenario =
        ParseScenario(std::string_view(parts.first.data(), parts.first.size()));
    if (!scenario.has_value()) {
      return BadValue("scenario_mix", value,
                      absl::StrCat("names an unknown scenario \"", parts.first, "\""));
    }
    double weight = 1;
    if (!parts.second.empty() &&
        (!absl::SimpleAtod(parts.second, &weight) || !std::isfinite(weight) || weight < 0)) {
      return BadValue("scenario_mix", value,
                      absl::StrCat("has a bad weight \"", parts.second, "\""));
    }
    weights[static_cast<size_t>(*scenario)] = weight;
  }
  fleet.scenario_weights = weights;
  return absl::OkStatus();
}

// Applies `--name=value`.
absl::Status Apply(std::string_view name, std::string_view value, CliOptions& options) {
  FleetOptions& fleet = options.fleet;
  if (name == "hosts") return ParseInt(name, value, 1, 10'000'000, fleet.hosts);
  if (name == "days") return ParseInt(name, value, 2, 36'600, fleet.days);
  if (name == "end_date") {
    if (value.size() != 10 || !absl::ParseCivilTime(AbslView(value), &fleet.end_day)) {
      return BadValue(name, value, "is not a date YYYY-MM-DD");
    }
    return absl::OkStatus();
  }
  if (name == "seed") {
    if (!absl::SimpleAtoi(AbslView(value), &fleet.seed)) {
      return BadValue(name, value, "is not an unsigned 64-bit integer");
    }
    return absl::OkStatus();
  }
  if (name == "dirty") return ParseBool(name, value, fleet.dirty);
  if (name == "overshoot_fraction") {
    return ParseDouble(name, value, 0, 0.001, fleet.overshoot_fraction);
  }
  if (name == "scenario_mix") return ParseScenarioMix(value, fleet);
  if (name == "breach_horizon_days") {
    return ParseInt(name, value, 0, 36'600, fleet.breach_horizon_days);
  }
  if (name == "csv") {
    options.csv_path = value;
  } else if (name == "hosts_csv") {
    options.hosts_csv_path = value;
  } else if (name == "breaches_csv") {
    options.breaches_csv_path = value;
  } else if (name == "target") {
    options.server.target = value;
  } else if (name == "tls_ca") {
    options.server.tls_ca = value;
  } else if (name == "tls_cert") {
    options.server.tls_cert = value;
  } else if (name == "tls_key") {
    options.server.tls_key = value;
  } else if (name == "token_file") {
    options.server.token_file = value;
  } else if (name == "deadline_seconds") {
    return ParseDouble(name, value, 0.001, 1e7, options.deadline_seconds);
  } else if (name == "threads") {
    return ParseInt(name, value, 1, 1024, options.threads);
  } else if (name == "batch_rows") {
    return ParseInt(name, value, 1, 10'000, options.batch_rows);
  } else if (name == "help") {
    return ParseBool(name, value, options.help);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown flag --", AbslView(name), " (see --help)"));
  }
  if (value.empty()) return BadValue(name, value, "is empty");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CliOptions> ParseCliOptions(std::span<const std::string_view> args,
                                           int default_threads) {
  CliOptions options;
  options.threads = std::max(1, default_threads);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--") || arg.size() == 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected argument \"", AbslView(arg), "\""));
    }
    arg.remove_prefix(2);
    const size_t equals = arg.find('=');
    const std::string_view name = arg.substr(0, equals);
    std::string_view value;
    if (equals != std::string_view::npos) {
      value = arg.substr(equals + 1);
    } else if (name == "dirty" || name == "help") {
      value = "true";
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("--", AbslView(name), " needs a value"));
    }
    if (absl::Status status = Apply(name, value, options); !status.ok()) return status;
  }
  if (options.help) return options;
  if (absl::Status status = ValidateFleetOptions(options.fleet); !status.ok()) return status;
  if (options.csv_path.empty() && options.server.target.empty()) {
    return absl::InvalidArgumentError(
        "nothing to do: give --csv=PATH (or --csv=- for stdout) and/or --target=HOST:PORT");
  }
  if (options.csv_path.empty() &&
      (!options.hosts_csv_path.empty() || !options.breaches_csv_path.empty())) {
    return absl::InvalidArgumentError("--hosts_csv and --breaches_csv need --csv");
  }
  if (options.csv_path != "-") {
    if (options.hosts_csv_path.empty() && !options.csv_path.empty()) {
      options.hosts_csv_path = absl::StrCat(options.csv_path, ".hosts.csv");
    }
    if (options.breaches_csv_path.empty() && !options.csv_path.empty()) {
      options.breaches_csv_path = absl::StrCat(options.csv_path, ".breaches.csv");
    }
  }
  return options;
}

std::string UsageText() {
  return R"(horizonscale-fleet-generator: synthetic daily P95 utilization of a fleet of
hosts (cpu, memory, disk, network), each host with a known behaviour.

Output (at least one):
  --csv=PATH             samples as host_id,resource,date,p95_utilization_percent
                         ("-": stdout); also writes PATH.hosts.csv
                         (host_id,department,app_code,scenario) and
                         PATH.breaches.csv (host_id,resource,true_breach_date)
  --hosts_csv=PATH       where the hosts file goes instead (needed with --csv=-)
  --breaches_csv=PATH    where the breaches file goes instead
  --target=HOST:PORT     streams hosts then samples into the server's
                         horizonscale.v1.FleetService/IngestTelemetry
  --tls_ca=PEM           TLS to --target, trusting this CA (default: plaintext)
  --tls_cert=PEM, --tls_key=PEM  a client certificate (mTLS)
  --token_file=FILE      a bearer token (its first line) for a server with an
                         --access_file; IngestTelemetry needs the admin role
  --deadline_seconds=S   deadline of that call (default 3600)
  --batch_rows=N         samples per message, 1 to 10000 (default 10000)

Fleet:
  --hosts=N              hosts (default 2000)
  --days=N               days of history (default 1095)
  --end_date=YYYY-MM-DD  last day of history (default 2026-11-26)
  --seed=N               random seed (default 42); same seed, same fleet
  --dirty                add gaps (missing days) and duplicate rows
  --overshoot_fraction=F share of values overshooting 100 slightly, in
                         [0, 0.001] (default 0.0003)
  --scenario_mix=LIST    e.g. "steady_growth:2,capacity_breach:1" (unlisted: 0);
                         default an even mix of steady_growth, seasonal,
                         capacity_breach, step_shift, bursty, flat_noisy, declining
  --breach_horizon_days=N  days after the end within which a true breach is
                         still recorded (default 365)
  --threads=N            generator threads (default: the CPUs); the output does
                         not depend on it
  --help                 this text
)";
}

}  // namespace horizonscale::fleetgen

#include "bench/fleet/fleet_bench_support.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace horizonscale::bench {

fleetgen::FleetOptions BenchFleetOptions(int hosts, int days, uint64_t seed) {
  fleetgen::FleetOptions options;
  options.hosts = hosts;
  options.days = days + kFutureDays;
  options.seed = seed;
  return options;
}

std::optional<forecast::DailySeries> TournamentHistory(const fleetgen::GeneratedSeries& generated,
                                                       int days) {
  std::vector<int32_t> day_numbers;
  std::vector<double> values;
  for (int d = 0; d < days && d < static_cast<int>(generated.values.size()); ++d) {
    if (std::isnan(generated.values[d])) continue;
    day_numbers.push_back(static_cast<int32_t>(generated.first_day + d));
    values.push_back(generated.values[d]);
  }
  absl::StatusOr<forecast::DailySeries> prepared =
      forecast::PrepareDailySeries(day_numbers, values);
  if (!prepared.ok()) return std::nullopt;
  return *std::move(prepared);
}

bool ParseFlags(int argc, char** argv,
                const std::map<std::string, std::function<bool(const std::string&)>>& handlers) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq);
    const std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    const auto handler = handlers.find(key);
    if (handler == handlers.end() || !handler->second(value)) {
      std::fprintf(stderr, "bad argument %s\n", arg.c_str());
      return false;
    }
  }
  return true;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double Median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace horizonscale::bench

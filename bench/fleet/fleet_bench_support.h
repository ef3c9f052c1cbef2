// What the fleet benches share: the fleet they generate (so the series of
// one bench are the series of the other), their --key=value flags and small
// statistics.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clients/fleet_generator/fleet_generator.h"
#include "forecast/fleet/fleet_refinery.h"

namespace horizonscale::bench {

// The generator is asked for this many days more than the tournament sees:
// the held-out future of the golden forecasts.
inline constexpr int kFutureDays = 180;

// The generator's options for a bench fleet of `hosts` hosts whose
// tournament sees `days` days.
fleetgen::FleetOptions BenchFleetOptions(int hosts, int days, uint64_t seed);

// The tournament's view of `generated`: its first `days` values, prepared
// by the refinery (missing days filled); nullopt when it cannot be prepared.
std::optional<forecast::DailySeries> TournamentHistory(const fleetgen::GeneratedSeries& generated,
                                                       int days);

// Parses argv's --key=value flags, each through its handler in `handlers`
// (false: a bad value). False, after a message on stderr, for an unknown
// flag or a bad value.
bool ParseFlags(int argc, char** argv,
                const std::map<std::string, std::function<bool(const std::string&)>>& handlers);

// Seconds elapsed since `since`.
double Seconds(std::chrono::steady_clock::time_point since);

// The median of `values`; NaN when empty.
double Median(std::vector<double> values);

}  // namespace horizonscale::bench

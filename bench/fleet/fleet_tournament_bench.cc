// The fleet tournament in-process on a synthetic fleet (clients/
// fleet_generator): how long the whole fleet takes on this machine, how
// accurate the tournament honestly is, how well the golden forecasts'
// intervals cover what happened next, and peak memory.
//
//   fleet_tournament_bench [--hosts=2000] [--days=1095] [--threads=2] [--seed=42]
//                          [--models=prophet,xgboost,holt_winters,holt,ewma,seasonal_naive]
//
// The fleet is generated with 180 days more than --days: the tournament sees
// the first --days, the rest is the held-out future of the golden forecasts.
//
// Honest accuracy: picking a champion on the same 30 days it is graded on
// flatters it, so the tournament is also run one window earlier (history
// without its last 30 days): each series' champion is chosen on days
// −60…−31, then it and every single model are graded on the last 30 days,
// which none of them saw (each model fitted on all but those 30 days).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/numbers.h>
#include <absl/strings/str_split.h>

#include "clients/fleet_generator/fleet_generator.h"
#include "forecast/fleet_boosting.h"
#include "forecast/fleet_refinery.h"
#include "forecast/tournament.h"

namespace fc = horizonscale::forecast;
namespace fg = horizonscale::fleetgen;

namespace {

constexpr int kFutureDays = 180;

struct Flags {
  int hosts = 2000;
  int days = 1095;
  int threads = 2;
  uint64_t seed = 42;
  std::vector<fc::ModelKind> models = {fc::ModelKind::kProphet,     fc::ModelKind::kXgboost,
                                       fc::ModelKind::kHoltWinters, fc::ModelKind::kHolt,
                                       fc::ModelKind::kEwma,        fc::ModelKind::kSeasonalNaive};
};

bool ParseFlags(int argc, char** argv, Flags& flags) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const size_t eq = arg.find('=');
    const std::string key = arg.substr(0, eq),
                      value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    bool ok = true;
    if (key == "--hosts") {
      ok = absl::SimpleAtoi(value, &flags.hosts) && flags.hosts > 0;
    } else if (key == "--days") {
      ok = absl::SimpleAtoi(value, &flags.days) && flags.days > 60;
    } else if (key == "--threads") {
      ok = absl::SimpleAtoi(value, &flags.threads) && flags.threads > 0;
    } else if (key == "--seed") {
      ok = absl::SimpleAtoi(value, &flags.seed);
    } else if (key == "--models") {
      flags.models.clear();
      for (const absl::string_view name : absl::StrSplit(value, ',')) {
        std::optional<fc::ModelKind> kind = fc::ModelKindFromName(std::string(name));
        ok = ok && kind.has_value();
        if (kind.has_value()) flags.models.push_back(*kind);
      }
    } else {
      ok = false;
    }
    if (!ok) {
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

struct Series {
  std::string scenario;
  int group = 0;
  fc::DailySeries history;     // what the tournament sees
  fc::DailySeries earlier;     // history without its last 30 days
  std::vector<double> future;  // the kFutureDays after history (NaN: missing)
};

// Runs the tournament over every series with `threads` threads.
std::vector<std::optional<fc::SeriesTournament>> RunAll(
    const std::vector<Series>& fleet, bool earlier, const fc::TournamentOptions& options,
    const std::vector<std::optional<fc::ExternalForecasts>>& boosted, int threads) {
  std::vector<std::optional<fc::SeriesTournament>> results(fleet.size());
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i = next++; i < fleet.size(); i = next++) {
        std::vector<fc::ExternalForecasts> external;
        if (!boosted.empty() && boosted[i].has_value()) external.push_back(*boosted[i]);
        absl::StatusOr<fc::SeriesTournament> result = fc::RunSeriesTournament(
            earlier ? fleet[i].earlier : fleet[i].history, options, external);
        if (result.ok()) results[i] = *std::move(result);
      }
    });
  }
  for (std::thread& thread : pool) thread.join();
  return results;
}

std::vector<std::optional<fc::ExternalForecasts>> Boost(const std::vector<Series>& fleet,
                                                        bool earlier,
                                                        const fc::TournamentOptions& options,
                                                        int threads) {
  std::vector<fc::BoostingInput> inputs;
  for (const Series& s : fleet) inputs.push_back({earlier ? &s.earlier : &s.history, s.group});
  fc::BoostedOptions boosted;
  boosted.threads = threads;
  absl::StatusOr<std::vector<std::optional<fc::ExternalForecasts>>> forecasts =
      fc::ComputeBoostedForecasts(inputs, options, boosted);
  if (!forecasts.ok()) {
    std::fprintf(stderr, "boosting failed: %s\n",
                 std::string(forecasts.status().message()).c_str());
    return std::vector<std::optional<fc::ExternalForecasts>>(fleet.size());
  }
  return *std::move(forecasts);
}

const fc::ModelResult* Find(const fc::SeriesTournament& t, fc::ModelKind kind) {
  for (const fc::ModelResult& m : t.models) {
    if (m.kind == kind && m.status.ok()) return &m;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  fc::TournamentOptions options;
  options.models.clear();
  bool boosted_on = false;
  for (fc::ModelKind kind : flags.models) {
    if (kind == fc::ModelKind::kXgboost) {
      boosted_on = true;
    } else {
      options.models.push_back(kind);
    }
  }

  // Generate.
  auto start = std::chrono::steady_clock::now();
  fg::FleetOptions fleet_options;
  fleet_options.hosts = flags.hosts;
  fleet_options.days = flags.days + kFutureDays;
  fleet_options.seed = flags.seed;
  std::vector<Series> fleet;
  for (int h = 0; h < flags.hosts; ++h) {
    absl::StatusOr<fg::GeneratedHost> host = fg::GenerateHost(fleet_options, h);
    if (!host.ok()) {
      std::fprintf(stderr, "%s\n", std::string(host.status().message()).c_str());
      return 1;
    }
    for (const fg::GeneratedSeries& generated : host->series) {
      Series s;
      s.scenario = fg::ScenarioName(host->spec.scenario);
      s.group = static_cast<int>(generated.resource);
      std::vector<int32_t> days;
      std::vector<double> values;
      for (int d = 0; d < flags.days; ++d) {
        if (std::isnan(generated.values[d])) continue;
        days.push_back(static_cast<int32_t>(generated.first_day + d));
        values.push_back(generated.values[d]);
      }
      absl::StatusOr<fc::DailySeries> prepared = fc::PrepareDailySeries(days, values);
      if (!prepared.ok()) continue;
      s.history = *prepared;
      s.earlier = s.history;
      s.earlier.values.resize(s.history.values.size() - options.backtest_days);
      s.future.assign(generated.values.begin() + flags.days, generated.values.end());
      fleet.push_back(std::move(s));
    }
  }
  std::printf("fleet: %zu series (%d hosts x 4) x %d days, generated in %.1f s\n", fleet.size(),
              flags.hosts, flags.days, Seconds(start));

  // The timed run: what a RunCompetition does, minus the database.
  start = std::chrono::steady_clock::now();
  std::vector<std::optional<fc::ExternalForecasts>> boosted;
  if (boosted_on) boosted = Boost(fleet, false, options, flags.threads);
  const double boost_seconds = Seconds(start);
  const auto tournaments = RunAll(fleet, false, options, boosted, flags.threads);
  const double total_seconds = Seconds(start);
  size_t scored = 0;
  for (const auto& t : tournaments) scored += t.has_value();
  std::printf(
      "tournament: %zu/%zu series scored in %.1f s (boosted model %.1f s), %.2f ms per series, "
      "%d threads\n",
      scored, fleet.size(), total_seconds, boost_seconds, 1000 * total_seconds / fleet.size(),
      flags.threads);

  // Seconds per series per model (single thread, a sample).
  const size_t sample = std::min<size_t>(fleet.size(), 200);
  std::printf("\nper model, single thread, backtest fit + refit on %zu series:\n", sample);
  for (fc::ModelKind kind : options.models) {
    fc::TournamentOptions one = options;
    one.models = {kind};
    const auto t0 = std::chrono::steady_clock::now();
    for (size_t i = 0; i < sample; ++i) (void)fc::RunSeriesTournament(fleet[i].history, one, {});
    std::printf("  %-15s %7.2f ms per series\n", fc::ModelName(kind), 1000 * Seconds(t0) / sample);
  }
  if (boosted_on) {
    std::printf("  %-15s %7.2f ms per series (two fleet-wide trainings + forecasts, %d threads)\n",
                "xgboost", 1000 * boost_seconds / fleet.size(), flags.threads);
  }

  // Honest accuracy.
  std::vector<std::optional<fc::ExternalForecasts>> boosted_earlier;
  if (boosted_on) boosted_earlier = Boost(fleet, true, options, flags.threads);
  const auto earlier = RunAll(fleet, true, options, boosted_earlier, flags.threads);
  std::vector<fc::ModelKind> all = options.models;
  if (boosted_on) all.push_back(fc::ModelKind::kXgboost);
  std::map<std::string, std::map<std::string, std::vector<double>>>
      mape;  // scenario → model → MAPE
  std::map<std::string, std::map<std::string, int>> wins;
  for (size_t i = 0; i < fleet.size(); ++i) {
    if (!earlier[i].has_value() || !tournaments[i].has_value()) continue;
    const fc::ModelKind champion = earlier[i]->champion().kind;
    for (const std::string& scenario : {std::string("all"), fleet[i].scenario}) {
      ++wins[scenario][fc::ModelName(champion)];
      if (const fc::ModelResult* graded = Find(*tournaments[i], champion)) {
        mape[scenario]["champion"].push_back(graded->accuracy.mape_percent);
      }
      for (fc::ModelKind kind : all) {
        if (const fc::ModelResult* m = Find(*tournaments[i], kind)) {
          mape[scenario][fc::ModelName(kind)].push_back(m->accuracy.mape_percent);
        }
      }
    }
  }
  std::printf(
      "\nhonest accuracy: median MAPE %% on the last 30 days; wins = champion picked on "
      "days -60..-31\n");
  for (const auto& [scenario, by_model] : mape) {
    std::printf("  %s:\n", scenario.c_str());
    std::printf("    %-15s %8.2f  (%zu series)\n", "champion", Median(by_model.at("champion")),
                by_model.at("champion").size());
    for (fc::ModelKind kind : all) {
      const auto found = by_model.find(fc::ModelName(kind));
      if (found == by_model.end()) continue;
      std::printf("    %-15s %8.2f  wins %d\n", fc::ModelName(kind), Median(found->second),
                  wins[scenario][fc::ModelName(kind)]);
    }
  }

  // Golden forecast interval coverage on the held-out future.
  int64_t covered = 0, points = 0, at_risk = 0;
  for (size_t i = 0; i < fleet.size(); ++i) {
    if (!tournaments[i].has_value()) continue;
    at_risk += tournaments[i]->risk.has_value();
    const std::vector<fc::ForecastValue>& golden = tournaments[i]->champion().future;
    for (size_t h = 0; h < golden.size() && h < fleet[i].future.size(); ++h) {
      const double actual = std::clamp(fleet[i].future[h], 0.0, 100.0);
      if (std::isnan(fleet[i].future[h])) continue;
      ++points;
      covered += actual >= golden[h].lower && actual <= golden[h].upper;
    }
  }
  std::printf(
      "\ngolden forecasts: %.1f %% of %lld held-out points inside the %.0f %% intervals; "
      "%lld series at risk\n",
      100.0 * covered / std::max<int64_t>(points, 1), static_cast<long long>(points),
      100 * options.interval_level, static_cast<long long>(at_risk));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory: %.0f MiB\n", usage.ru_maxrss / 1024.0);
  return 0;
}

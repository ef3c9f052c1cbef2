// The fleet tournament in-process on a synthetic fleet (clients/
// fleet_generator): how long the whole fleet takes on this machine, how
// accurate the tournament honestly is, how well the golden forecasts'
// intervals cover what happened next, and peak memory.
//
//   fleet_tournament_bench [--hosts=2000] [--days=1095] [--threads=2] [--seed=42]
//   [--calibrate=true] [--risk_hosts=1000] [--long_backtest_days=90]
//   [--selection_window=backtest|long_backtest] [--combine_top=2]
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
// The golden and each model's own forecasts are also graded over the 180
// held-out days (median MAPE by horizon band and scenario, interval
// coverage).
//
// Risk flags: on a second fleet of --risk_hosts hosts whose history ends
// where the generator draws its breaches from, the series flagged at risk
// against the generator's true breach day (its noise-free mean reaching
// 95 % within the risk window): precision and recall by scenario.
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

#include "bench/fleet/fleet_bench_support.h"
#include "clients/fleet_generator/fleet_generator.h"
#include "forecast/fleet/fleet_boosting.h"
#include "forecast/fleet/fleet_refinery.h"
#include "forecast/fleet/tournament.h"
#include "forecast/fleet/tournament_calibration.h"

namespace fc = horizonscale::forecast;
namespace fg = horizonscale::fleetgen;

namespace {

using horizonscale::bench::kFutureDays;
using horizonscale::bench::Median;
using horizonscale::bench::Seconds;

struct Flags {
  int hosts = 2000;
  int days = 1095;
  int threads = 2;
  uint64_t seed = 42;
  bool calibrate = true;
  int risk_hosts = 1000;  // of the fleet the risk flags are checked on; 0: none
  int long_backtest_days = fc::TournamentOptions().long_backtest_days;
  fc::SelectionWindow selection_window = fc::TournamentOptions().selection_window;
  int combine_top = fc::TournamentOptions().combine_top;
  std::vector<fc::ModelKind> models = {fc::ModelKind::kProphet,     fc::ModelKind::kXgboost,
                                       fc::ModelKind::kHoltWinters, fc::ModelKind::kHolt,
                                       fc::ModelKind::kEwma,        fc::ModelKind::kSeasonalNaive};
};

// Parses the flags of the usage above into `flags`; false (after a message)
// on a bad one.
bool ParseFlags(int argc, char** argv, Flags& flags) {
  return horizonscale::bench::ParseFlags(
      argc, argv,
      {{"--hosts",
        [&](const std::string& v) { return absl::SimpleAtoi(v, &flags.hosts) && flags.hosts > 0; }},
       {"--days",
        [&](const std::string& v) { return absl::SimpleAtoi(v, &flags.days) && flags.days > 60; }},
       {"--threads",
        [&](const std::string& v) {
          return absl::SimpleAtoi(v, &flags.threads) && flags.threads > 0;
        }},
       {"--calibrate", [&](const std::string& v) { return absl::SimpleAtob(v, &flags.calibrate); }},
       {"--seed", [&](const std::string& v) { return absl::SimpleAtoi(v, &flags.seed); }},
       {"--long_backtest_days",
        [&](const std::string& v) {
          return absl::SimpleAtoi(v, &flags.long_backtest_days) && flags.long_backtest_days >= 0;
        }},
       {"--combine_top",
        [&](const std::string& v) {
          return absl::SimpleAtoi(v, &flags.combine_top) && flags.combine_top >= 0;
        }},
       {"--selection_window",
        [&](const std::string& v) {
          for (fc::SelectionWindow window :
               {fc::SelectionWindow::kBacktest, fc::SelectionWindow::kLongBacktest}) {
            if (v == fc::SelectionWindowName(window)) {
              flags.selection_window = window;
              return true;
            }
          }
          return false;
        }},
       {"--risk_hosts",
        [&](const std::string& v) {
          return absl::SimpleAtoi(v, &flags.risk_hosts) && flags.risk_hosts >= 0;
        }},
       {"--models", [&](const std::string& v) {
          flags.models.clear();
          for (const absl::string_view name : absl::StrSplit(v, ',')) {
            std::optional<fc::ModelKind> kind = fc::ModelKindFromName(std::string(name));
            if (!kind.has_value()) return false;
            flags.models.push_back(*kind);
          }
          return true;
        }}});
}

struct Series {
  std::string scenario;
  int group = 0;
  fc::DailySeries history;     // what the tournament sees
  fc::DailySeries earlier;     // history without its last 30 days
  std::vector<double> future;  // the kFutureDays after history (NaN: missing)
  // The day after history, and the generator's true breach day (its
  // noise-free mean reaching 95 %), days since 1970-01-01.
  int64_t future_first_day = 0;
  std::optional<int64_t> true_breach_day;
};

// The series of a generated fleet: the first `days` of each as history (and
// that without its last `backtest_days`), the rest as its held-out future.
absl::StatusOr<std::vector<Series>> GenerateFleet(const fg::FleetOptions& fleet_options, int days,
                                                  int backtest_days) {
  std::vector<Series> fleet;
  for (int h = 0; h < fleet_options.hosts; ++h) {
    absl::StatusOr<fg::GeneratedHost> host = fg::GenerateHost(fleet_options, h);
    if (!host.ok()) return host.status();
    for (const fg::GeneratedSeries& generated : host->series) {
      std::optional<fc::DailySeries> history =
          horizonscale::bench::TournamentHistory(generated, days);
      if (!history.has_value()) continue;
      Series s;
      s.scenario = fg::ScenarioName(host->spec.scenario);
      s.group = static_cast<int>(generated.resource);
      s.history = *std::move(history);
      s.earlier = s.history;
      s.earlier.values.resize(s.history.values.size() - backtest_days);
      s.future.assign(generated.values.begin() + days, generated.values.end());
      s.future_first_day = generated.first_day + days;
      s.true_breach_day = generated.true_breach_day;
      fleet.push_back(std::move(s));
    }
  }
  return fleet;
}

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

// Coverage of intervals on the held-out future, by horizon bucket.
struct Coverage {
  static constexpr int kBuckets = 3;  // days 1-30, 31-90, 91-180
  int64_t covered[kBuckets] = {};
  int64_t points[kBuckets] = {};

  // Counts the forecasts of `future` against `actual` (NaN: missing).
  void Add(const std::vector<fc::ForecastValue>& future, const std::vector<double>& actual) {
    for (size_t h = 0; h < future.size() && h < actual.size(); ++h) {
      if (std::isnan(actual[h])) continue;
      const double value = std::clamp(actual[h], 0.0, 100.0);
      const int bucket = h < 30 ? 0 : h < 90 ? 1 : 2;
      ++points[bucket];
      covered[bucket] += value >= future[h].lower && value <= future[h].upper;
    }
  }
  // Percent covered over `buckets` [from, to).
  double Percent(int from = 0, int to = kBuckets) const {
    int64_t c = 0, n = 0;
    for (int b = from; b < to; ++b) c += covered[b], n += points[b];
    return 100.0 * c / std::max<int64_t>(n, 1);
  }
};

// MAPE in percent of `future` against the held-out `actual` (NaN: missing)
// over days [from, to); NaN without a point.
double FutureMape(const std::vector<fc::ForecastValue>& future, const std::vector<double>& actual,
                  size_t from, size_t to) {
  fc::AccuracyAccumulator accuracy;
  bool any = false;
  for (size_t h = from; h < to && h < future.size() && h < actual.size(); ++h) {
    if (std::isnan(actual[h])) continue;
    accuracy.Add({actual[h], future[h]});
    any = true;
  }
  return any ? accuracy.Result(1).mape_percent : NAN;
}

// Each model's own future forecasts (the model as if it were every series'
// champion) and the golden ones on a sample of `sample` series: median MAPE
// over the 180 held-out days and interval coverage, by horizon and scenario.
void ReportFutureByModel(const std::vector<Series>& fleet, const fc::TournamentOptions& options,
                         const std::vector<std::optional<fc::ExternalForecasts>>& boosted,
                         const std::vector<std::optional<fc::SeriesTournament>>& tournaments,
                         size_t sample, int threads) {
  std::vector<Series> subset;
  std::vector<const std::vector<fc::ForecastValue>*> golden;
  std::vector<std::optional<fc::ExternalForecasts>> subset_boosted;
  const size_t stride = std::max<size_t>(1, fleet.size() / sample);
  for (size_t i = 0; i < fleet.size(); i += stride) {
    subset.push_back(fleet[i]);
    golden.push_back(tournaments[i].has_value() ? &tournaments[i]->champion().future : nullptr);
    if (!boosted.empty()) subset_boosted.push_back(boosted[i]);
  }
  struct Row {
    std::string name;
    Coverage all;
    std::map<std::string, Coverage> coverage;            // by scenario
    std::map<std::string, std::vector<double>> mape;     // by scenario, and "all"
    std::map<std::string, std::vector<double>> mape_by;  // "1-30", "31-90", "91-180"
  };
  std::vector<Row> rows;
  auto measure = [&](const char* name, auto future_of) {
    Row row{name, {}, {}, {}, {}};
    for (size_t i = 0; i < subset.size(); ++i) {
      const std::vector<fc::ForecastValue>* future = future_of(i);
      if (future == nullptr) continue;
      const std::vector<double>& actual = subset[i].future;
      row.all.Add(*future, actual);
      row.coverage[subset[i].scenario].Add(*future, actual);
      const double mape = FutureMape(*future, actual, 0, 180);
      if (std::isnan(mape)) continue;
      row.mape["all"].push_back(mape);
      row.mape[subset[i].scenario].push_back(mape);
      const std::pair<const char*, std::pair<size_t, size_t>> bands[] = {
          {"1-30", {0, 30}}, {"31-90", {30, 90}}, {"91-180", {90, 180}}};
      for (const auto& [band, range] : bands) {
        const double part = FutureMape(*future, actual, range.first, range.second);
        if (!std::isnan(part)) row.mape_by[band].push_back(part);
      }
    }
    rows.push_back(std::move(row));
  };
  measure("golden", [&](size_t i) { return golden[i]; });
  for (fc::ModelKind kind : options.models) {
    fc::TournamentOptions one = options;
    one.models = {kind};
    const auto results = RunAll(subset, false, one, {}, threads);
    measure(fc::ModelName(kind), [&](size_t i) -> const std::vector<fc::ForecastValue>* {
      return results[i].has_value() ? &results[i]->champion().future : nullptr;
    });
  }
  if (!subset_boosted.empty()) {
    for (std::optional<fc::ExternalForecasts>& forecasts : subset_boosted) {
      if (forecasts.has_value()) options.calibration.Apply(forecasts->kind, forecasts->future);
    }
    measure("xgboost", [&](size_t i) -> const std::vector<fc::ForecastValue>* {
      return subset_boosted[i].has_value() ? &subset_boosted[i]->future : nullptr;
    });
  }
  std::printf(
      "\n180-day accuracy on the held-out future, %zu series: median MAPE %% (days 1-30 / 31-90 "
      "/ 91-180 / all; then all by scenario):\n",
      subset.size());
  for (Row& row : rows) {
    std::printf("  %-15s %5.2f %5.2f %5.2f | %5.2f |", row.name.c_str(),
                Median(row.mape_by["1-30"]), Median(row.mape_by["31-90"]),
                Median(row.mape_by["91-180"]), Median(row.mape["all"]));
    for (auto& [scenario, values] : row.mape) {
      if (scenario != "all") std::printf(" %s %.2f", scenario.c_str(), Median(values));
    }
    std::printf("\n");
  }
  std::printf(
      "\n%.0f %% interval coverage of the golden and of each model's own future forecasts "
      "(calibrated as champion), %zu series (days 1-30 / 31-90 / 91-180 / all; then all by "
      "scenario):\n",
      100 * options.interval_level, subset.size());
  for (const Row& row : rows) {
    std::printf("  %-15s %5.1f %5.1f %5.1f | %5.1f |", row.name.c_str(), row.all.Percent(0, 1),
                row.all.Percent(1, 2), row.all.Percent(2, 3), row.all.Percent());
    for (const auto& [scenario, coverage] : row.coverage) {
      std::printf(" %s %.1f", scenario.c_str(), coverage.Percent());
    }
    std::printf("\n");
  }
}

// The tournament's risk flags against the generator's truth: a series
// breaches when its noise-free mean reaches 95 % before the end of the risk
// window (already in history included).
void ReportRiskFlags(const std::vector<Series>& fleet,
                     const std::vector<std::optional<fc::SeriesTournament>>& tournaments,
                     const fc::RiskOptions& risk) {
  struct Counts {
    int64_t true_positive = 0, false_positive = 0, false_negative = 0;
  };
  std::map<std::string, Counts> by_scenario;  // and "all"
  for (size_t i = 0; i < fleet.size(); ++i) {
    if (!tournaments[i].has_value()) continue;
    const bool breached =
        fleet[i].true_breach_day.has_value() &&
        *fleet[i].true_breach_day < fleet[i].future_first_day + risk.risk_window_days;
    const bool flagged = tournaments[i]->risk.has_value();
    for (const std::string& scenario : {std::string("all"), fleet[i].scenario}) {
      Counts& counts = by_scenario[scenario];
      counts.true_positive += flagged && breached;
      counts.false_positive += flagged && !breached;
      counts.false_negative += !flagged && breached;
    }
  }
  std::printf(
      "\nrisk flags against the generator's truth (its noise-free mean at 95 %% within %d days): "
      "flagged correctly / wrongly / breaches missed, precision, recall\n",
      risk.risk_window_days);
  for (const auto& [scenario, counts] : by_scenario) {
    std::printf("  %-15s %5lld %5lld %5lld  %.2f %.2f\n", scenario.c_str(),
                static_cast<long long>(counts.true_positive),
                static_cast<long long>(counts.false_positive),
                static_cast<long long>(counts.false_negative),
                static_cast<double>(counts.true_positive) /
                    std::max<int64_t>(1, counts.true_positive + counts.false_positive),
                static_cast<double>(counts.true_positive) /
                    std::max<int64_t>(1, counts.true_positive + counts.false_negative));
  }
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  fc::TournamentOptions options;
  options.long_backtest_days = flags.long_backtest_days;
  options.selection_window = flags.selection_window;
  options.combine_top = flags.combine_top;
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
  absl::StatusOr<std::vector<Series>> generated =
      GenerateFleet(horizonscale::bench::BenchFleetOptions(flags.hosts, flags.days, flags.seed),
                    flags.days, options.backtest_days);
  if (!generated.ok()) {
    std::fprintf(stderr, "%s\n", std::string(generated.status().message()).c_str());
    return 1;
  }
  const std::vector<Series>& fleet = *generated;
  std::printf("fleet: %zu series (%d hosts x 4) x %d days, generated in %.1f s\n", fleet.size(),
              flags.hosts, flags.days, Seconds(start));

  // The timed run: what a RunCompetition does, minus the database.
  start = std::chrono::steady_clock::now();
  std::vector<std::optional<fc::ExternalForecasts>> boosted;
  if (boosted_on) boosted = Boost(fleet, false, options, flags.threads);
  const double boost_seconds = Seconds(start);
  if (flags.calibrate) {
    std::vector<fc::BoostingInput> histories;
    for (const Series& s : fleet) histories.push_back({&s.history, s.group});
    fc::BoostedOptions boosted_options;
    boosted_options.threads = flags.threads;
    fc::CalibrationOptions calibration;
    calibration.threads = flags.threads;
    if (boosted_on) calibration.boosted = &boosted_options;
    absl::StatusOr<fc::IntervalCalibration> calibrated =
        fc::CalibrateIntervals(histories, options, calibration);
    if (!calibrated.ok()) {
      std::fprintf(stderr, "calibration failed: %s\n",
                   std::string(calibrated.status().message()).c_str());
      return 1;
    }
    options.calibration = *std::move(calibrated);
  }
  const double calibration_seconds = Seconds(start) - boost_seconds;
  const auto tournaments = RunAll(fleet, false, options, boosted, flags.threads);
  const double total_seconds = Seconds(start);
  size_t scored = 0;
  for (const auto& t : tournaments) scored += t.has_value();
  std::printf(
      "tournament: %zu/%zu series scored in %.1f s (boosted model %.1f s, interval calibration "
      "%.1f s on %d series), %.2f ms per series, %d threads\n",
      scored, fleet.size(), total_seconds, boost_seconds, calibration_seconds,
      options.calibration.sample_series, 1000 * total_seconds / fleet.size(), flags.threads);

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
  Coverage golden;
  int64_t at_risk = 0;
  for (size_t i = 0; i < fleet.size(); ++i) {
    if (!tournaments[i].has_value()) continue;
    at_risk += tournaments[i]->risk.has_value();
    golden.Add(tournaments[i]->champion().future, fleet[i].future);
  }
  int64_t points = 0;
  for (int64_t n : golden.points) points += n;
  std::printf(
      "\ngolden forecasts: %.1f %% of %lld held-out points inside the %.0f %% intervals "
      "(days 1-30 %.1f, 31-90 %.1f, 91-180 %.1f); %lld series at risk\n",
      golden.Percent(), static_cast<long long>(points), 100 * options.interval_level,
      golden.Percent(0, 1), golden.Percent(1, 2), golden.Percent(2, 3),
      static_cast<long long>(at_risk));
  if (flags.risk_hosts > 0) {
    // A fleet whose history ends where the generator draws its breaches
    // from (15-150 days after the end for most capacity-breach hosts), so
    // that the risk window holds some.
    fg::FleetOptions risk_fleet_options;
    risk_fleet_options.hosts = flags.risk_hosts;
    risk_fleet_options.days = flags.days;
    risk_fleet_options.seed = flags.seed;
    absl::StatusOr<std::vector<Series>> risk_fleet =
        GenerateFleet(risk_fleet_options, flags.days, options.backtest_days);
    if (!risk_fleet.ok()) {
      std::fprintf(stderr, "%s\n", std::string(risk_fleet.status().message()).c_str());
      return 1;
    }
    std::vector<std::optional<fc::ExternalForecasts>> risk_boosted;
    if (boosted_on) risk_boosted = Boost(*risk_fleet, false, options, flags.threads);
    ReportRiskFlags(*risk_fleet, RunAll(*risk_fleet, false, options, risk_boosted, flags.threads),
                    options.risk);
  }
  ReportFutureByModel(fleet, options, boosted, tournaments, 1000, flags.threads);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak memory: %.0f MiB\n", usage.ru_maxrss / 1024.0);
  return 0;
}

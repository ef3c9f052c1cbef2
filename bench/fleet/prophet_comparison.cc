// Our Prophet-style model against R's prophet package on the same series of
// the fleet tournament (bench/fleet/prophet_vs_r.sh runs the whole thing).
//
//   prophet_comparison [--series=200] [--hosts=2000] [--days=1095] [--seed=42]
//                      [--csv=history.csv] [--r_yhat=r_yhat.csv]
//
// The fleet is generated exactly as fleet_tournament_bench does (same seed,
// same 180 extra future days, same preparation), so the series are the
// tournament's. A deterministic sample of --series of them is spread evenly
// over the seven scenarios (an equal quota each), over the hosts (visited in
// strides through the fleet) and over the resources (cycled per scenario).
// Each is run through the tournament with the Prophet-style model alone
// (RunSeriesTournament, default ProphetOptions): fitted on all but the last
// 30 days, those 30 forecast, clamped to [0, 100] and scored by
// forecast/accuracy.h — the numbers the tournament itself produces.
//
// --csv writes one row per series and day: series_id, host, resource,
// scenario, ds (ISO date), y, holdout (1 on the last 30 days) and ours_yhat
// (our forecast, on holdout rows only). prophet_reference.R reads it.
//
// --r_yhat reads R's forecasts (series_id, ds, yhat, fit_seconds,
// predict_seconds; one row per holdout day), clamps them as the tournament
// clamps ours, scores them with the same forecast/accuracy.h Score, and
// prints the comparison table.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <absl/strings/numbers.h>
#include <absl/strings/str_split.h>
#include <absl/time/civil_time.h>

#include "bench/fleet/fleet_bench_support.h"
#include "clients/fleet_generator/fleet_generator.h"
#include "forecast/accuracy.h"
#include "forecast/fleet/fleet_refinery.h"
#include "forecast/fleet/tournament.h"
#include "forecast/model.h"

namespace fc = horizonscale::forecast;
namespace fg = horizonscale::fleetgen;

namespace {

using horizonscale::bench::Median;
using horizonscale::bench::Seconds;

struct Flags {
  int series = 200;
  int hosts = 2000;
  int days = 1095;
  uint64_t seed = 42;
  std::string csv;     // where to write the histories and our forecasts
  std::string r_yhat;  // R's forecasts to compare against
};

// Parses the flags of the usage above into `flags`; false (after a message)
// on a bad one.
bool ParseFlags(int argc, char** argv, Flags& flags) {
  return horizonscale::bench::ParseFlags(
      argc, argv,
      {{"--series",
        [&](const std::string& v) {
          return absl::SimpleAtoi(v, &flags.series) && flags.series > 0;
        }},
       {"--hosts",
        [&](const std::string& v) { return absl::SimpleAtoi(v, &flags.hosts) && flags.hosts > 0; }},
       {"--days",
        [&](const std::string& v) { return absl::SimpleAtoi(v, &flags.days) && flags.days > 60; }},
       {"--seed", [&](const std::string& v) { return absl::SimpleAtoi(v, &flags.seed); }},
       {"--csv", [&](const std::string& v) { return !(flags.csv = v).empty(); }},
       {"--r_yhat", [&](const std::string& v) { return !(flags.r_yhat = v).empty(); }}});
}

// One sampled series and our model's part in it.
struct Series {
  std::string id;  // "host-00042/cpu"
  std::string host;
  std::string resource;
  std::string scenario;
  fc::DailySeries history;          // the tournament's view: --days values
  std::vector<double> ours;         // our backtest forecasts (clamped)
  fc::Accuracy ours_accuracy;       // scored by the tournament
  double ours_fit_seconds = 0;      // FitModel on the training part
  double ours_predict_seconds = 0;  // Predict of the backtest days
};

// The deterministic sample: an equal quota of series per scenario (the first
// `count % 7` scenarios get one more); hosts visited in strides through the
// fleet (0, s, 2s, ..., then 1, 1 + s, ...) with s = hosts / count, one
// series per host, its resource cycling cpu, memory, disk, network within
// the scenario. Empty (after a message) when a host cannot be generated;
// fewer than `count` when the fleet has too few hosts of some scenario.
std::vector<Series> Sample(const Flags& flags, int backtest_days) {
  const fg::FleetOptions options =
      horizonscale::bench::BenchFleetOptions(flags.hosts, flags.days, flags.seed);
  std::vector<int> quota(fg::kScenarioCount, flags.series / fg::kScenarioCount);
  for (int s = 0; s < flags.series % fg::kScenarioCount; ++s) ++quota[s];
  std::vector<int> taken(fg::kScenarioCount, 0);
  std::vector<Series> sample;
  const int stride = std::max(1, flags.hosts / flags.series);
  for (int pass = 0; pass < stride; ++pass) {
    for (int h = pass; h < flags.hosts && static_cast<int>(sample.size()) < flags.series;
         h += stride) {
      absl::StatusOr<fg::HostSpec> spec = fg::FleetHostSpec(options, h);
      if (!spec.ok()) {
        std::fprintf(stderr, "%s\n", std::string(spec.status().message()).c_str());
        return {};
      }
      const int s = static_cast<int>(spec->scenario);
      if (taken[s] >= quota[s]) continue;
      absl::StatusOr<fg::GeneratedHost> host = fg::GenerateHost(options, h);
      if (!host.ok()) {
        std::fprintf(stderr, "%s\n", std::string(host.status().message()).c_str());
        return {};
      }
      const fg::GeneratedSeries& generated = host->series[taken[s] % fg::kResourceCount];
      std::optional<fc::DailySeries> prepared =
          horizonscale::bench::TournamentHistory(generated, flags.days);
      if (!prepared.has_value() || static_cast<int>(prepared->values.size()) <= backtest_days + 1) {
        continue;
      }
      Series series;
      series.host = host->spec.host_id;
      series.resource = fg::ResourceName(generated.resource);
      series.id = series.host + "/" + series.resource;
      series.scenario = fg::ScenarioName(host->spec.scenario);
      series.history = *std::move(prepared);
      sample.push_back(std::move(series));
      ++taken[s];
    }
  }
  return sample;
}

// Runs the tournament with the Prophet-style model alone on `series` and
// keeps its backtest forecasts and accuracy; also times one FitModel on the
// training part, with the options the tournament uses (calendar origin the
// series' first day, daily step), and one Predict of the backtest days.
// False (after a message) when the model fails.
bool RunOurs(Series& series, const fc::TournamentOptions& options) {
  absl::StatusOr<fc::SeriesTournament> tournament =
      fc::RunSeriesTournament(series.history, options, {});
  if (!tournament.ok() || !tournament->champion().status.ok()) {
    std::fprintf(stderr, "%s: our model failed\n", series.id.c_str());
    return false;
  }
  for (const fc::ForecastValue& f : tournament->champion().backtest) {
    series.ours.push_back(f.value);
  }
  series.ours_accuracy = tournament->champion().accuracy;

  fc::ModelOptions model_options;
  model_options.origin_days = static_cast<double>(series.history.first_day);
  model_options.step_days = 1;
  model_options.prophet = options.prophet;
  const std::span<const double> training(series.history.values.data(),
                                         series.history.values.size() - options.backtest_days);
  auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<fc::FittedModel>> model =
      fc::FitModel(fc::ModelKind::kProphet, training, model_options);
  series.ours_fit_seconds = Seconds(start);
  if (!model.ok()) return false;
  start = std::chrono::steady_clock::now();
  (void)(*model)->Predict(options.backtest_days, options.interval_level);
  series.ours_predict_seconds = Seconds(start);
  return true;
}

// Writes the histories and our forecasts to `path` (format at the top);
// false when the file cannot be written.
bool WriteCsv(const std::vector<Series>& sample, int backtest_days, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) return false;
  std::fprintf(out, "series_id,host,resource,scenario,ds,y,holdout,ours_yhat\n");
  for (const Series& s : sample) {
    const size_t n = s.history.values.size();
    for (size_t i = 0; i < n; ++i) {
      const bool holdout = i + backtest_days >= n;
      const std::string ds =
          absl::FormatCivilTime(fg::CivilDayOf(s.history.first_day + static_cast<int64_t>(i)));
      std::fprintf(out, "%s,%s,%s,%s,%s,%.10g,%d,", s.id.c_str(), s.host.c_str(),
                   s.resource.c_str(), s.scenario.c_str(), ds.c_str(), s.history.values[i],
                   holdout ? 1 : 0);
      if (holdout) std::fprintf(out, "%.10g", s.ours[i + backtest_days - n]);
      std::fputc('\n', out);
    }
  }
  return std::fclose(out) == 0;
}

// R's forecasts of one series.
struct RForecast {
  std::vector<double> yhat;  // holdout days in date order
  double fit_seconds = 0;
  double predict_seconds = 0;
};

// Reads R's output (series_id,ds,yhat,fit_seconds,predict_seconds with a
// header; rows of a series in date order) keyed by series_id; nullopt (after
// a message) when the file cannot be read or a row is malformed.
std::optional<std::map<std::string, RForecast>> ReadR(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return std::nullopt;
  }
  std::map<std::string, RForecast> forecasts;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = absl::StrSplit(line, ',');
    double yhat = 0, fit = 0, predict = 0;
    if (fields.size() != 5 || !absl::SimpleAtod(fields[2], &yhat) ||
        !absl::SimpleAtod(fields[3], &fit) || !absl::SimpleAtod(fields[4], &predict)) {
      std::fprintf(stderr, "%s: bad row %s\n", path.c_str(), line.c_str());
      return std::nullopt;
    }
    RForecast& f = forecasts[fields[0]];
    f.yhat.push_back(yhat);
    f.fit_seconds = fit;
    f.predict_seconds = predict;
  }
  return forecasts;
}

// Scores R's forecasts of `series` exactly as the tournament scores ours:
// clamped to [0, 100], then forecast/accuracy.h Score (MAPE skips zero
// actuals) with the tournament's weekly MASE scale.
fc::Accuracy ScoreR(const Series& series, const RForecast& r,
                    const fc::TournamentOptions& options) {
  const std::span<const double> all(series.history.values);
  const std::span<const double> held_out = all.last(options.backtest_days);
  std::vector<fc::ScoredPoint> points(held_out.size());
  for (size_t i = 0; i < held_out.size(); ++i) {
    const double v = std::clamp(r.yhat[i], 0.0, fc::kMaxUtilizationPercent);
    points[i] = {held_out[i], {v, v, v}};
  }
  return fc::Score(points, fc::MaseScale(all.first(all.size() - options.backtest_days),
                                         options.seasonal_period));
}

// Prints the comparison table of `sample` against `r` (every series must
// have one R forecast of backtest_days values); false when one is missing.
bool Compare(const std::vector<Series>& sample, const std::map<std::string, RForecast>& r,
             const fc::TournamentOptions& options) {
  struct Row {
    std::vector<double> ours, theirs, gap, ours_fit, ours_predict, r_fit, r_predict;
    int ours_wins = 0, r_wins = 0, ties = 0;
    int64_t zeros = 0;
  };
  std::map<std::string, Row> rows;  // "all" and each scenario
  for (const Series& s : sample) {
    const auto found = r.find(s.id);
    if (found == r.end() || static_cast<int>(found->second.yhat.size()) != options.backtest_days) {
      std::fprintf(stderr, "no R forecast of %d days for %s\n", options.backtest_days,
                   s.id.c_str());
      return false;
    }
    const fc::Accuracy theirs = ScoreR(s, found->second, options);
    double gap = 0;  // mean |ours − R| in percentage points, both clamped
    for (int i = 0; i < options.backtest_days; ++i) {
      gap +=
          std::abs(s.ours[i] - std::clamp(found->second.yhat[i], 0.0, fc::kMaxUtilizationPercent));
    }
    for (const std::string& key : {std::string("all"), s.scenario}) {
      Row& row = rows[key];
      row.ours.push_back(s.ours_accuracy.mape_percent);
      row.theirs.push_back(theirs.mape_percent);
      row.gap.push_back(gap / options.backtest_days);
      row.ours_fit.push_back(s.ours_fit_seconds);
      row.ours_predict.push_back(s.ours_predict_seconds);
      row.r_fit.push_back(found->second.fit_seconds);
      row.r_predict.push_back(found->second.predict_seconds);
      row.zeros += s.ours_accuracy.zero_actuals;
      if (s.ours_accuracy.mape_percent < theirs.mape_percent) {
        ++row.ours_wins;
      } else if (theirs.mape_percent < s.ours_accuracy.mape_percent) {
        ++row.r_wins;
      } else {
        ++row.ties;
      }
    }
  }
  std::printf(
      "Prophet-style (ours) vs R prophet, default settings: fitted on all but the last %d "
      "days, scored on them.\nMAPE %% by forecast/accuracy.h (zero actuals skipped), both "
      "forecasts clamped to [0, 100] as the tournament clamps.\n\n",
      options.backtest_days);
  std::printf("%-16s %6s %10s %10s %9s %7s %5s %12s %6s\n", "scenario", "series", "ours MAPE",
              "R MAPE", "ours wins", "R wins", "ties", "|ours-R| pp", "zeros");
  for (const auto& [key, row] : rows) {
    std::printf("%-16s %6zu %10.3f %10.3f %9d %7d %5d %12.3f %6lld\n", key.c_str(), row.ours.size(),
                Median(row.ours), Median(row.theirs), row.ours_wins, row.r_wins, row.ties,
                Median(row.gap), static_cast<long long>(row.zeros));
  }
  std::printf("(medians over series; |ours-R|: median of each series' mean absolute gap)\n");
  const Row& all = rows["all"];
  std::printf(
      "\ntime per series, median (one thread): ours fit %.3f ms + predict %.3f ms; "
      "R prophet fit %.1f ms + predict %.1f ms\n",
      1e3 * Median(all.ours_fit), 1e3 * Median(all.ours_predict), 1e3 * Median(all.r_fit),
      1e3 * Median(all.r_predict));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Flags flags;
  if (!ParseFlags(argc, argv, flags)) return 2;
  fc::TournamentOptions options;
  options.models = {fc::ModelKind::kProphet};

  std::vector<Series> sample = Sample(flags, options.backtest_days);
  if (sample.empty()) return 1;
  for (Series& s : sample) {
    if (!RunOurs(s, options)) return 1;
  }
  std::fprintf(stderr, "%zu series sampled and forecast\n", sample.size());
  if (!flags.csv.empty() && !WriteCsv(sample, options.backtest_days, flags.csv)) {
    std::fprintf(stderr, "cannot write %s\n", flags.csv.c_str());
    return 1;
  }
  if (!flags.r_yhat.empty()) {
    std::optional<std::map<std::string, RForecast>> r = ReadR(flags.r_yhat);
    if (!r.has_value() || !Compare(sample, *r, options)) return 1;
  }
  return 0;
}

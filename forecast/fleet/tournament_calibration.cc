#include "forecast/fleet/tournament_calibration.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <thread>

#include <absl/strings/str_cat.h>

#include "forecast/interval_scaling.h"

namespace horizonscale::forecast {
namespace {

// errors[h]: standardized errors (StandardizedError) of forecasts h + 1
// steps ahead.
using StepErrors = std::vector<std::vector<double>>;

// One sampled series' replay: the champion and its standardized errors.
struct Replay {
  bool ran = false;
  ModelKind champion = ModelKind::kEwma;
  std::vector<double> errors;
};

}  // namespace

absl::StatusOr<IntervalCalibration> CalibrateIntervals(std::span<const BoostingInput> fleet,
                                                       const TournamentOptions& options,
                                                       const CalibrationOptions& calibration) {
  if (calibration.max_series < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("calibration max_series must be >= 1, got ", calibration.max_series));
  }
  if (calibration.min_series_per_model < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "calibration min_series_per_model must be >= 1, got ", calibration.min_series_per_model));
  }
  if (calibration.threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("calibration threads must be >= 1, got ", calibration.threads));
  }
  const size_t horizon = static_cast<size_t>(options.horizon_days);
  const size_t shortest =
      std::max(2 * horizon, horizon + static_cast<size_t>(options.backtest_days) + 2);
  std::vector<size_t> eligible;
  for (size_t i = 0; i < fleet.size(); ++i) {
    if (fleet[i].series->values.size() >= shortest) eligible.push_back(i);
  }
  const size_t count = std::min<size_t>(eligible.size(), calibration.max_series);
  // The sampled series without their last `horizon` days.
  std::vector<DailySeries> earlier(count);
  std::vector<BoostingInput> inputs(count);
  std::vector<const DailySeries*> whole(count);
  for (size_t s = 0; s < count; ++s) {
    const BoostingInput& input = fleet[eligible[s * eligible.size() / count]];
    whole[s] = input.series;
    earlier[s].first_day = input.series->first_day;
    earlier[s].values.assign(input.series->values.begin(), input.series->values.end() - horizon);
    inputs[s] = {&earlier[s], input.group};
  }

  TournamentOptions uncalibrated = options;
  uncalibrated.calibration = {};
  std::vector<std::optional<ExternalForecasts>> boosted(count);
  if (calibration.boosted != nullptr && count > 0) {
    absl::StatusOr<std::vector<std::optional<ExternalForecasts>>> forecasts =
        ComputeBoostedForecasts(inputs, uncalibrated, *calibration.boosted);
    if (forecasts.ok()) {
      boosted = *std::move(forecasts);
    } else if (forecasts.status().code() != absl::StatusCode::kFailedPrecondition) {
      return forecasts.status();  // too short for the model is not an error
    }
  }

  std::vector<Replay> replays(count);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t s = next++; s < count; s = next++) {
      std::vector<ExternalForecasts> external;
      if (boosted[s].has_value()) external.push_back(*boosted[s]);
      absl::StatusOr<SeriesTournament> tournament =
          RunSeriesTournament(earlier[s], uncalibrated, external);
      if (!tournament.ok()) continue;
      const std::span<const double> held_out =
          std::span<const double>(whole[s]->values).last(horizon);
      const ModelResult& champion = tournament->champion();
      replays[s].ran = true;
      replays[s].champion = champion.kind;
      for (size_t h = 0; h < horizon; ++h) {
        replays[s].errors.push_back(StandardizedError(champion.future[h], held_out[h]));
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < calibration.threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();

  std::map<ModelKind, StepErrors> by_champion;
  StepErrors pooled(horizon);
  std::map<ModelKind, int> champions;
  int ran = 0;
  for (const Replay& replay : replays) {
    if (!replay.ran) continue;
    ++ran;
    ++champions[replay.champion];
    StepErrors& errors = by_champion[replay.champion];
    errors.resize(horizon);
    for (size_t h = 0; h < horizon; ++h) {
      errors[h].push_back(replay.errors[h]);
      pooled[h].push_back(replay.errors[h]);
    }
  }
  IntervalCalibration result;
  if (ran == 0) return result;
  result.sample_series = ran;
  std::vector<ModelKind> models = options.models;
  if (calibration.boosted != nullptr) models.push_back(ModelKind::kXgboost);
  const std::vector<double> all = WidthScales(pooled, options.interval_level);
  for (ModelKind kind : models) {
    result.width_scales[kind] = champions[kind] >= calibration.min_series_per_model
                                    ? WidthScales(by_champion[kind], options.interval_level)
                                    : all;
  }
  return result;
}

}  // namespace horizonscale::forecast

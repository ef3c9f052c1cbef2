#include "forecast/fleet/fleet_boosting.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <absl/strings/str_cat.h>

#include "forecast/empirical_interval.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

// The scale errors are divided by: the mean absolute daily change over the
// last year of `values`, floored so a flat series does not divide by zero.
double SeriesScale(std::span<const double> values) {
  const size_t n = std::min<size_t>(values.size(), 366);
  const std::span<const double> recent = values.last(n);
  double sum = 0;
  for (size_t i = 1; i < recent.size(); ++i) sum += std::abs(recent[i] - recent[i - 1]);
  const double mean = recent.size() > 1 ? sum / static_cast<double>(recent.size() - 1) : 0;
  return std::max(mean, 0.01);
}

// Scaled backtest errors per step (errors[k − 1]: k steps ahead).
using StepErrors = std::vector<std::vector<double>>;

// Interval offsets of `steps` steps from `errors` (scaled), computed once.
std::vector<std::pair<double, double>> OffsetTable(const StepErrors& errors, int steps,
                                                   double level) {
  std::vector<std::pair<double, double>> table(steps);
  for (int k = 1; k <= steps; ++k) table[k - 1] = EmpiricalInterval(errors, k, level);
  return table;
}

std::vector<ForecastValue> WithIntervals(const std::vector<double>& points, double scale,
                                         const std::vector<std::pair<double, double>>& offsets) {
  std::vector<ForecastValue> forecasts(points.size());
  for (size_t h = 0; h < points.size(); ++h) {
    forecasts[h] = {points[h], points[h] + scale * offsets[h].first,
                    points[h] + scale * offsets[h].second};
  }
  return forecasts;
}

// Days of history a series needs to get boosted forecasts.
size_t BoostedHistoryNeeded(const TournamentOptions& tournament, const BoostedOptions& options) {
  return static_cast<size_t>(MinimumHistory(options) + tournament.backtest_days + 1);
}

}  // namespace

ExternalForecasts BoostedForecastsUnavailable(size_t history_days,
                                              const TournamentOptions& tournament,
                                              const BoostedOptions& options) {
  ExternalForecasts unavailable;
  unavailable.kind = ModelKind::kXgboost;
  unavailable.status = InsufficientHistoryError(absl::StrCat(
      "the fleet-wide XGBoost model needs at least ", BoostedHistoryNeeded(tournament, options),
      " days of history (", tournament.backtest_days, " held out), got ", history_days));
  return unavailable;
}

absl::StatusOr<std::vector<std::optional<ExternalForecasts>>> ComputeBoostedForecasts(
    std::span<const BoostingInput> inputs, const TournamentOptions& tournament,
    const BoostedOptions& options) {
  const int window = tournament.backtest_days;
  const size_t needed = BoostedHistoryNeeded(tournament, options);
  std::vector<size_t> usable;  // positions in `inputs` of the long-enough series
  std::vector<BoostedSeries> cut, full;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const DailySeries& series = *inputs[i].series;
    if (series.values.size() < needed) continue;
    usable.push_back(i);
    const std::span<const double> all(series.values);
    cut.push_back({all.first(all.size() - window), series.first_day, inputs[i].group});
    full.push_back({all, series.first_day, inputs[i].group});
  }
  std::vector<std::optional<ExternalForecasts>> result(inputs.size());
  if (usable.empty()) return result;

  absl::StatusOr<BoostedFleetModel> backtest_model = BoostedFleetModel::Train(cut, options);
  if (!backtest_model.ok()) return backtest_model.status();
  absl::StatusOr<std::vector<std::vector<double>>> backtest = backtest_model->Forecast(cut, window);
  if (!backtest.ok()) return backtest.status();
  absl::StatusOr<BoostedFleetModel> final_model = BoostedFleetModel::Train(full, options);
  if (!final_model.ok()) return final_model.status();
  absl::StatusOr<std::vector<std::vector<double>>> future =
      final_model->Forecast(full, tournament.horizon_days);
  if (!future.ok()) return future.status();

  // Scaled backtest errors per group, for all series and per half.
  std::vector<double> scales(usable.size());
  std::map<int, StepErrors> all_errors;
  std::map<std::pair<int, int>, StepErrors> half_errors;  // (group, half)
  for (size_t j = 0; j < usable.size(); ++j) {
    const BoostingInput& input = inputs[usable[j]];
    scales[j] = SeriesScale(cut[j].values);
    const std::span<const double> actual =
        std::span<const double>(input.series->values).last(window);
    StepErrors& all = all_errors[input.group];
    StepErrors& half = half_errors[{input.group, static_cast<int>(j % 2)}];
    all.resize(window);
    half.resize(window);
    for (int h = 0; h < window; ++h) {
      const double error = (actual[h] - (*backtest)[j][h]) / scales[j];
      all[h].push_back(error);
      half[h].push_back(error);
    }
  }
  const double level = tournament.interval_level;
  std::map<int, std::vector<std::pair<double, double>>> future_offsets;
  for (const auto& [group, errors] : all_errors) {
    future_offsets[group] = OffsetTable(errors, tournament.horizon_days, level);
  }
  std::map<std::pair<int, int>, std::vector<std::pair<double, double>>> backtest_offsets;
  for (const auto& [key, errors] : half_errors) {
    // The other half's errors; the same half's when the other has none.
    const auto other = half_errors.find({key.first, 1 - key.second});
    backtest_offsets[key] =
        OffsetTable(other != half_errors.end() ? other->second : errors, window, level);
  }
  // The long backtest: a third training on the series long enough to
  // leave MinimumHistory days before its window.
  const int long_days = tournament.long_backtest_days;
  std::vector<std::vector<double>> long_backtest(usable.size());
  if (long_days > 0) {
    std::vector<BoostedSeries> long_cut;
    std::vector<size_t> long_usable;  // positions in `usable`
    for (size_t j = 0; j < usable.size(); ++j) {
      if (full[j].values.size() < static_cast<size_t>(MinimumHistory(options) + long_days + 1)) {
        continue;
      }
      long_usable.push_back(j);
      long_cut.push_back({full[j].values.first(full[j].values.size() - long_days),
                          full[j].first_day, full[j].group});
    }
    if (!long_cut.empty()) {
      absl::StatusOr<BoostedFleetModel> long_model = BoostedFleetModel::Train(long_cut, options);
      if (!long_model.ok()) return long_model.status();
      absl::StatusOr<std::vector<std::vector<double>>> forecasts =
          long_model->Forecast(long_cut, long_days);
      if (!forecasts.ok()) return forecasts.status();
      for (size_t k = 0; k < long_usable.size(); ++k) {
        long_backtest[long_usable[k]] = std::move((*forecasts)[k]);
      }
    }
  }
  const std::string description = final_model->description();
  for (size_t j = 0; j < usable.size(); ++j) {
    const int group = inputs[usable[j]].group;
    ExternalForecasts forecasts;
    forecasts.kind = ModelKind::kXgboost;
    forecasts.backtest = WithIntervals((*backtest)[j], scales[j],
                                       backtest_offsets[{group, static_cast<int>(j % 2)}]);
    forecasts.future =
        WithIntervals((*future)[j], SeriesScale(full[j].values), future_offsets[group]);
    if (!long_backtest[j].empty()) {
      // Intervals from every series' backtest errors, as the future's.
      const std::span<const double> before =
          full[j].values.first(full[j].values.size() - long_days);
      forecasts.long_backtest =
          WithIntervals(long_backtest[j], SeriesScale(before), future_offsets[group]);
    }
    forecasts.description = description;
    result[usable[j]] = std::move(forecasts);
  }
  return result;
}

}  // namespace horizonscale::forecast

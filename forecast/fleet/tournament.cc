#include "forecast/fleet/tournament.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include "forecast/fleet/internal/breach_risk.h"
#include "forecast/fleet/internal/tournament_fit.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

// Models the tournament can fit per series: those with intervals of their
// own (coverage is scored, and the risk rests on the upper bound).
bool FittablePerSeries(ModelKind kind) {
  switch (kind) {
    case ModelKind::kEwma:
    case ModelKind::kHolt:
    case ModelKind::kHoltWinters:
    case ModelKind::kLinear:
    case ModelKind::kSeasonalNaive:
    case ModelKind::kProphet:
      return true;
    case ModelKind::kSeasonal:
    case ModelKind::kXgboost:
    case ModelKind::kEts:
    case ModelKind::kTheta:
    case ModelKind::kArima:
    case ModelKind::kMstl:
    case ModelKind::kCombination:
      return false;
  }
  return false;
}

void ClampToUtilization(std::vector<ForecastValue>& forecasts) {
  for (ForecastValue& f : forecasts) {
    f.value = std::clamp(f.value, 0.0, kMaxUtilizationPercent);
    f.lower = std::clamp(f.lower, 0.0, kMaxUtilizationPercent);
    f.upper = std::clamp(f.upper, 0.0, kMaxUtilizationPercent);
  }
}

// Fits `kind` to `values` and forecasts `horizon` days, calibrated and
// clamped; fills `description` when given.
absl::StatusOr<std::vector<ForecastValue>> FitAndPredict(ModelKind kind,
                                                         std::span<const double> values,
                                                         int64_t first_day, int horizon,
                                                         const TournamentOptions& options,
                                                         std::string* description) {
  absl::StatusOr<std::vector<ForecastValue>> forecasts =
      internal::FitAndPredictRaw(kind, values, first_day, horizon, options, description);
  if (!forecasts.ok()) return forecasts.status();
  options.calibration.Apply(kind, *forecasts);
  ClampToUtilization(*forecasts);
  return forecasts;
}

Accuracy ScoreBacktest(std::span<const double> actual, std::span<const ForecastValue> forecasts,
                       double mase_scale) {
  std::vector<ScoredPoint> points(actual.size());
  for (size_t i = 0; i < actual.size(); ++i) points[i] = {actual[i], forecasts[i]};
  return Score(points, mase_scale);
}

// Most models a combination averages.
constexpr int kMaxCombined = 3;

// The element-wise mean of the members' forecasts `of` each (points and
// bounds; all the same length).
std::vector<ForecastValue> MeanForecast(std::span<const ModelResult* const> members,
                                        const std::vector<ForecastValue> ModelResult::*of) {
  std::vector<ForecastValue> mean((members.front()->*of).size());
  for (size_t h = 0; h < mean.size(); ++h) {
    ForecastValue sum{0, 0, 0};
    for (const ModelResult* member : members) {
      const ForecastValue& f = (member->*of)[h];
      sum.value += f.value;
      sum.lower += f.lower;
      sum.upper += f.upper;
    }
    const double count = static_cast<double>(members.size());
    mean[h] = {sum.value / count, sum.lower / count, sum.upper / count};
  }
  return mean;
}

}  // namespace

const char* SelectionMetricName(SelectionMetric metric) {
  switch (metric) {
    case SelectionMetric::kMape:
      return "mape";
    case SelectionMetric::kSmape:
      return "smape";
    case SelectionMetric::kMase:
      return "mase";
  }
  return "unknown";
}

const char* SelectionWindowName(SelectionWindow window) {
  switch (window) {
    case SelectionWindow::kBacktest:
      return "backtest";
    case SelectionWindow::kLongBacktest:
      return "long_backtest";
  }
  return "unknown";
}

double MetricValue(const Accuracy& accuracy, SelectionMetric metric) {
  switch (metric) {
    case SelectionMetric::kMape:
      return accuracy.mape_percent;
    case SelectionMetric::kSmape:
      return accuracy.smape_percent;
    case SelectionMetric::kMase:
      return accuracy.mase;
  }
  return accuracy.mape_percent;
}

absl::Status ValidateTournamentOptions(const TournamentOptions& options) {
  for (size_t i = 0; i < options.models.size(); ++i) {
    const ModelKind kind = options.models[i];
    if (!FittablePerSeries(kind)) {
      return absl::InvalidArgumentError(
          absl::StrCat("models[", i, "]: the ", ModelName(kind),
                       " model cannot be fitted per series in the tournament",
                       kind == ModelKind::kXgboost ? " (it is trained across the fleet)"
                                                   : " (it has no interval of its own)"));
    }
    for (size_t j = 0; j < i; ++j) {
      if (options.models[j] == kind) {
        return absl::InvalidArgumentError(
            absl::StrCat("models[", i, "]: ", ModelName(kind), " is listed twice"));
      }
    }
  }
  if (options.backtest_days < 1 || options.backtest_days > 366) {
    return absl::InvalidArgumentError(
        absl::StrCat("backtest_days must be in [1, 366], got ", options.backtest_days));
  }
  if (options.horizon_days < 1 || options.horizon_days > 1830) {
    return absl::InvalidArgumentError(
        absl::StrCat("horizon_days must be in [1, 1830], got ", options.horizon_days));
  }
  if (!(options.interval_level > 0 && options.interval_level < 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("interval_level must be in (0, 1), got ", options.interval_level));
  }
  if (options.seasonal_period < 0 || options.seasonal_period > 366) {
    return absl::InvalidArgumentError(
        absl::StrCat("seasonal_period must be in [0, 366], got ", options.seasonal_period));
  }
  if (options.combine_top < 0 || options.combine_top > kMaxCombined) {
    return absl::InvalidArgumentError(
        absl::StrCat("combine_top must be in [0, ", kMaxCombined, "], got ", options.combine_top));
  }
  if (options.long_backtest_days < 0 || options.long_backtest_days > options.horizon_days) {
    return absl::InvalidArgumentError(
        absl::StrCat("long_backtest_days must be in [0, horizon_days = ", options.horizon_days,
                     "], got ", options.long_backtest_days));
  }
  if (options.selection_window == SelectionWindow::kLongBacktest &&
      options.long_backtest_days == 0) {
    return absl::InvalidArgumentError(
        "selection_window long_backtest needs long_backtest_days > 0");
  }
  if (absl::Status status = ValidateRiskOptions(options.risk); !status.ok()) return status;
  if (options.horizon_days < options.risk.risk_window_days) {
    return absl::InvalidArgumentError(absl::StrCat("horizon_days (", options.horizon_days,
                                                   ") must cover risk_window_days (",
                                                   options.risk.risk_window_days, ")"));
  }
  return absl::OkStatus();
}

const ModelResult* SeriesTournament::runner_up() const {
  return models.size() >= 2 && models[1].rank == 2 ? &models[1] : nullptr;
}

absl::StatusOr<SeriesTournament> RunSeriesTournament(const DailySeries& series,
                                                     const TournamentOptions& options,
                                                     std::span<const ExternalForecasts> external) {
  const int64_t length = static_cast<int64_t>(series.values.size());
  const int backtest_days = options.backtest_days;
  if (length <= backtest_days + 1) {
    return InsufficientHistoryError(absl::StrCat("the tournament needs more than ",
                                                 backtest_days + 1, " days of history (",
                                                 backtest_days, " are held out), got ", length));
  }
  for (size_t i = 0; i < external.size(); ++i) {
    if (!external[i].status.ok()) continue;
    if (static_cast<int>(external[i].backtest.size()) != backtest_days ||
        static_cast<int>(external[i].future.size()) != options.horizon_days) {
      return absl::InvalidArgumentError(
          absl::StrCat("external forecasts of ", ModelName(external[i].kind), " have ",
                       external[i].backtest.size(), " backtest and ", external[i].future.size(),
                       " future values; expected ", backtest_days, " and ", options.horizon_days));
    }
    if (!external[i].long_backtest.empty() &&
        static_cast<int>(external[i].long_backtest.size()) != options.long_backtest_days) {
      return absl::InvalidArgumentError(
          absl::StrCat("external forecasts of ", ModelName(external[i].kind), " have ",
                       external[i].long_backtest.size(), " long backtest values; expected none or ",
                       options.long_backtest_days));
    }
  }
  // A long backtest needs two days of history before its window.
  const int long_days = options.long_backtest_days;
  const bool long_backtest = long_days > 0 && length > long_days + 1;
  const std::span<const double> all(series.values);
  const std::span<const double> training = all.first(length - backtest_days);
  const std::span<const double> held_out = all.last(backtest_days);
  const double mase_scale = MaseScale(training, options.seasonal_period);

  const std::span<const double> long_training = all.first(length - (long_backtest ? long_days : 0));
  const std::span<const double> long_held_out = all.last(long_backtest ? long_days : 0);
  const double long_mase_scale =
      long_backtest ? MaseScale(long_training, options.seasonal_period) : 0;

  SeriesTournament result;
  result.backtest_first_day = series.first_day + length - backtest_days;
  result.long_backtest_first_day = series.first_day + length - long_days;
  result.future_first_day = series.first_day + length;
  for (ModelKind kind : options.models) {
    ModelResult model;
    model.kind = kind;
    absl::StatusOr<std::vector<ForecastValue>> backtest =
        FitAndPredict(kind, training, series.first_day, backtest_days, options, &model.description);
    if (backtest.ok()) {
      model.backtest = *std::move(backtest);
      model.accuracy = ScoreBacktest(held_out, model.backtest, mase_scale);
    } else {
      model.status = backtest.status();
    }
    if (model.status.ok() && long_backtest) {
      absl::StatusOr<std::vector<ForecastValue>> forecasts =
          FitAndPredict(kind, long_training, series.first_day, long_days, options, nullptr);
      if (forecasts.ok()) {
        model.long_backtest = *std::move(forecasts);
        model.long_accuracy = ScoreBacktest(long_held_out, model.long_backtest, long_mase_scale);
      }
    }
    result.models.push_back(std::move(model));
  }
  for (const ExternalForecasts& forecasts : external) {
    ModelResult model;
    model.kind = forecasts.kind;
    model.description = forecasts.description;
    if (!forecasts.status.ok()) {
      model.status = forecasts.status;
      result.models.push_back(std::move(model));
      continue;
    }
    model.backtest = forecasts.backtest;
    options.calibration.Apply(model.kind, model.backtest);
    ClampToUtilization(model.backtest);
    model.accuracy = ScoreBacktest(held_out, model.backtest, mase_scale);
    if (long_backtest && !forecasts.long_backtest.empty()) {
      model.long_backtest = forecasts.long_backtest;
      options.calibration.Apply(model.kind, model.long_backtest);
      ClampToUtilization(model.long_backtest);
      model.long_accuracy = ScoreBacktest(long_held_out, model.long_backtest, long_mase_scale);
    }
    result.models.push_back(std::move(model));
  }

  // Rank: fitted models by the metric over the selection window (NaN, or
  // no score there, last), ties by listing order.
  const bool by_long_backtest =
      options.selection_window == SelectionWindow::kLongBacktest &&
      std::any_of(result.models.begin(), result.models.end(),
                  [](const ModelResult& m) { return m.long_accuracy.has_value(); });
  auto selection_score = [&](const ModelResult& m) {
    if (!by_long_backtest) return MetricValue(m.accuracy, options.selection_metric);
    return m.long_accuracy.has_value() ? MetricValue(*m.long_accuracy, options.selection_metric)
                                       : std::numeric_limits<double>::quiet_NaN();
  };
  auto ranks_before = [&](const ModelResult& a, const ModelResult& b) {
    if (a.status.ok() != b.status.ok()) return a.status.ok();
    if (!a.status.ok()) return false;
    const double x = selection_score(a);
    const double y = selection_score(b);
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return x < y;
  };
  std::stable_sort(result.models.begin(), result.models.end(), ranks_before);
  // The combination of the best `combine_top` on the long backtest, a
  // contestant like the others.
  std::vector<ModelKind> combined;  // its members
  if (by_long_backtest && options.combine_top >= 2) {
    std::vector<const ModelResult*> members;
    for (const ModelResult& model : result.models) {
      if (static_cast<int>(members.size()) == options.combine_top) break;
      if (model.status.ok() && model.long_accuracy.has_value()) members.push_back(&model);
    }
    if (static_cast<int>(members.size()) == options.combine_top) {
      std::vector<std::string> names;
      for (const ModelResult* member : members) {
        combined.push_back(member->kind);
        names.push_back(ModelName(member->kind));
      }
      ModelResult mean;
      mean.kind = ModelKind::kCombination;
      mean.description = absl::StrCat("Mean of ", absl::StrJoin(names, ", "));
      mean.backtest = MeanForecast(members, &ModelResult::backtest);
      mean.accuracy = ScoreBacktest(held_out, mean.backtest, mase_scale);
      mean.long_backtest = MeanForecast(members, &ModelResult::long_backtest);
      mean.long_accuracy = ScoreBacktest(long_held_out, mean.long_backtest, long_mase_scale);
      result.models.push_back(std::move(mean));
      std::stable_sort(result.models.begin(), result.models.end(), ranks_before);
    }
  }
  int ranked = 0;
  for (ModelResult& model : result.models) {
    if (model.status.ok()) model.rank = ++ranked;
  }
  if (ranked == 0) {
    std::vector<std::string> failures;
    for (const ModelResult& model : result.models) {
      failures.push_back(absl::StrCat(ModelName(model.kind), ": ", model.status.message()));
    }
    return InsufficientHistoryError(
        absl::StrCat("no model could be fitted: ", absl::StrJoin(failures, "; ")));
  }

  // Golden forecast (champion) and the runner-up's, refitted on everything;
  // a combination's is the mean of its members' (refitted for it).
  auto model_of = [&](ModelKind kind) -> ModelResult& {
    return *std::find_if(result.models.begin(), result.models.end(),
                         [&](const ModelResult& m) { return m.kind == kind; });
  };
  auto refit = [&](ModelResult& model) -> absl::Status {
    if (!model.future.empty()) return absl::OkStatus();
    const auto external_model =
        std::find_if(external.begin(), external.end(),
                     [&](const ExternalForecasts& f) { return f.kind == model.kind; });
    if (external_model != external.end()) {
      model.future = external_model->future;
      options.calibration.Apply(model.kind, model.future);
      ClampToUtilization(model.future);
      return absl::OkStatus();
    }
    absl::StatusOr<std::vector<ForecastValue>> future =
        FitAndPredict(model.kind, all, series.first_day, options.horizon_days, options, nullptr);
    if (!future.ok()) {
      return absl::InternalError(absl::StrCat("refitting ", ModelName(model.kind),
                                              " on the whole history failed after its backtest "
                                              "succeeded: ",
                                              future.status().message()));
    }
    model.future = *std::move(future);
    return absl::OkStatus();
  };
  for (int place = 0; place < std::min(ranked, 2); ++place) {
    if (result.models[place].kind != ModelKind::kCombination) {
      if (absl::Status status = refit(result.models[place]); !status.ok()) return status;
      continue;
    }
    std::vector<const ModelResult*> members;
    for (ModelKind kind : combined) {
      if (absl::Status status = refit(model_of(kind)); !status.ok()) return status;
      members.push_back(&model_of(kind));
    }
    result.models[place].future = MeanForecast(members, &ModelResult::future);
  }
  result.risk = FindBreach(result.champion().future, result.future_first_day, options.risk);
  return result;
}

}  // namespace horizonscale::forecast

#include "forecast/fleet/tournament.h"

#include <algorithm>
#include <cmath>
#include <numeric>

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
  }
  const std::span<const double> all(series.values);
  const std::span<const double> training = all.first(length - backtest_days);
  const std::span<const double> held_out = all.last(backtest_days);
  const double mase_scale = MaseScale(training, options.seasonal_period);

  SeriesTournament result;
  result.backtest_first_day = series.first_day + length - backtest_days;
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
    result.models.push_back(std::move(model));
  }

  // Rank: fitted models by the metric (NaN last), ties by listing order.
  std::stable_sort(result.models.begin(), result.models.end(),
                   [&](const ModelResult& a, const ModelResult& b) {
                     if (a.status.ok() != b.status.ok()) return a.status.ok();
                     if (!a.status.ok()) return false;
                     const double x = MetricValue(a.accuracy, options.selection_metric);
                     const double y = MetricValue(b.accuracy, options.selection_metric);
                     if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
                     return x < y;
                   });
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

  // Golden forecast (champion) and the runner-up's, refitted on everything.
  for (int place = 0; place < std::min(ranked, 2); ++place) {
    ModelResult& model = result.models[place];
    const auto external_model =
        std::find_if(external.begin(), external.end(),
                     [&](const ExternalForecasts& f) { return f.kind == model.kind; });
    if (external_model != external.end()) {
      model.future = external_model->future;
      options.calibration.Apply(model.kind, model.future);
      ClampToUtilization(model.future);
      continue;
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
  }
  result.risk = FindBreach(result.champion().future, result.future_first_day, options.risk);
  return result;
}

}  // namespace horizonscale::forecast

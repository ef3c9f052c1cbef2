#include "forecast/engine.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "forecast/internal/backtest.h"
#include "forecast/internal/models.h"
#include "forecast/internal/seasonality.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

// EstimateWork once the longest possible seasonal period is known (< 2: none).
WorkEstimate EstimateWorkWithPeriod(std::optional<ModelKind> model, int horizon, int64_t period,
                                    int64_t length) {
  WorkEstimate estimate;
  if (model.has_value()) {
    estimate.models = 1;
  } else {
    for (ModelKind kind : kAllModelKinds) {
      const bool needs_season = kind == ModelKind::kHoltWinters || kind == ModelKind::kSeasonal;
      if (!needs_season || period >= 2) ++estimate.models;
    }
  }
  const int64_t seasons = period >= 2 ? std::max<int64_t>(2 * period, 24) : 24;
  estimate.backtest_horizon = static_cast<int>(std::min<int64_t>(horizon, seasons));
  // The seasonal decomposition model refits its trend line on a window of up
  // to kMaxTrendWindow values (two seasons at least) at each backtest origin
  // (about a fifth of the values).
  const bool decomposition = period >= 2 && (!model.has_value() || *model == ModelKind::kSeasonal);
  if (decomposition) {
    const int64_t window = std::min(
        length, std::max(std::min<int64_t>(internal::kMaxTrendWindow, length / 2), 2 * period));
    estimate.trend_refit_units = window / 5;
  }
  const double units = static_cast<double>(std::max<int64_t>(length, 0)) *
                       (static_cast<double>(estimate.models) *
                            static_cast<double>(kFitUnitsPerValue + estimate.backtest_horizon) +
                        static_cast<double>(estimate.trend_refit_units));
  estimate.units =
      units >= 9.2e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(units);
  return estimate;
}

// Steps scored per backtest origin: the requested horizon, at most two
// seasons (or 24 steps without a season) — far enough to see the season and
// the trend, short enough to leave many origins.
int BacktestHorizon(int horizon, int period) {
  return std::min(horizon, period >= 2 ? 2 * period : 24);
}

// Held-out values: a fifth of the series, at least two backtest horizons (so
// that the empirical intervals' cross-fitting has both halves), leaving at
// least two values to train on.
int BacktestLength(int n, int backtest_horizon) {
  return std::min(std::max(2 * backtest_horizon, n / 5), n - 2);
}

double MetricOf(const Accuracy& accuracy, ForecastRequest::Metric metric) {
  switch (metric) {
    case ForecastRequest::Metric::kMase:
      return accuracy.mase;
    case ForecastRequest::Metric::kSmape:
      return accuracy.smape_percent;
    case ForecastRequest::Metric::kRmse:
      return accuracy.rmse;
    case ForecastRequest::Metric::kMape:
      return accuracy.mape_percent;
  }
  return accuracy.mase;
}

const char* MetricName(ForecastRequest::Metric metric) {
  switch (metric) {
    case ForecastRequest::Metric::kMase:
      return "MASE";
    case ForecastRequest::Metric::kSmape:
      return "sMAPE";
    case ForecastRequest::Metric::kRmse:
      return "RMSE";
    case ForecastRequest::Metric::kMape:
      return "MAPE";
  }
  return "MASE";
}

absl::Status Validate(const ForecastRequest& request) {
  if (request.values.empty()) return absl::InvalidArgumentError("values: the series is empty");
  for (size_t i = 0; i < request.values.size(); ++i) {
    if (!std::isfinite(request.values[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("values[", i, "] is not finite (", request.values[i], ")"));
    }
  }
  if (request.horizon < 1 || request.horizon > kMaxHorizon) {
    return absl::InvalidArgumentError(
        absl::StrCat("horizon must be in [1, ", kMaxHorizon, "], got ", request.horizon));
  }
  if (!(request.level > 0 && request.level < 1)) {
    return absl::InvalidArgumentError(absl::StrCat("level must be in (0, 1), got ", request.level));
  }
  if (request.seasonal_period.has_value() && *request.seasonal_period < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("seasonal_period must be >= 0, got ", *request.seasonal_period));
  }
  return absl::OkStatus();
}

// A candidate and its backtest, when it could be run.
struct Candidate {
  ModelKind kind;
  std::optional<BacktestResult> backtest;
  std::string skipped;  // why there is no backtest
};

ModelReport ReportOf(const FittedModel& model, const Candidate& candidate) {
  ModelReport report;
  report.kind = model.kind();
  report.description = model.description();
  report.parameters = model.parameters();
  report.analytic_interval = model.analytic_interval();
  if (candidate.backtest.has_value()) report.accuracy = candidate.backtest->accuracy;
  return report;
}

// The model's forecast with its interval: analytic, or from backtest errors.
std::vector<ForecastValue> Predict(const FittedModel& model, const Candidate& candidate,
                                   int horizon, double level) {
  std::vector<ForecastValue> points = model.Predict(horizon, level);
  if (model.analytic_interval()) return points;
  const std::vector<std::pair<double, double>> intervals =
      EmpiricalIntervals(candidate.backtest->errors, horizon, level);
  for (int k = 1; k <= horizon; ++k) {
    const auto [low, high] = intervals[k - 1];
    points[k - 1].lower = points[k - 1].value + low;
    points[k - 1].upper = points[k - 1].value + high;
  }
  return points;
}

std::string Figure(double value) { return absl::StrFormat("%.4g", value); }

}  // namespace

WorkEstimate EstimateWork(const ForecastRequest& request, int64_t length) {
  // The longest seasonal period the call can end up with (0: none).
  int64_t period = 0;
  const bool seasonal_model =
      request.model == ModelKind::kHoltWinters || request.model == ModelKind::kSeasonal ||
      request.model == ModelKind::kSeasonalNaive || request.model == ModelKind::kEts ||
      request.model == ModelKind::kTheta || request.model == ModelKind::kArima ||
      request.model == ModelKind::kMstl || request.model == ModelKind::kCombination;
  if (request.seasonal_period.has_value()) {
    period = *request.seasonal_period;
  } else if (!request.model.has_value() || seasonal_model) {
    period = std::min<int64_t>(request.max_detected_period, length / 2);
  }
  return EstimateWorkWithPeriod(request.model, request.horizon, period, length);
}

absl::StatusOr<ForecastResult> Forecast(const ForecastRequest& request) {
  if (absl::Status valid = Validate(request); !valid.ok()) return valid;
  const int n = static_cast<int>(request.values.size());
  if (IsCancelled(request.cancelled)) return CancelledStatus("start");

  ForecastResult result;
  const bool seasonal_model =
      request.model == ModelKind::kHoltWinters || request.model == ModelKind::kSeasonal ||
      request.model == ModelKind::kSeasonalNaive || request.model == ModelKind::kEts ||
      request.model == ModelKind::kTheta || request.model == ModelKind::kArima ||
      request.model == ModelKind::kMstl || request.model == ModelKind::kCombination;
  if (request.seasonal_period.has_value()) {
    result.seasonal_period = *request.seasonal_period >= 2 ? *request.seasonal_period : 0;
  } else if (request.model.has_value() && !seasonal_model) {
    result.seasonal_period = 0;  // a model without a season needs none
  } else {
    result.seasonal_period =
        DetectSeasonalPeriod(request.values, std::min(request.max_detected_period, n / 2));
    result.seasonal_period_detected = true;
    if (IsCancelled(request.cancelled)) return CancelledStatus("seasonal period detection");
  }
  if (request.options.seasonal_periods.size() >= 2) {
    result.seasonal_periods = request.options.seasonal_periods;
  }
  ModelOptions options = request.options;
  options.seasonal_period = result.seasonal_period;
  options.cancelled = request.cancelled;

  if (request.max_work_units > 0) {
    const WorkEstimate work =
        EstimateWorkWithPeriod(request.model, request.horizon, result.seasonal_period, n);
    if (work.units > request.max_work_units) {
      return absl::ResourceExhaustedError(
          absl::StrCat("about ", work.units, " work units (", n, " steps x (", work.models,
                       " models x (", kFitUnitsPerValue, " + ", work.backtest_horizon,
                       " backtest steps) + ", work.trend_refit_units, " trend refit)",
                       result.seasonal_period >= 2
                           ? absl::StrCat(", seasonal period ", result.seasonal_period, " steps")
                           : std::string(),
                       "), more than the limit of ", request.max_work_units));
    }
  }

  std::vector<ModelKind> kinds;
  if (request.model.has_value()) {
    kinds.push_back(*request.model);
  } else {
    for (ModelKind kind : kAllModelKinds) {
      const bool needs_season = kind == ModelKind::kHoltWinters || kind == ModelKind::kSeasonal;
      if (!needs_season || result.seasonal_period >= 2) kinds.push_back(kind);
    }
  }

  if (request.model.has_value() && !request.score_analytic_models) {
    absl::StatusOr<std::unique_ptr<FittedModel>> model =
        FitModel(*request.model, request.values, options);
    if (!model.ok()) return model.status();
    if ((*model)->analytic_interval()) {
      result.points = (*model)->Predict(request.horizon, request.level);
      result.model = ReportOf(**model, Candidate{*request.model, std::nullopt, ""});
      result.selection_reason =
          absl::StrCat("requested: ", ModelName(*request.model), " (not backtested)");
      return result;
    }
  }

  // Every candidate on the same held-out window, so their errors compare.
  const int horizon = BacktestHorizon(request.horizon, result.seasonal_period);
  const int test_length = BacktestLength(n, horizon);
  std::vector<Candidate> candidates;
  // The best backtested candidate so far (the one automatic selection keeps:
  // the first with the lowest metric); the others' errors are freed as soon
  // as they lose, since only the chosen model's build its intervals.
  std::optional<size_t> leader;
  for (ModelKind kind : kinds) {
    Candidate candidate{kind, std::nullopt, ""};
    const int needed = MinimumLength(kind, options);
    if (n - test_length < needed || test_length < 2) {
      candidate.skipped =
          absl::StrCat(ModelName(kind), " needs ", needed + std::max(test_length, 2),
                       " points to be backtested, got ", n);
    } else {
      absl::StatusOr<BacktestResult> backtest =
          Backtest(kind, request.values, options, {horizon, test_length, request.level});
      if (!backtest.ok()) {
        if (request.model.has_value() || backtest.status().code() == absl::StatusCode::kCancelled) {
          return backtest.status();
        }
        candidate.skipped = absl::StrCat(ModelName(kind), ": ", backtest.status().message());
      } else {
        candidate.backtest = std::move(*backtest);
      }
    }
    if (!request.model.has_value() && candidate.backtest.has_value()) {
      const double score = MetricOf(candidate.backtest->accuracy, request.selection_metric);
      if (!leader.has_value() ||
          score < MetricOf(candidates[*leader].backtest->accuracy, request.selection_metric)) {
        if (leader.has_value()) candidates[*leader].backtest->errors = {};
        leader = candidates.size();
      } else {
        candidate.backtest->errors = {};
      }
    }
    candidates.push_back(std::move(candidate));
  }

  // The chosen candidate: the requested one, or the best backtested one.
  const Candidate* chosen = nullptr;
  if (request.model.has_value()) {
    chosen = &candidates.front();
    result.selection_reason = absl::StrCat("requested: ", ModelName(chosen->kind));
  } else {
    double best = std::numeric_limits<double>::infinity();
    for (const Candidate& candidate : candidates) {
      if (!candidate.backtest.has_value()) continue;
      const double score = MetricOf(candidate.backtest->accuracy, request.selection_metric);
      if (chosen == nullptr || score < best) {
        chosen = &candidate;
        best = score;
      }
    }
    if (chosen == nullptr) {
      std::string why;
      for (const Candidate& candidate : candidates) absl::StrAppend(&why, "; ", candidate.skipped);
      return InsufficientHistoryError(
          absl::StrCat("the series (", n, " points) is too short for any model", why));
    }
    result.selection_reason = absl::StrCat("auto: ", ModelName(chosen->kind), " had the lowest ",
                                           MetricName(request.selection_metric), " (", Figure(best),
                                           ") in a rolling-origin backtest over the last ",
                                           test_length, " points, 1-", horizon, " steps ahead");
    std::string others;
    for (const Candidate& candidate : candidates) {
      if (&candidate == chosen || !candidate.backtest.has_value()) continue;
      absl::StrAppend(&others, others.empty() ? "" : ", ", ModelName(candidate.kind), " ",
                      Figure(MetricOf(candidate.backtest->accuracy, request.selection_metric)));
    }
    if (!others.empty()) absl::StrAppend(&result.selection_reason, "; others: ", others);
    for (const Candidate& candidate : candidates) {
      if (!candidate.skipped.empty()) {
        absl::StrAppend(&result.selection_reason, "; skipped ", candidate.skipped);
      }
    }
  }

  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(chosen->kind, request.values, options);
  if (!model.ok()) return model.status();
  if (!chosen->backtest.has_value()) {
    if (!(*model)->analytic_interval()) {
      return InsufficientHistoryError(
          absl::StrCat("the ", ModelName(chosen->kind),
                       " model's interval comes from backtest errors, and ", chosen->skipped));
    }
    absl::StrAppend(&result.selection_reason, "; not backtested: ", chosen->skipped);
  }
  result.points = Predict(**model, *chosen, request.horizon, request.level);
  result.model = ReportOf(**model, *chosen);
  if (!request.model.has_value()) {
    for (const Candidate& candidate : candidates) {
      if (!candidate.backtest.has_value()) continue;
      ModelReport report;
      report.kind = candidate.kind;
      report.description = candidate.backtest->description;
      report.parameters = candidate.backtest->parameters;
      report.accuracy = candidate.backtest->accuracy;
      report.analytic_interval = candidate.backtest->analytic_interval;
      result.candidates.push_back(std::move(report));
    }
  }
  return result;
}

}  // namespace horizonscale::forecast

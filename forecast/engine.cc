#include "forecast/engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "forecast/internal/backtest.h"
#include "forecast/internal/model_selection.h"
#include "forecast/internal/seasonality.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

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

std::string Figure(double value) { return absl::StrFormat("%.4g", value); }

// The series the families that fit on the recent past see (RecentFitLength).
std::span<const double> RecentValues(std::span<const double> values, int longest_period) {
  return values.last(
      static_cast<size_t>(RecentFitLength(static_cast<int64_t>(values.size()), longest_period)));
}

// Automatic selection with `choice` (ForecastRequest::reuse) instead of the
// tournament: nullopt when it does not apply, the forecast or CANCELLED
// otherwise.
std::optional<absl::StatusOr<ForecastResult>> ReuseChoice(const ForecastRequest& request,
                                                          const ModelChoice& choice) {
  if (choice.model == nullptr || choice.horizon != request.horizon ||
      choice.level != request.level ||
      choice.requested_seasonal_period != request.seasonal_period ||
      (request.options.seasonal_periods.size() >= 2 &&
       request.options.seasonal_periods != choice.seasonal_periods)) {
    return std::nullopt;
  }
  ModelOptions options = request.options;
  options.seasonal_period = choice.seasonal_period;
  options.cancelled = request.cancelled;
  int longest_period = choice.seasonal_period;
  for (int period : choice.seasonal_periods) longest_period = std::max(longest_period, period);
  const std::span<const double> values = RecentValues(request.values, longest_period);
  absl::StatusOr<std::unique_ptr<FittedModel>> model = choice.model->Refit(values, options);
  if (!model.ok()) {
    if (model.status().code() == absl::StatusCode::kCancelled) return model.status();
    return std::nullopt;  // e.g. the series shrank below the model's minimum
  }
  ForecastResult result;
  result.seasonal_period = choice.seasonal_period;
  result.seasonal_periods = choice.seasonal_periods;
  result.seasonal_period_detected = !request.seasonal_period.has_value();
  result.points = PredictWithInterval(**model, choice, request.horizon, request.level);
  result.model = choice.report;
  result.model.description = (*model)->description();
  result.model.parameters = (*model)->parameters();
  result.selection_reason = absl::StrCat(
      "auto: ", ModelName(choice.report.kind), " refitted to ",
      values.size() < request.values.size()
          ? absl::StrCat("the last ", values.size(), " of ", request.values.size())
          : absl::StrCat("all ", values.size()),
      " points, as an earlier selection on this series chose it (", choice.selection_reason, ")");
  result.choice = request.reuse;
  result.choice_reused = true;
  return result;
}

}  // namespace

absl::StatusOr<ForecastResult> Forecast(const ForecastRequest& request) {
  if (absl::Status valid = Validate(request); !valid.ok()) return valid;
  const int n = static_cast<int>(request.values.size());
  if (IsCancelled(request.cancelled)) return CancelledStatus("start");
  if (!request.model.has_value() && request.reuse != nullptr) {
    std::optional<absl::StatusOr<ForecastResult>> reused = ReuseChoice(request, *request.reuse);
    if (reused.has_value()) return std::move(*reused);
  }

  ForecastResult result;
  if (request.seasonal_period.has_value()) {
    result.seasonal_period = *request.seasonal_period >= 2 ? *request.seasonal_period : 0;
  } else if (request.model.has_value() && !UsesSeason(*request.model)) {
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
  // AUTO's backtest judges the ARIMA orders; its search need not be exact.
  if (!request.model.has_value() && !options.arima_approximation.has_value()) {
    options.arima_approximation = true;
  }
  int longest_period = result.seasonal_period;
  for (int period : result.seasonal_periods) longest_period = std::max(longest_period, period);

  if (request.max_work_units > 0) {
    const WorkEstimate work = EstimateWorkWithPeriod(request.model, request.horizon, longest_period,
                                                     result.seasonal_periods.size(), n);
    if (work.units > request.max_work_units) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "about ", work.units, " work units (", work.fit_length, " steps x ",
          work.fit_units_per_value, " fitting units per value for ", work.models, " models + ",
          work.models, " x ", work.backtest_points, " backtest points",
          work.trend_refit_units > 0 ? absl::StrCat(" + ", work.trend_refit_units, " trend refit")
                                     : std::string(),
          longest_period >= 2 ? absl::StrCat(", seasonal period ", longest_period, " steps")
                              : std::string(),
          "), more than the limit of ", request.max_work_units));
    }
  }

  const std::span<const double> values =
      FitsRecentPast(request.model) ? RecentValues(request.values, longest_period) : request.values;
  if (request.model.has_value() && !request.score_analytic_models) {
    absl::StatusOr<std::unique_ptr<FittedModel>> model = FitModel(*request.model, values, options);
    if (!model.ok()) return model.status();
    if ((*model)->analytic_interval()) {
      result.points = (*model)->Predict(request.horizon, request.level);
      result.model = ReportOf(**model, SelectionCandidate{*request.model, std::nullopt, {}, ""});
      result.selection_reason = absl::StrCat(
          "requested: ", ModelName(*request.model), " (not backtested)",
          values.size() < request.values.size()
              ? absl::StrCat("; fitted on the last ", values.size(), " of ", n, " points")
              : std::string());
      return result;
    }
  }

  const int fit_n = static_cast<int>(values.size());
  const BacktestPlan plan = PlanBacktest(fit_n, request.horizon);
  const int origins =
      plan.test_length == 0 ? 0 : (plan.test_length + plan.origin_stride - 1) / plan.origin_stride;

  std::vector<SelectionCandidate> candidates;
  const std::vector<ModelKind> kinds =
      request.model.has_value()
          ? std::vector<ModelKind>{*request.model}
          : AutoCandidates(result.seasonal_period, result.seasonal_periods.size());
  for (ModelKind kind : kinds) {
    absl::StatusOr<SelectionCandidate> candidate =
        BacktestCandidate(kind, values, options, plan, request.level, !request.model.has_value());
    if (!candidate.ok()) return candidate.status();
    candidates.push_back(std::move(*candidate));
  }
  if (!request.model.has_value()) {
    std::optional<SelectionCandidate> combination =
        CombinationCandidate(candidates, values, options, plan);
    if (combination.has_value()) candidates.push_back(std::move(*combination));
    if (IsCancelled(request.cancelled)) return CancelledStatus("combination's backtest");
  }
  // Every candidate's intervals are calibrated for its report; a caller that
  // needs the forecast only gets the chosen one's calibrated (below).
  if (request.score_analytic_models) {
    for (SelectionCandidate& candidate : candidates) {
      Calibrate(candidate, values, request.level);
      // Calibrating a long backtest's intervals takes tens of ms.
      if (IsCancelled(request.cancelled)) return CancelledStatus("interval calibration");
    }
  }

  // The chosen candidate: the requested one, or the best backtested one.
  SelectionCandidate* chosen = nullptr;
  if (request.model.has_value()) {
    chosen = &candidates.front();
    result.selection_reason = absl::StrCat("requested: ", ModelName(chosen->kind));
  } else {
    double best = std::numeric_limits<double>::infinity();
    for (SelectionCandidate& candidate : candidates) {
      if (!candidate.backtest.has_value()) continue;
      const double score = MetricOf(candidate.backtest->accuracy, request.selection_metric);
      if (chosen == nullptr || score < best) {
        chosen = &candidate;
        best = score;
      }
    }
    if (chosen == nullptr) return FitUnbacktested(values, options, candidates, request, result);
    result.selection_reason = absl::StrCat(
        "auto: ", ModelName(chosen->kind), " had the lowest ", MetricName(request.selection_metric),
        " (", Figure(best), ") over ", origins, " rolling origins in the last ", plan.test_length,
        " points, 1-", plan.horizon, " steps ahead");
    std::string others;
    for (const SelectionCandidate& candidate : candidates) {
      if (&candidate == chosen || !candidate.backtest.has_value()) continue;
      absl::StrAppend(&others, others.empty() ? "" : ", ", ModelName(candidate.kind), " ",
                      Figure(MetricOf(candidate.backtest->accuracy, request.selection_metric)));
    }
    if (!others.empty()) absl::StrAppend(&result.selection_reason, "; others: ", others);
    for (const SelectionCandidate& candidate : candidates) {
      if (!candidate.skipped.empty()) {
        absl::StrAppend(&result.selection_reason, "; skipped ", candidate.skipped);
      }
    }
  }
  if (fit_n < n) {
    absl::StrAppend(&result.selection_reason, "; fitted on the last ", fit_n, " of ", n, " points");
  }

  if (!request.score_analytic_models) Calibrate(*chosen, values, request.level);

  absl::StatusOr<std::shared_ptr<const FittedModel>> model = FinalModel(*chosen, values, options);
  if (!model.ok()) return model.status();
  if (IsCancelled(request.cancelled)) return CancelledStatus("final fit");
  if (!chosen->backtest.has_value()) {
    if (!(*model)->analytic_interval()) {
      return InsufficientHistoryError(
          absl::StrCat("the ", ModelName(chosen->kind),
                       " model's interval comes from backtest errors, and ", chosen->skipped));
    }
    absl::StrAppend(&result.selection_reason, "; not backtested: ", chosen->skipped);
  }
  absl::StrAppend(&result.selection_reason, CalibrationNote(*chosen));
  auto choice = std::make_shared<ModelChoice>(ChoiceOf(*model, *chosen, request));
  result.points = PredictWithInterval(**model, *choice, request.horizon, request.level);
  result.model = choice->report;
  if (!request.model.has_value() && chosen->backtest.has_value()) {
    choice->seasonal_period = result.seasonal_period;
    choice->seasonal_periods = result.seasonal_periods;
    choice->selection_reason = result.selection_reason;
    result.choice = std::move(choice);
  }
  if (!request.model.has_value()) {
    for (const SelectionCandidate& candidate : candidates) {
      if (!candidate.backtest.has_value()) continue;
      ModelReport report;
      report.kind = candidate.kind;
      report.description = candidate.backtest->description;
      report.parameters = candidate.backtest->parameters;
      report.accuracy = candidate.backtest->accuracy;
      report.analytic_interval = candidate.backtest->analytic_interval;
      report.interval_scales = candidate.calibration.width_scales;
      result.candidates.push_back(std::move(report));
    }
  }
  return result;
}

}  // namespace horizonscale::forecast

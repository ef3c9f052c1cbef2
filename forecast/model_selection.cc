#include "forecast/internal/model_selection.h"

#include <algorithm>
#include <memory>
#include <utility>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "forecast/accuracy.h"
#include "forecast/cancellation.h"
#include "forecast/empirical_interval.h"
#include "forecast/internal/models.h"
#include "forecast/interval_scaling.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {

bool UsesSeason(ModelKind kind) {
  return kind == ModelKind::kHoltWinters || kind == ModelKind::kSeasonal ||
         kind == ModelKind::kSeasonalNaive || kind == ModelKind::kEts ||
         kind == ModelKind::kTheta || kind == ModelKind::kArima || kind == ModelKind::kMstl ||
         kind == ModelKind::kCombination;
}

bool FitsRecentPast(std::optional<ModelKind> model) {
  return !model.has_value() || *model == ModelKind::kEts || *model == ModelKind::kTheta ||
         *model == ModelKind::kArima || *model == ModelKind::kMstl ||
         *model == ModelKind::kCombination;
}

std::vector<ModelKind> AutoCandidates(int period, size_t period_count) {
  std::vector<ModelKind> kinds;
  const bool long_period = period > kMaxEtsPeriodForAuto;
  for (ModelKind kind : kAutoModelKinds) {
    if (long_period && (kind == ModelKind::kEts || kind == ModelKind::kArima)) continue;
    kinds.push_back(kind);
  }
  if (period_count >= 2 || long_period) kinds.push_back(ModelKind::kMstl);
  return kinds;
}

absl::StatusOr<SelectionCandidate> BacktestCandidate(ModelKind kind, std::span<const double> values,
                                                     const ModelOptions& options,
                                                     const BacktestPlan& plan, double level,
                                                     bool keep_going) {
  SelectionCandidate candidate{kind, std::nullopt, {}, ""};
  const int n = static_cast<int>(values.size());
  const int needed = MinimumLength(kind, options);
  if (plan.test_length < 2 || n - plan.test_length < needed) {
    candidate.skipped =
        absl::StrCat(ModelName(kind), " needs ", needed + std::max(plan.test_length, 2),
                     " points to be backtested, got ", n);
    return candidate;
  }
  absl::StatusOr<BacktestResult> backtest = Backtest(
      kind, values, options,
      {plan.horizon, plan.test_length, level, plan.origin_stride, plan.empirical_origin_stride});
  if (!backtest.ok()) {
    if (!keep_going || backtest.status().code() == absl::StatusCode::kCancelled) {
      return backtest.status();
    }
    candidate.skipped = absl::StrCat(ModelName(kind), ": ", backtest.status().message());
    return candidate;
  }
  candidate.backtest = std::move(*backtest);
  return candidate;
}

void Calibrate(SelectionCandidate& candidate, std::span<const double> values, double level) {
  if (!candidate.backtest.has_value()) return;
  candidate.calibration = CalibrateBacktest(*candidate.backtest, values, level);
  candidate.backtest->accuracy.interval_coverage = candidate.calibration.held_out_coverage;
}

std::optional<SelectionCandidate> CombinationCandidate(
    const std::vector<SelectionCandidate>& candidates, std::span<const double> values,
    const ModelOptions& options, const BacktestPlan& plan) {
  std::vector<const BacktestResult*> members;
  std::vector<std::string> names;
  for (const SelectionCandidate& candidate : candidates) {
    const bool member = candidate.kind == ModelKind::kEts || candidate.kind == ModelKind::kTheta ||
                        candidate.kind == ModelKind::kArima;
    // Members share the origins (all three have analytic intervals).
    if (member && candidate.backtest.has_value() &&
        (members.empty() || candidate.backtest->origins == members.front()->origins)) {
      members.push_back(&*candidate.backtest);
      names.push_back(candidate.backtest->description);
    }
  }
  if (members.size() < 2) return std::nullopt;
  const int train = static_cast<int>(values.size()) - plan.test_length;
  SelectionCandidate combination{ModelKind::kCombination, std::nullopt, {}, ""};
  combination.backtest =
      CombineBacktests(members, values, MaseScale(values.first(train), options.seasonal_period));
  combination.backtest->description = absl::StrCat("Mean of ", absl::StrJoin(names, ", "));
  return combination;
}

ModelReport ReportOf(const FittedModel& model, const SelectionCandidate& candidate) {
  ModelReport report;
  report.kind = model.kind();
  report.description = model.description();
  report.parameters = model.parameters();
  report.analytic_interval = model.analytic_interval();
  if (candidate.backtest.has_value()) report.accuracy = candidate.backtest->accuracy;
  if (report.analytic_interval) report.interval_scales = candidate.calibration.width_scales;
  return report;
}

ModelChoice ChoiceOf(std::shared_ptr<const FittedModel> model, const SelectionCandidate& candidate,
                     const ForecastRequest& request) {
  ModelChoice choice;
  choice.horizon = request.horizon;
  choice.level = request.level;
  choice.requested_seasonal_period = request.seasonal_period;
  if (model->analytic_interval()) {
    choice.width_scales = candidate.calibration.width_scales;
  } else {
    choice.empirical_intervals =
        EmpiricalIntervals(candidate.backtest->errors, request.horizon, request.level);
  }
  choice.report = ReportOf(*model, candidate);
  choice.model = std::move(model);
  return choice;
}

std::vector<ForecastValue> PredictWithInterval(const FittedModel& model, const ModelChoice& choice,
                                               int horizon, double level) {
  std::vector<ForecastValue> points = model.Predict(horizon, level);
  if (model.analytic_interval()) {
    ScaleIntervals(choice.width_scales, points);
    return points;
  }
  for (size_t k = 0; k < points.size() && k < choice.empirical_intervals.size(); ++k) {
    const auto [low, high] = choice.empirical_intervals[k];
    points[k].lower = points[k].value + low;
    points[k].upper = points[k].value + high;
  }
  return points;
}

std::string CalibrationNote(const SelectionCandidate& candidate) {
  const std::vector<double>& scales = candidate.calibration.width_scales;
  if (scales.empty() || !candidate.backtest.has_value()) return "";
  const bool carried = scales.size() < candidate.backtest->errors.size();
  return absl::StrFormat(
      "; interval calibrated on the backtest: width x%.2f (1 step) to x%.2f (%d steps%s), "
      "%.0f%% of held-out points covered",
      scales.front(), scales.back(), static_cast<int>(scales.size()), carried ? " and on" : "",
      100 * candidate.calibration.held_out_coverage);
}

// FinalModel keeps the backtest's model on a series of at least this many
// values: its parameters, estimated on the training part (the first 80 % or
// more), with its state updated through the held-out values, as a deployed
// model between refits. The parameters hardly change, and a refit would
// cost as much as the backtest's fit.
constexpr int kKeepTrainedModelFrom = 1000;

absl::StatusOr<std::shared_ptr<const FittedModel>> FinalModel(const SelectionCandidate& chosen,
                                                              std::span<const double> values,
                                                              const ModelOptions& options) {
  const FittedModel* trained =
      chosen.backtest.has_value() ? chosen.backtest->extended_to_end.get() : nullptr;
  if (trained != nullptr && static_cast<int>(values.size()) >= kKeepTrainedModelFrom) {
    return chosen.backtest->extended_to_end;
  }
  // The backtest's model refitted to the whole series, keeping what is
  // costly to search again (the ARIMA orders; see FittedModel::Refit).
  absl::StatusOr<std::unique_ptr<FittedModel>> fitted =
      trained != nullptr ? trained->Refit(values, options) : FitModel(chosen.kind, values, options);
  if (!fitted.ok()) return fitted.status();
  return std::shared_ptr<const FittedModel>(std::move(*fitted));
}

absl::StatusOr<ForecastResult> FitUnbacktested(std::span<const double> values,
                                               const ModelOptions& options,
                                               const std::vector<SelectionCandidate>& candidates,
                                               const ForecastRequest& request,
                                               ForecastResult result) {
  const size_t n = values.size();
  std::string why;
  if (n < 2) {
    return InsufficientHistoryError(
        absl::StrCat("the series (", n, " point) is too short for any model: 2 are needed"));
  }
  for (const SelectionCandidate& candidate : candidates)
    absl::StrAppend(&why, "; ", candidate.skipped);
  ModelOptions naive = options;
  naive.seasonal_period = 0;
  const std::pair<ModelKind, const ModelOptions*> fallbacks[] = {
      {ModelKind::kEts, &options},
      {ModelKind::kTheta, &options},
      {ModelKind::kSeasonalNaive, &options},
      {ModelKind::kSeasonalNaive, &naive}};
  for (const auto& [kind, kind_options] : fallbacks) {
    absl::StatusOr<std::unique_ptr<FittedModel>> model = FitModel(kind, values, *kind_options);
    if (!model.ok()) {
      if (model.status().code() == absl::StatusCode::kCancelled) return model.status();
      continue;
    }
    if (!(*model)->analytic_interval()) continue;
    result.points = (*model)->Predict(request.horizon, request.level);
    result.model = ReportOf(**model, SelectionCandidate{kind, std::nullopt, {}, ""});
    result.selection_reason =
        absl::StrCat("auto: ", (*model)->description(), " fitted without a backtest, the series (",
                     n, " points) being too short to backtest any model", why);
    return result;
  }
  return InsufficientHistoryError(
      absl::StrCat("the series (", n, " points) is too short for any model", why));
}

}  // namespace horizonscale::forecast

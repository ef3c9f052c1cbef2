#include "forecast/engine.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "forecast/internal/backtest.h"
#include "forecast/internal/backtest_calibration.h"
#include "forecast/internal/models.h"
#include "forecast/internal/seasonality.h"
#include "forecast/interval_scaling.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

// Whether `kind` uses a seasonal period (and so, unrequested, has one
// detected).
bool UsesSeason(ModelKind kind) {
  return kind == ModelKind::kHoltWinters || kind == ModelKind::kSeasonal ||
         kind == ModelKind::kSeasonalNaive || kind == ModelKind::kEts ||
         kind == ModelKind::kTheta || kind == ModelKind::kArima || kind == ModelKind::kMstl ||
         kind == ModelKind::kCombination;
}

// Whether fits of `model` (nullopt: `auto`) see only the recent past
// (RecentFitLength).
bool FitsRecentPast(std::optional<ModelKind> model) {
  return !model.has_value() || *model == ModelKind::kEts || *model == ModelKind::kTheta ||
         *model == ModelKind::kArima || *model == ModelKind::kMstl ||
         *model == ModelKind::kCombination;
}

// The candidates `auto` backtests for a seasonal `period` (< 2: none) and
// `period_count` periods (MSTL's several), in a fixed order. The
// combination is not among them: it is built from its members' backtests.
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

// EstimateWork once the longest possible seasonal period is known (< 2: none).
WorkEstimate EstimateWorkWithPeriod(std::optional<ModelKind> model, int horizon, int64_t period,
                                    size_t period_count, int64_t length) {
  WorkEstimate estimate;
  std::vector<ModelKind> kinds;
  if (model.has_value()) {
    kinds.push_back(*model);
  } else {
    kinds = AutoCandidates(static_cast<int>(std::min<int64_t>(period, 1 << 30)), period_count);
  }
  estimate.fit_length = FitsRecentPast(model) ? RecentFitLength(length, period) : length;
  estimate.models = static_cast<int>(kinds.size());
  for (ModelKind kind : kinds) estimate.fit_units_per_value += 2 * FitUnitsPerValue(kind);
  const int n = static_cast<int>(std::min<int64_t>(estimate.fit_length, 1 << 30));
  const BacktestPlan plan = PlanBacktest(n, horizon);
  estimate.backtest_horizon = plan.horizon;
  // At most: the models without analytic intervals use more origins.
  const int64_t origins =
      plan.test_length == 0
          ? 0
          : (plan.test_length + plan.empirical_origin_stride - 1) / plan.empirical_origin_stride;
  estimate.backtest_points = origins * plan.horizon;
  // The seasonal decomposition model refits its trend line on a window of up
  // to kMaxTrendWindow values (two seasons at least) at each origin.
  const bool decomposition =
      period >= 2 && std::find(kinds.begin(), kinds.end(), ModelKind::kSeasonal) != kinds.end();
  if (decomposition) {
    const int64_t window = std::min(
        length, std::max(std::min<int64_t>(internal::kMaxTrendWindow, length / 2), 2 * period));
    estimate.trend_refit_units = origins * window;
  }
  const double units =
      static_cast<double>(estimate.fit_length) * static_cast<double>(estimate.fit_units_per_value) +
      static_cast<double>(estimate.models) *
          static_cast<double>(estimate.backtest_points + estimate.fit_length) +
      static_cast<double>(estimate.trend_refit_units);
  estimate.units =
      units >= 9.2e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(units);
  return estimate;
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
  IntervalCalibration calibration;  // of the backtest
  std::string skipped;              // why there is no backtest
};

// Backtests `kind` on `values` with `plan` and calibrates its intervals.
// Errors other than CANCELLED become the candidate's `skipped` note when
// `keep_going` (automatic selection); otherwise they are returned.
absl::StatusOr<Candidate> BacktestCandidate(ModelKind kind, std::span<const double> values,
                                            const ModelOptions& options, const BacktestPlan& plan,
                                            double level, bool keep_going) {
  Candidate candidate{kind, std::nullopt, {}, ""};
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
  candidate.calibration = CalibrateBacktest(*backtest, values, level);
  backtest->accuracy.interval_coverage = candidate.calibration.held_out_coverage;
  candidate.backtest = std::move(*backtest);
  return candidate;
}

// The combination's candidate, from the backtests of its members among
// `candidates` (at least two needed); nullopt without them.
std::optional<Candidate> CombinationCandidate(const std::vector<Candidate>& candidates,
                                              std::span<const double> values,
                                              const ModelOptions& options, const BacktestPlan& plan,
                                              double level) {
  std::vector<const BacktestResult*> members;
  std::vector<std::string> names;
  for (const Candidate& candidate : candidates) {
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
  Candidate combination{ModelKind::kCombination, std::nullopt, {}, ""};
  combination.backtest =
      CombineBacktests(members, values, MaseScale(values.first(train), options.seasonal_period));
  combination.backtest->description = absl::StrCat("Mean of ", absl::StrJoin(names, ", "));
  combination.calibration = CalibrateBacktest(*combination.backtest, values, level);
  combination.backtest->accuracy.interval_coverage = combination.calibration.held_out_coverage;
  return combination;
}

ModelReport ReportOf(const FittedModel& model, const Candidate& candidate) {
  ModelReport report;
  report.kind = model.kind();
  report.description = model.description();
  report.parameters = model.parameters();
  report.analytic_interval = model.analytic_interval();
  if (candidate.backtest.has_value()) report.accuracy = candidate.backtest->accuracy;
  if (report.analytic_interval) report.interval_scales = candidate.calibration.width_scales;
  return report;
}

// The model's forecast with its interval: analytic (calibrated when the
// candidate's backtest allowed it), or from backtest errors.
std::vector<ForecastValue> Predict(const FittedModel& model, const Candidate& candidate,
                                   int horizon, double level) {
  std::vector<ForecastValue> points = model.Predict(horizon, level);
  if (model.analytic_interval()) {
    ScaleIntervals(candidate.calibration.width_scales, points);
    return points;
  }
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

// What the calibration did, for selection_reason ("" when nothing).
std::string CalibrationNote(const Candidate& candidate) {
  const std::vector<double>& scales = candidate.calibration.width_scales;
  if (scales.empty() || !candidate.backtest.has_value()) return "";
  const bool carried = scales.size() < candidate.backtest->errors.size();
  return absl::StrFormat(
      "; interval calibrated on the backtest: width x%.2f (1 step) to x%.2f (%d steps%s), "
      "%.0f%% of held-out points covered",
      scales.front(), scales.back(), static_cast<int>(scales.size()), carried ? " and on" : "",
      100 * candidate.calibration.held_out_coverage);
}

// The chosen candidate's model at the end of `values`: refitted on all of
// them, or, on a series of at least kKeepTrainedModelFrom values, the
// backtest's model (parameters estimated on its training part, the first
// 80 % or more) with its state updated through the held-out values, as a
// deployed model between refits: the parameters hardly change, and the
// refit would cost as much as the backtest's fit.
constexpr int kKeepTrainedModelFrom = 1000;
absl::StatusOr<std::shared_ptr<const FittedModel>> FinalModel(const Candidate& chosen,
                                                              std::span<const double> values,
                                                              const ModelOptions& options) {
  if (chosen.backtest.has_value() && chosen.backtest->extended_to_end != nullptr &&
      static_cast<int>(values.size()) >= kKeepTrainedModelFrom) {
    return chosen.backtest->extended_to_end;
  }
  absl::StatusOr<std::unique_ptr<FittedModel>> fitted = FitModel(chosen.kind, values, options);
  if (!fitted.ok()) return fitted.status();
  return std::shared_ptr<const FittedModel>(std::move(*fitted));
}

// `auto` on a series too short to backtest any of `candidates`: the first
// of ETS, Theta, seasonal naive and naive that fits all of `values`, with
// its own (uncalibrated) interval and no accuracy. INSUFFICIENT_HISTORY,
// saying what each needs, when none fits; CANCELLED when a fit was.
absl::StatusOr<ForecastResult> FitUnbacktested(std::span<const double> values,
                                               const ModelOptions& options,
                                               const std::vector<Candidate>& candidates,
                                               const ForecastRequest& request,
                                               ForecastResult result) {
  const size_t n = values.size();
  std::string why;
  if (n < 2) {
    return InsufficientHistoryError(
        absl::StrCat("the series (", n, " point) is too short for any model: 2 are needed"));
  }
  for (const Candidate& candidate : candidates) absl::StrAppend(&why, "; ", candidate.skipped);
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
    result.model = ReportOf(**model, Candidate{kind, std::nullopt, {}, ""});
    result.selection_reason =
        absl::StrCat("auto: ", (*model)->description(), " fitted without a backtest, the series (",
                     n, " points) being too short to backtest any model", why);
    return result;
  }
  return InsufficientHistoryError(
      absl::StrCat("the series (", n, " points) is too short for any model", why));
}

}  // namespace

int64_t FitUnitsPerValue(ModelKind kind) {
  switch (kind) {
    case ModelKind::kSeasonalNaive:
    case ModelKind::kXgboost:  // refused before any work
      return 1;
    case ModelKind::kLinear:
      return 2;
    case ModelKind::kTheta:
      return 20;
    case ModelKind::kSeasonal:
      return 17;
    case ModelKind::kEwma:
      return 20;
    case ModelKind::kProphet:
      return 800;
    case ModelKind::kHolt:
      return 60;
    case ModelKind::kMstl:
      return 100;
    case ModelKind::kHoltWinters:
      return 200;
    case ModelKind::kEts:
      return 600;
    case ModelKind::kArima:
      return 400;
    case ModelKind::kCombination:
      return FitUnitsPerValue(ModelKind::kEts) + FitUnitsPerValue(ModelKind::kTheta) +
             FitUnitsPerValue(ModelKind::kArima);
  }
  return 1;
}

int64_t RecentFitLength(int64_t length, int64_t longest_period) {
  return std::min(length, std::max(kRecentFitValues, 4 * longest_period));
}

WorkEstimate EstimateWork(const ForecastRequest& request, int64_t length) {
  // The longest seasonal period the call can end up with (0: none).
  int64_t period = 0;
  if (request.seasonal_period.has_value()) {
    period = *request.seasonal_period;
  } else if (!request.model.has_value() || UsesSeason(*request.model)) {
    period = std::min<int64_t>(request.max_detected_period, length / 2);
  }
  for (int extra : request.options.seasonal_periods) period = std::max<int64_t>(period, extra);
  return EstimateWorkWithPeriod(request.model, request.horizon, period,
                                request.options.seasonal_periods.size(), length);
}

absl::StatusOr<ForecastResult> Forecast(const ForecastRequest& request) {
  if (absl::Status valid = Validate(request); !valid.ok()) return valid;
  const int n = static_cast<int>(request.values.size());
  if (IsCancelled(request.cancelled)) return CancelledStatus("start");

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
      FitsRecentPast(request.model)
          ? request.values.last(static_cast<size_t>(RecentFitLength(n, longest_period)))
          : request.values;
  if (request.model.has_value() && !request.score_analytic_models) {
    absl::StatusOr<std::unique_ptr<FittedModel>> model = FitModel(*request.model, values, options);
    if (!model.ok()) return model.status();
    if ((*model)->analytic_interval()) {
      result.points = (*model)->Predict(request.horizon, request.level);
      result.model = ReportOf(**model, Candidate{*request.model, std::nullopt, {}, ""});
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

  std::vector<Candidate> candidates;
  const std::vector<ModelKind> kinds =
      request.model.has_value()
          ? std::vector<ModelKind>{*request.model}
          : AutoCandidates(result.seasonal_period, result.seasonal_periods.size());
  for (ModelKind kind : kinds) {
    absl::StatusOr<Candidate> candidate =
        BacktestCandidate(kind, values, options, plan, request.level, !request.model.has_value());
    if (!candidate.ok()) return candidate.status();
    candidates.push_back(std::move(*candidate));
    // Calibrating a long backtest's intervals takes tens of ms.
    if (IsCancelled(request.cancelled)) return CancelledStatus("interval calibration");
  }
  if (!request.model.has_value()) {
    std::optional<Candidate> combination =
        CombinationCandidate(candidates, values, options, plan, request.level);
    if (combination.has_value()) candidates.push_back(std::move(*combination));
    if (IsCancelled(request.cancelled)) return CancelledStatus("the combination's backtest");
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
    if (chosen == nullptr) return FitUnbacktested(values, options, candidates, request, result);
    result.selection_reason = absl::StrCat(
        "auto: ", ModelName(chosen->kind), " had the lowest ", MetricName(request.selection_metric),
        " (", Figure(best), ") over ", origins, " rolling origins in the last ", plan.test_length,
        " points, 1-", plan.horizon, " steps ahead");
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
  if (fit_n < n) {
    absl::StrAppend(&result.selection_reason, "; fitted on the last ", fit_n, " of ", n, " points");
  }

  absl::StatusOr<std::shared_ptr<const FittedModel>> model = FinalModel(*chosen, values, options);
  if (!model.ok()) return model.status();
  if (IsCancelled(request.cancelled)) return CancelledStatus("the final fit");
  if (!chosen->backtest.has_value()) {
    if (!(*model)->analytic_interval()) {
      return InsufficientHistoryError(
          absl::StrCat("the ", ModelName(chosen->kind),
                       " model's interval comes from backtest errors, and ", chosen->skipped));
    }
    absl::StrAppend(&result.selection_reason, "; not backtested: ", chosen->skipped);
  }
  absl::StrAppend(&result.selection_reason, CalibrationNote(*chosen));
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
      report.interval_scales = candidate.calibration.width_scales;
      result.candidates.push_back(std::move(report));
    }
  }
  return result;
}

}  // namespace horizonscale::forecast

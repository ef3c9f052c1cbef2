#include "planner/planner.h"

#include <algorithm>
#include <cmath>

#include <absl/strings/str_format.h>

#include "forecast/engine.h"
#include "forecast/forecast.h"
#include "planner/anomaly.h"
#include "planner/arrival_series.h"
#include "planner/scheduler.h"
#include "planner/sizing.h"

namespace horizonscale::planner {
namespace {

std::string Clock(absl::Time time) { return absl::FormatTime("%H:%M", time, absl::UTCTimeZone()); }

// Forecast of the next `horizon` intervals from the bucketed series by the
// forecasting engine with the configured model. An EWMA (or `auto`) on fewer
// than 3 intervals cannot estimate its error spread; its spread then falls
// back to max(10 % of the level, sqrt(level / interval seconds)) — the
// sampling noise of a Poisson rate measured over one interval.
absl::StatusOr<std::vector<forecast::ForecastValue>> ForecastRates(const ArrivalSeries& series,
                                                                   int horizon,
                                                                   const PlannerConfig& config,
                                                                   std::string* model_used) {
  const bool ewma_like =
      !config.forecast_model.has_value() || config.forecast_model == forecast::ModelKind::kEwma;
  if (ewma_like && series.rates.size() < 3) {
    absl::StatusOr<forecast::EwmaFit> fit = forecast::FitEwma(series.rates, /*alpha=*/0);
    if (!fit.ok()) return fit.status();
    const double seconds = absl::ToDoubleSeconds(config.planning_interval);
    fit->residual_stddev =
        std::max(0.1 * fit->level, std::sqrt(std::max(0.0, fit->level) / seconds));
    *model_used = "EWMA (short history)";
    return forecast::PredictEwma(*fit, horizon, config.forecast_interval_level);
  }
  forecast::ForecastRequest request;
  request.values = series.rates;
  request.model = config.forecast_model;
  request.horizon = horizon;
  request.level = config.forecast_interval_level;
  request.score_analytic_models = false;  // the plan needs the forecast only
  if (config.seasonal_period > absl::ZeroDuration()) {
    request.seasonal_period = static_cast<int>(
        std::lround(absl::FDivDuration(config.seasonal_period, config.planning_interval)));
  }
  absl::StatusOr<forecast::ForecastResult> result = forecast::Forecast(request);
  if (!result.ok()) return result.status();
  *model_used = result->model.description;
  return std::move(result->points);
}

double ServiceConfidence(const QueueSample& current) {
  queueing::ServiceObservation observation;
  observation.mean_service_time = current.mean_service_time;
  observation.throughput = current.arrival_rate;  // in steady state, throughput ≈ λ
  if (current.utilization.has_value()) observation.utilization = *current.utilization;
  if (current.active_jobs > 0) observation.active_jobs = static_cast<double>(current.active_jobs);
  if (current.workers > 0) observation.workers = current.workers;
  absl::StatusOr<queueing::ServiceRateEstimate> estimate =
      queueing::EstimateServiceRate(observation);
  return estimate.ok() ? std::clamp(estimate->confidence, 0.0, 1.0) : 0.5;
}

std::string SloText(const Slo& slo) {
  std::string text;
  if (slo.p95_latency.has_value()) text = absl::StrFormat("P95 <= %.4gs", *slo.p95_latency);
  if (slo.max_backlog.has_value()) {
    if (!text.empty()) text += ", ";
    text += absl::StrFormat("backlog <= %d", *slo.max_backlog);
  }
  return text.empty() ? "stability" : text;
}

std::vector<Alternative> Alternatives(const Sizer& sizer, const std::vector<IntervalNeed>& needs,
                                      const std::vector<IntervalForecast>& forecast,
                                      const PlannerConfig& config) {
  double peak = 0, average = 0;
  for (const IntervalNeed& need : needs) peak = std::max(peak, need.demand);
  for (const IntervalForecast& point : forecast) average += point.rate;
  average /= std::max<size_t>(1, forecast.size());

  struct Option {
    Strategy strategy;
    double utilization;
    double demand;
    const char* what;
  };
  const Option options[] = {
      {Strategy::kConservative, 0.7, peak, "peak forecast demand at 70% utilization"},
      {Strategy::kBalanced, 0.8, peak, "peak forecast demand at 80% utilization"},
      {Strategy::kAggressive, 0.9, peak, "peak forecast demand at 90% utilization"},
      {Strategy::kAverageBased, config.scale_up_threshold, average * (1 + config.safety_margin),
       "average forecast demand (+ margin) at the scale-up threshold"},
  };
  std::vector<Alternative> alternatives;
  for (const Option& option : options) {
    const Requirement requirement = sizer.Required(option.demand, option.utilization);
    Alternative alternative;
    alternative.strategy = option.strategy;
    alternative.target_utilization = option.utilization;
    alternative.target_workers = requirement.workers;
    alternative.cost_per_hour = requirement.workers * config.worker_cost_per_hour;
    alternative.slo_achievable =
        requirement.achievable &&
        std::all_of(needs.begin(), needs.end(), [&](const IntervalNeed& need) {
          return sizer.MeetsSlo(need.demand, requirement.workers);
        });
    alternative.rationale = absl::StrFormat(
        "%d workers: %s (%.4g jobs/s)%s", requirement.workers, option.what, option.demand,
        alternative.slo_achievable ? "" : "; misses the SLO in some intervals");
    alternatives.push_back(std::move(alternative));
  }
  return alternatives;
}

RiskAssessment AssessRisk(const std::vector<IntervalNeed>& needs,
                          const std::vector<bool>& achievable, int current_workers,
                          const Sizer& sizer, const PlannerConfig& config) {
  RiskAssessment risk;
  for (size_t i = 0; i < needs.size(); ++i) {
    if (needs[i].up_workers > current_workers) ++risk.intervals_over_capacity;
    if (!achievable[i]) ++risk.critical_intervals;
    if (sizer.Utilization(needs[i].demand, current_workers) < config.scale_down_threshold) {
      ++risk.underutilized_intervals;
    }
  }
  const int total = static_cast<int>(needs.size());
  if (risk.critical_intervals > 0) {
    risk.level = RiskLevel::kCritical;
  } else if (risk.intervals_over_capacity * 2 > total) {
    risk.level = RiskLevel::kHigh;
  } else if (risk.intervals_over_capacity > 0) {
    risk.level = RiskLevel::kMedium;
  }
  risk.summary = absl::StrFormat(
      "of %d intervals: %d need more than the current %d workers, %d exceed what max_workers %d "
      "can serve, %d would be under-utilized",
      total, risk.intervals_over_capacity, current_workers, risk.critical_intervals,
      config.max_workers, risk.underutilized_intervals);
  return risk;
}

}  // namespace

absl::StatusOr<PlanResult> GeneratePlan(const PlanRequest& request) {
  const PlannerConfig& config = request.config;
  const QueueSample& current = request.current;
  const absl::Time now = current.time;
  if (config.planning_interval <= absl::ZeroDuration() ||
      config.forecast_window < config.planning_interval) {
    return absl::InvalidArgumentError("planning_interval must be > 0 and <= forecast_window");
  }
  PlanResult result;

  // 1. Arrival-rate series: stored and inline history plus the current sample.
  std::vector<QueueSample> samples = request.history;
  samples.push_back(current);
  const ArrivalSeries series =
      BuildArrivalSeries(samples, now, config.planning_interval, config.history_window);
  const ArrivalSeries prior =
      BuildArrivalSeries(request.history, now, config.planning_interval, config.history_window);

  // 2. Forecast the window.
  const int horizon = static_cast<int>(
      absl::Ceil(config.forecast_window, config.planning_interval) / config.planning_interval);
  std::string model_used;
  absl::StatusOr<std::vector<forecast::ForecastValue>> rates =
      ForecastRates(series, horizon, config, &model_used);
  if (!rates.ok()) return rates.status();
  double relative_width = 0;
  for (int i = 0; i < horizon; ++i) {
    const forecast::ForecastValue& value = (*rates)[i];
    IntervalForecast point;
    point.start = now + i * config.planning_interval;
    point.rate = std::max(0.0, value.value);
    point.lower = std::max(0.0, value.lower);
    point.upper = std::max(point.rate, value.upper);
    point.level = config.forecast_interval_level;
    relative_width += (point.upper - point.rate) / std::max(point.rate, 1e-9);
    result.forecast.push_back(point);
  }
  relative_width /= horizon;

  // 3. Anomaly: the current rate against recent history and its forecast.
  double expected_now = 0;
  if (!prior.rates.empty()) {
    absl::StatusOr<forecast::EwmaFit> fit = forecast::FitEwma(prior.rates, 0);
    if (fit.ok()) expected_now = fit->level;
  }
  result.anomaly = DetectAnomaly(prior.rates, current.arrival_rate, expected_now,
                                 config.anomaly_z_score_threshold, config.spike_multiplier);

  // 4. Size every interval on the upper bound plus the safety margin.
  const Sizer sizer(current, request.slo, config);
  const double down_target = (config.scale_up_threshold + config.scale_down_threshold) / 2;
  std::vector<IntervalNeed> needs;
  std::vector<bool> achievable;
  std::string unachievable;
  for (const IntervalForecast& point : result.forecast) {
    IntervalNeed need;
    need.start = point.start;
    need.demand = point.upper * (1 + config.safety_margin);
    const Requirement up = sizer.Required(need.demand, config.scale_up_threshold);
    need.up_workers = up.workers;
    need.down_workers = std::max(up.workers, sizer.Required(need.demand, down_target).workers);
    achievable.push_back(up.achievable);
    if (!up.achievable && unachievable.empty()) {
      unachievable = absl::StrFormat(
          "at %s the forecast demand %.4g jobs/s needs more than max_workers %d to meet %s (%s)",
          Clock(point.start), need.demand, config.max_workers, SloText(request.slo), up.reason);
    }
    needs.push_back(need);
  }
  std::vector<int> recent_down;
  const int stabilization_buckets =
      static_cast<int>(absl::Ceil(config.scale_down_stabilization, config.planning_interval) /
                       config.planning_interval);
  for (size_t k = prior.rates.size() > static_cast<size_t>(stabilization_buckets)
                      ? prior.rates.size() - stabilization_buckets
                      : 0;
       k < prior.rates.size(); ++k) {
    recent_down.push_back(
        sizer.Required(prior.rates[k] * (1 + config.safety_margin), down_target).workers);
  }

  // 5. Steps.
  const int current_workers =
      EffectiveCurrentWorkers(current.workers, request.last_action, now, config);
  ScheduleInput schedule;
  schedule.now = now;
  schedule.current_workers = current_workers;
  schedule.last_action = request.last_action;
  schedule.intervals = needs;
  schedule.recent_down_workers = recent_down;
  schedule.sizer = &sizer;
  Plan& plan = result.plan;
  plan.steps = ScheduleSteps(schedule, config);

  // 6. Confidence, cost, verdict.
  const double history_factor = 0.5 + 0.5 * std::min(1.0, series.observed_buckets / 12.0);
  const double forecast_factor = 1 / (1 + relative_width);
  const double anomaly_factor = result.anomaly.detected ? 0.5 : 1.0;
  plan.confidence = std::clamp(
      history_factor * forecast_factor * ServiceConfidence(current) * anomaly_factor, 0.0, 1.0);
  const double window_seconds = absl::ToDoubleSeconds(config.forecast_window);
  for (ScalingStep& step : plan.steps) {
    step.cost_per_hour = step.to_workers * config.worker_cost_per_hour;
    step.confidence = plan.confidence *
                      (1 - 0.3 * absl::ToDoubleSeconds(step.schedule_time - now) / window_seconds);
  }
  plan.generated_at = now;
  plan.current_workers = current.workers;
  plan.target_workers = plan.steps.empty() ? current_workers : plan.steps.back().to_workers;
  plan.cost.current_per_hour = current.workers * config.worker_cost_per_hour;
  plan.cost.projected_per_hour = plan.target_workers * config.worker_cost_per_hour;
  plan.cost.monthly_delta =
      (plan.cost.projected_per_hour - plan.cost.current_per_hour) * kHoursPerMonth;
  plan.slo_achievable = unachievable.empty();
  result.slo_unachievable_reason = unachievable;
  plan.valid_until = now + config.planning_interval;
  plan.auto_apply_recommended =
      plan.confidence >= config.confidence_threshold && !result.anomaly.detected;

  double peak = 0;
  for (const IntervalNeed& need : needs) peak = std::max(peak, need.demand);
  plan.rationale = absl::StrFormat(
      "%s forecast of the arrival rate over %s (%d history intervals, %.0f%% interval): peak "
      "demand %.4g jobs/s with %.0f%% margin; ",
      model_used, absl::FormatDuration(config.forecast_window), series.observed_buckets,
      config.forecast_interval_level * 100, peak, config.safety_margin * 100);
  if (plan.steps.empty()) {
    plan.rationale += absl::StrFormat("%d workers already meet %s; no change", current_workers,
                                      SloText(request.slo));
  } else {
    plan.rationale +=
        absl::StrFormat("%d step(s) from %d to %d workers to meet %s", plan.steps.size(),
                        current.workers, plan.target_workers, SloText(request.slo));
  }
  if (!unachievable.empty()) plan.rationale += "; SLO NOT achievable: " + unachievable;
  if (result.anomaly.detected) plan.rationale += "; anomaly: " + result.anomaly.description;

  result.alternatives = Alternatives(sizer, needs, result.forecast, config);
  result.risk = AssessRisk(needs, achievable, current_workers, sizer, config);
  return result;
}

std::optional<LastAction> ImmediateAction(const Plan& plan) {
  if (plan.steps.empty()) return std::nullopt;
  const ScalingStep& first = plan.steps.front();
  if (first.schedule_time > plan.generated_at || first.action == ScalingAction::kNoChange) {
    return std::nullopt;
  }
  return LastAction{first.action, first.schedule_time, first.to_workers};
}

}  // namespace horizonscale::planner

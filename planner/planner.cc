#include "planner/planner.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>

#include "forecast/engine.h"
#include "forecast/forecast.h"
#include "forecast/status_reason.h"
#include "planner/anomaly.h"
#include "planner/arrival_series.h"
#include "planner/availability.h"
#include "planner/backlog_drain.h"
#include "planner/plan_summary.h"
#include "planner/scheduler.h"
#include "planner/sizing.h"

namespace horizonscale::planner {
namespace {

std::string Clock(absl::Time time) { return absl::FormatTime("%H:%M", time, absl::UTCTimeZone()); }

// The forecast of the arrival rate and how it was made.
struct RateForecast {
  std::vector<forecast::ForecastValue> values;
  std::string model_used;
  std::shared_ptr<const forecast::ModelChoice> choice;  // automatic selection only
  bool choice_reused = false;
};

// Forecast of the next `horizon` intervals from the bucketed series by the
// forecasting engine with the configured model (automatic selection
// reusing `reuse` when given). An EWMA (or `auto`) on fewer
// than 3 intervals cannot estimate its error spread; its spread then falls
// back to max(10 % of the level, sqrt(level / interval seconds)) — the
// sampling noise of a Poisson rate measured over one interval.
absl::StatusOr<RateForecast> ForecastRates(const ArrivalSeries& series, int horizon,
                                           const PlannerConfig& config,
                                           std::shared_ptr<const forecast::ModelChoice> reuse,
                                           const forecast::CancelCheck& cancelled = {}) {
  const bool ewma_like =
      !config.forecast_model.has_value() || config.forecast_model == forecast::ModelKind::kEwma;
  if (ewma_like && series.rates.size() < 3) {
    absl::StatusOr<forecast::EwmaFit> fit = forecast::FitEwma(series.rates, /*alpha=*/0);
    if (!fit.ok()) return fit.status();
    const double seconds = absl::ToDoubleSeconds(config.planning_interval);
    fit->residual_stddev =
        std::max(0.1 * fit->level, std::sqrt(std::max(0.0, fit->level) / seconds));
    return RateForecast{forecast::PredictEwma(*fit, horizon, config.forecast_interval_level),
                        "EWMA (short history)", nullptr, false};
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
  if (!config.forecast_model.has_value()) request.reuse = std::move(reuse);
  request.cancelled = cancelled;
  absl::StatusOr<forecast::ForecastResult> result = forecast::Forecast(request);
  if (!result.ok()) return result.status();
  return RateForecast{std::move(result->points), std::move(result->model.description),
                      std::move(result->choice), result->choice_reused};
}

// Whether the pool is saturated now: busy all the time (utilization >=
// 0.98), offered more than it can serve (λ s >= workers), or with a backlog
// that grew since the previous sample.
bool Saturated(const QueueSample& current, const std::vector<QueueSample>& history) {
  if (current.utilization.has_value() && *current.utilization >= 0.98) return true;
  if (current.workers > 0 && current.arrival_rate * current.mean_service_time >= current.workers) {
    return true;
  }
  const QueueSample* previous = nullptr;
  for (const QueueSample& sample : history) {
    if (sample.time < current.time && (previous == nullptr || sample.time > previous->time)) {
      previous = &sample;
    }
  }
  return previous != nullptr && current.backlog > 0 && current.backlog > previous->backlog;
}

// Confidence in the service rate. In steady state the pool completes what
// arrives, so λ stands in for the throughput of the utilization and Little
// estimators; a saturated pool completes only c/s jobs per second, and λ
// would inflate both estimates (and their disagreement with the reported
// mean would halve the plan's confidence when it matters most). Then the
// reported mean service time is used alone.
double ServiceConfidence(const QueueSample& current, bool saturated) {
  queueing::ServiceObservation observation;
  observation.mean_service_time = current.mean_service_time;
  if (saturated) {
    absl::StatusOr<queueing::ServiceRateEstimate> direct =
        queueing::EstimateServiceRate(observation);
    return direct.ok() ? std::clamp(direct->confidence, 0.0, 1.0) : 0.5;
  }
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
  const double budget = slo.error_budget.value_or(kDefaultErrorBudget);
  const std::string percentile =
      budget == kDefaultErrorBudget ? "P95" : absl::StrFormat("P%.6g", (1 - budget) * 100);
  if (slo.p95_latency.has_value()) {
    text = absl::StrFormat("%s <= %.4gs", percentile, *slo.p95_latency);
  }
  if (slo.max_backlog.has_value()) {
    if (!text.empty()) text += ", ";
    text += absl::StrFormat("backlog <= %d", *slo.max_backlog);
  }
  return text.empty() ? "stability" : text;
}

// Spare workers for the SLO's availability, remembered per worker count.
class SpareCounter {
 public:
  SpareCounter(const Slo& slo, const PlannerConfig& config) : slo_(slo), config_(config) {}

  // `required` plus its spares, capped at max_workers; when the cap cuts
  // spares off, capped_reason() says so (for the first such count).
  int WithSpares(int required) {
    if (!slo_.availability.has_value() || required <= 0) return required;
    auto [it, inserted] = spares_.try_emplace(required, 0);
    if (inserted) {
      const int room = std::max(0, config_.max_workers - required);
      const std::optional<int> spares =
          SpareWorkers(required, config_.worker_availability, *slo_.availability, room);
      if (!spares.has_value() && capped_reason_.empty()) {
        const std::optional<int> needed =
            SpareWorkers(required, config_.worker_availability, *slo_.availability,
                         std::max(0, queueing::kMaxWorkers - required));
        capped_reason_ = absl::StrFormat(
            "availability %.6g with each worker up %.6g needs %s spare workers beside the %d "
            "the load needs, more than max_workers %d allows",
            *slo_.availability, config_.worker_availability,
            needed.has_value() ? absl::StrCat(*needed) : "too many", required, config_.max_workers);
      }
      it->second = spares.value_or(room);
    }
    return required + it->second;
  }

  // The spares inside `workers`: workers − the largest b with WithSpares(b)
  // <= workers.
  int SparesIn(int workers) {
    if (!slo_.availability.has_value()) return 0;
    for (int base = workers; base > 0; --base) {
      if (WithSpares(base) <= workers) return workers - base;
    }
    return 0;
  }

  const std::string& capped_reason() const { return capped_reason_; }

 private:
  const Slo& slo_;
  const PlannerConfig& config_;
  std::map<int, int> spares_;
  std::string capped_reason_;
};

// Per interval, the workers minimising worker cost + violation cost × the
// probability of missing the SLO at the point forecast.
Alternative CostOptimalAlternative(const Sizer& sizer, const std::vector<IntervalNeed>& needs,
                                   const std::vector<IntervalForecast>& forecast,
                                   const PlannerConfig& config) {
  Alternative alternative;
  alternative.strategy = Strategy::kCostOptimal;
  alternative.slo_achievable = true;
  double expected = 0, miss = 0;
  for (size_t i = 0; i < forecast.size(); ++i) {
    const queueing::CostOptimum optimum = sizer.CostOptimal(
        forecast[i].rate, config.worker_cost_per_hour, config.violation_cost_per_hour);
    alternative.interval_workers.push_back(optimum.workers);
    alternative.target_workers = std::max(alternative.target_workers, optimum.workers);
    expected += optimum.expected_cost_per_hour;
    miss += optimum.miss_probability;
    if (i < needs.size() && !sizer.MeetsSlo(needs[i].demand, optimum.workers)) {
      alternative.slo_achievable = false;
    }
  }
  const double count = static_cast<double>(std::max<size_t>(1, forecast.size()));
  alternative.expected_cost_per_hour = expected / count;
  alternative.cost_per_hour = alternative.target_workers * config.worker_cost_per_hour;
  alternative.rationale = absl::StrFormat(
      "up to %d workers: per interval, the count minimising worker cost (%.4g/h each) + "
      "violation cost (%.4g/h) x the probability of missing the SLO at the forecast rate "
      "(mean %.3g); expected %.4g/h",
      alternative.target_workers, config.worker_cost_per_hour, config.violation_cost_per_hour,
      miss / count, alternative.expected_cost_per_hour);
  return alternative;
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
    double expected = 0;
    for (const IntervalForecast& point : forecast) {
      expected +=
          requirement.workers * config.worker_cost_per_hour +
          config.violation_cost_per_hour * sizer.MissProbability(point.rate, requirement.workers);
    }
    alternative.expected_cost_per_hour = expected / std::max<size_t>(1, forecast.size());
    alternatives.push_back(std::move(alternative));
  }
  alternatives.push_back(CostOptimalAlternative(sizer, needs, forecast, config));
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

// INVALID_ARGUMENT unless 0 < planning_interval <= forecast_window.
absl::Status CheckIntervals(const PlannerConfig& config) {
  if (config.planning_interval <= absl::ZeroDuration() ||
      config.forecast_window < config.planning_interval) {
    return absl::InvalidArgumentError("planning_interval must be > 0 and <= forecast_window");
  }
  return absl::OkStatus();
}

// The stored and inline history plus the current sample.
std::vector<QueueSample> SamplesOf(const PlanRequest& request) {
  std::vector<QueueSample> samples = request.history;
  samples.push_back(request.current);
  return samples;
}

// The arrival-rate series of `samples` (SamplesOf `request`).
ArrivalSeries SeriesOf(const PlanRequest& request, const std::vector<QueueSample>& samples) {
  return BuildArrivalSeries(samples, request.current.time, request.config.planning_interval,
                            request.config.history_window);
}

// Planning intervals in the forecast window.
int HorizonOf(const PlannerConfig& config) {
  return static_cast<int>(absl::Ceil(config.forecast_window, config.planning_interval) /
                          config.planning_interval);
}

}  // namespace

absl::StatusOr<std::shared_ptr<const forecast::ModelChoice>> SelectForecastModel(
    const PlanRequest& request, const forecast::CancelCheck& cancelled) {
  if (absl::Status valid = CheckIntervals(request.config); !valid.ok()) return valid;
  PlannerConfig config = request.config;
  config.forecast_model = std::nullopt;
  absl::StatusOr<RateForecast> rates = ForecastRates(SeriesOf(request, SamplesOf(request)),
                                                     HorizonOf(config), config, nullptr, cancelled);
  if (!rates.ok()) return rates.status();
  return rates->choice;
}

absl::StatusOr<PlanResult> GeneratePlan(const PlanRequest& request) {
  const PlannerConfig& config = request.config;
  const QueueSample& current = request.current;
  const absl::Time now = current.time;
  if (absl::Status valid = CheckIntervals(config); !valid.ok()) return valid;
  PlanResult result;

  // 1. Arrival-rate series: stored and inline history plus the current sample.
  const std::vector<QueueSample> samples = SamplesOf(request);
  const ArrivalSeries series = SeriesOf(request, samples);
  const ArrivalSeries prior =
      BuildArrivalSeries(request.history, now, config.planning_interval, config.history_window);

  // 2. Forecast the window.
  const int horizon = HorizonOf(config);
  absl::StatusOr<RateForecast> rates =
      ForecastRates(series, horizon, config, request.forecast_choice);
  if (!rates.ok()) return rates.status();
  const std::string& model_used = rates->model_used;
  result.forecast_choice = rates->choice;
  result.forecast_choice_reused = rates->choice_reused;
  double relative_width = 0;
  for (int i = 0; i < horizon; ++i) {
    const forecast::ForecastValue& value = rates->values[i];
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

  // 4. Size every interval on the upper bound plus the safety margin, plus
  //    the drain rate of a backlog while it drains, plus the spares an
  //    availability target needs.
  const Sizer sizer(current, request.slo, config);
  SpareCounter spares(request.slo, config);
  const double service_time = current.mean_service_time;
  const double backlog_target = static_cast<double>(request.slo.max_backlog.value_or(0));
  const absl::Duration drain_deadline = request.slo.drain_time.value_or(config.forecast_window);
  const DrainNeed drain =
      PlanDrain(static_cast<double>(current.backlog), backlog_target, drain_deadline,
                config.provisioning_lead_time, result.forecast.front().rate, current.workers,
                service_time, now);
  const double down_target = (config.scale_up_threshold + config.scale_down_threshold) / 2;
  std::vector<IntervalNeed> needs;
  std::vector<bool> achievable;
  std::string unachievable;
  int drain_workers_needed = 0;  // most workers the drain asked for
  for (const IntervalForecast& point : result.forecast) {
    IntervalNeed need;
    need.start = point.start;
    need.demand = point.upper * (1 + config.safety_margin);
    const Requirement up = sizer.Required(need.demand, config.scale_up_threshold);
    int up_workers = up.workers;
    int down_workers = std::max(up.workers, sizer.Required(need.demand, down_target).workers);
    if (drain.extra_rate > 0 && point.start < drain.until) {
      // Capacity for the demand plus the drain rate, every worker busy.
      const double drain_workers =
          std::ceil((need.demand + drain.extra_rate) * service_time - 1e-9);
      drain_workers_needed = static_cast<int>(std::max<double>(
          drain_workers_needed, std::min<double>(drain_workers, queueing::kMaxWorkers)));
      const int capped = static_cast<int>(std::min<double>(drain_workers, config.max_workers));
      up_workers = std::max(up_workers, capped);
      down_workers = std::max(down_workers, capped);
    }
    need.up_workers = std::min(config.max_workers, spares.WithSpares(up_workers));
    need.down_workers =
        std::max(need.up_workers, std::min(config.max_workers, spares.WithSpares(down_workers)));
    achievable.push_back(up.achievable);
    if (!up.achievable && unachievable.empty()) {
      unachievable = absl::StrFormat(
          "at %s the forecast demand %.4g jobs/s needs more than max_workers %d to meet %s (%s)",
          Clock(point.start), need.demand, config.max_workers, SloText(request.slo), up.reason);
    }
    needs.push_back(need);
  }
  // Spares cut off by max_workers in the forecast window (not in the
  // history sized below for stabilization).
  const std::string spares_short = spares.capped_reason();
  std::vector<int> recent_down;
  const int stabilization_buckets =
      static_cast<int>(absl::Ceil(config.scale_down_stabilization, config.planning_interval) /
                       config.planning_interval);
  for (size_t k = prior.rates.size() > static_cast<size_t>(stabilization_buckets)
                      ? prior.rates.size() - stabilization_buckets
                      : 0;
       k < prior.rates.size(); ++k) {
    recent_down.push_back(spares.WithSpares(
        sizer.Required(prior.rates[k] * (1 + config.safety_margin), down_target).workers));
  }

  // 5. Steps.
  const int current_workers =
      EffectiveCurrentWorkers(current.workers, request.last_action, now, config);
  ScheduleInput schedule_input;
  schedule_input.now = now;
  schedule_input.current_workers = current_workers;
  schedule_input.last_action = request.last_action;
  schedule_input.intervals = needs;
  schedule_input.recent_down_workers = recent_down;
  schedule_input.sizer = &sizer;
  Schedule schedule = ScheduleSteps(schedule_input, config);
  Plan& plan = result.plan;
  plan.steps = std::move(schedule.steps);

  // 6. The backlog under the plan (fluid projection).
  const BacklogProjection projection =
      ProjectBacklog(static_cast<double>(current.backlog), backlog_target, result.forecast,
                     config.planning_interval, current.workers,
                     ServingWorkers(current.workers, request.last_action, plan.steps, now,
                                    config.provisioning_lead_time),
                     service_time, now);
  result.intervals = projection.intervals;
  const bool drain_capped = drain_workers_needed > config.max_workers;
  if (current.backlog > 0) {
    DrainProjection projected;
    projected.backlog = current.backlog;
    projected.target = static_cast<int64_t>(backlog_target);
    projected.deadline = drain_deadline;
    projected.extra_rate = drain.extra_rate;
    projected.drain_time = projection.time_to_target;
    plan.drain = projected;
    const bool late =
        !projection.time_to_target.has_value() || *projection.time_to_target > drain_deadline;
    if (late) {
      std::string why = absl::StrFormat(
          "the backlog of %d jobs is projected to be down to max_backlog %.0f %s, after "
          "drain_time %s",
          current.backlog, backlog_target,
          projection.time_to_target.has_value()
              ? "in " +
                    absl::FormatDuration(absl::Trunc(*projection.time_to_target, absl::Seconds(1)))
              : "not within the forecast window",
          absl::FormatDuration(drain_deadline));
      if (!drain.infeasible_reason.empty()) {
        why += ": " + drain.infeasible_reason;
      } else if (drain_capped) {
        why += absl::StrFormat(": draining in time needs %d workers, more than max_workers %d",
                               drain_workers_needed, config.max_workers);
      } else {
        why += absl::StrFormat(
            ": the ramp is limited to %d workers per step, one step per cooldown of %s",
            config.max_step_size, absl::FormatDuration(config.cooldown_period));
      }
      if (unachievable.empty()) unachievable = why;
    }
  }

  // 7. Confidence, cost, verdict.
  const bool saturated = Saturated(current, request.history);
  const double history_factor = 0.5 + 0.5 * std::min(1.0, series.observed_buckets / 12.0);
  const double forecast_factor = 1 / (1 + relative_width);
  const double anomaly_factor = result.anomaly.detected ? 0.5 : 1.0;
  plan.confidence = std::clamp(
      history_factor * forecast_factor * ServiceConfidence(current, saturated) * anomaly_factor,
      0.0, 1.0);
  const double window_seconds = absl::ToDoubleSeconds(config.forecast_window);
  for (ScalingStep& step : plan.steps) {
    step.cost_per_hour = step.to_workers * config.worker_cost_per_hour;
    step.confidence = plan.confidence *
                      (1 - 0.3 * absl::ToDoubleSeconds(step.schedule_time - now) / window_seconds);
  }
  plan.generated_at = now;
  plan.current_workers = current.workers;
  plan.target_workers = plan.steps.empty() ? current_workers : plan.steps.back().to_workers;
  plan.spare_workers = spares.SparesIn(plan.target_workers);
  plan.cost.current_per_hour = current.workers * config.worker_cost_per_hour;
  plan.cost.projected_per_hour = plan.target_workers * config.worker_cost_per_hour;
  plan.cost.monthly_delta =
      (plan.cost.projected_per_hour - plan.cost.current_per_hour) * kHoursPerMonth;
  if (unachievable.empty()) unachievable = spares_short;
  plan.slo_achievable = unachievable.empty();
  result.slo_unachievable_reason = unachievable;
  plan.valid_until = now + config.planning_interval;
  plan.auto_apply_recommended =
      plan.confidence >= config.confidence_threshold && !result.anomaly.detected;

  // 8. What a person reads first.
  std::vector<double> point_rates, demands, utilizations;
  std::vector<absl::Time> starts;
  for (const IntervalForecast& point : result.forecast) point_rates.push_back(point.rate);
  for (const IntervalNeed& need : needs) {
    demands.push_back(need.demand);
    starts.push_back(need.start);
  }
  for (const IntervalProjection& interval : result.intervals) {
    utilizations.push_back(interval.utilization);
  }
  plan.arrival_rate = RangeOf(point_rates);
  plan.planned_utilization = RangeOf(utilizations);
  plan.peak_intervals = PeakIntervals(starts, demands, 3);
  plan.hourly_pattern = HourlyPattern(samples, now - config.history_window);
  plan.capacity_change_percent = CapacityChangePercent(current.workers, plan.target_workers);
  const bool misses_now =
      !sizer.MeetsSlo(current.arrival_rate, current.workers) || drain.extra_rate > 0;
  plan.urgency = ClassifyUrgency(plan, misses_now);
  const bool capacity_capped =
      std::find(achievable.begin(), achievable.end(), false) != achievable.end() || drain_capped ||
      !spares_short.empty();
  if (capacity_capped) {
    plan.warnings.push_back(
        {std::string(reason::kCapacityLimitExceeded),
         absl::StrFormat("the plan is capped at max_workers %d: %s", config.max_workers,
                         !unachievable.empty() ? unachievable : "the load needs more workers")});
  }
  if (!schedule.cooldown_delay.empty()) {
    plan.warnings.push_back({std::string(reason::kCooldownActive), schedule.cooldown_delay});
  }
  if (result.anomaly.detected) {
    plan.warnings.push_back({std::string(reason::kAnomalyDetected), result.anomaly.description});
  }

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
  if (drain.extra_rate > 0) {
    plan.rationale += absl::StrFormat(
        "; backlog %d jobs: %.4g jobs/s of extra capacity until %s to bring it to %.0f by "
        "drain_time %s",
        current.backlog, drain.extra_rate, Clock(drain.until), backlog_target,
        absl::FormatDuration(drain_deadline));
  }
  if (plan.spare_workers > 0) {
    plan.rationale += absl::StrFormat(
        "; %d of the %d workers are spares for availability %.6g (each worker up %.6g)",
        plan.spare_workers, plan.target_workers, *request.slo.availability,
        config.worker_availability);
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

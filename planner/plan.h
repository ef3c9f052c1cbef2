// The planner's vocabulary: what goes in (metrics, SLO, config, the queue's
// scaling state) and what comes out (a plan with steps, alternatives, risk,
// anomaly). Plain values; times are absl::Time, spans absl::Duration, rates
// jobs per second, costs in the caller's currency.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <absl/time/time.h>

#include "forecast/engine.h"
#include "forecast/model.h"
#include "queueing/queueing.h"

namespace horizonscale::planner {

// Metrics of a queue at one instant.
struct QueueSample {
  absl::Time time;
  double arrival_rate = 0;       // λ
  double mean_service_time = 0;  // seconds, > 0
  std::optional<double> service_time_p95;
  std::optional<double> service_time_stddev;
  int workers = 0;
  std::optional<double> utilization;  // [0, 1]
  int64_t backlog = 0;
  int64_t active_jobs = 0;
};

// What the pool must achieve; the domain form of horizonscale.v1.Slo.
struct Slo {
  // Latency target on the response time (wait + service), seconds.
  std::optional<double> p95_latency;
  // Jobs waiting, at most (a steady-state target, and where a backlog must
  // be drained to).
  std::optional<int64_t> max_backlog;
  // Share of jobs allowed over p95_latency and of time over max_backlog, in
  // (0, 1). Unset: 0.05 (the targets are 95th percentiles).
  std::optional<double> error_budget;
  // Time by which the current backlog must be down to max_backlog (0 when
  // unset). Unset: the forecast window.
  std::optional<absl::Duration> drain_time;
  // Probability, in (0, 1), that at least the workers the load needs are up
  // at once, given PlannerConfig::worker_availability. Unset: no spares.
  std::optional<double> availability;
};

// The error budget the sizing uses when the SLO sets none.
inline constexpr double kDefaultErrorBudget = 0.05;

// Planner settings; the defaults are the documented API defaults. Each field
// is the domain form of the horizonscale.v1.PlannerConfig field of the same
// name (proto/horizonscale/v1/plan.proto), whose comment is the reference
// for its meaning; the server (server/planner/plan_request.h) enforces the ranges
// below before the planner sees a config. Unit, range, default:
struct PlannerConfig {
  // How far ahead the plan looks; at most 1,440 planning intervals. Default
  // 60 minutes.
  absl::Duration forecast_window = absl::Minutes(60);
  // The arrival-rate model; nullopt: chosen per call by backtest (auto).
  // Default EWMA.
  std::optional<forecast::ModelKind> forecast_model = forecast::ModelKind::kEwma;
  // Seasonal period of the arrival rate; zero: detected (auto and seasonal
  // models only). Rounded to whole planning intervals. Default zero.
  absl::Duration seasonal_period = absl::ZeroDuration();
  // History (stored and inline) used. Default 24 hours.
  absl::Duration history_window = absl::Hours(24);
  // Extra capacity over the forecast's upper bound, a fraction in [0, 10].
  // Default 0.15.
  double safety_margin = 0.15;
  // Plan confidence in [0, 1] at or above which automatic application is
  // recommended. Default 0.85.
  double confidence_threshold = 0.85;
  // Largest worker change of one step, >= 1. Default 15.
  int max_step_size = 15;
  // Least time between two scaling actions. Default 5 minutes.
  absl::Duration cooldown_period = absl::Minutes(5);
  // Worker bounds, 0 <= min_workers <= max_workers. Defaults 1 and 100.
  int min_workers = 1;
  int max_workers = 100;
  // Costs per hour of one worker and of SLO violation, in the caller's
  // currency. Defaults 0.50 and 100.0.
  double worker_cost_per_hour = 0.50;
  double violation_cost_per_hour = 100.0;
  // Utilization (fractions) above which the pool scales up, in (0, 1], and
  // below which it may scale down (< scale_up_threshold). Defaults 0.80 and
  // 0.60.
  double scale_up_threshold = 0.80;
  double scale_down_threshold = 0.60;
  // z-score (> 0) of the current arrival rate beyond which the plan is
  // flagged anomalous. Default 3.0.
  double anomaly_z_score_threshold = 3.0;
  // Multiple (> 1) of the forecast above which the current rate is a spike.
  // Default 2.0.
  double spike_multiplier = 2.0;
  // Queueing model used for sizing (kMMc or kMM1; never kMMcK). Default kMMc.
  queueing::Model queueing_model = queueing::Model::kMMc;
  // Use the service-time stddev (M/G/c); the proto's service_time_model
  // GENERAL. Default false (exponential).
  bool general_service_time = false;
  // Time a new worker needs before serving; scale-ups are scheduled this
  // much earlier. Default 60 seconds.
  absl::Duration provisioning_lead_time = absl::Seconds(60);
  // Scale-downs wait until the lower requirement has held this long.
  // Default 5 minutes.
  absl::Duration scale_down_stabilization = absl::Minutes(5);
  // Length of one planning interval. Default 5 minutes.
  absl::Duration planning_interval = absl::Minutes(5);
  // Nominal coverage, in (0, 1), of the forecast interval whose upper bound
  // is sized for. Default 0.90.
  double forecast_interval_level = 0.90;
  // Probability, in (0, 1], that one worker is up at a random instant (node
  // failures, evictions, restarts); sizes the spares an SLO availability
  // asks for. Default 0.99.
  double worker_availability = 0.99;
};

enum class ScalingAction { kScaleUp, kScaleDown, kNoChange };

// The last scaling action taken on the queue (persisted between calls).
struct LastAction {
  ScalingAction action = ScalingAction::kNoChange;
  absl::Time time;
  int workers = 0;  // workers the action scaled to
};

struct ScalingStep {
  int sequence = 0;
  absl::Time schedule_time;
  ScalingAction action = ScalingAction::kNoChange;
  int from_workers = 0;
  int to_workers = 0;
  std::string rationale;
  double cost_per_hour = 0;
  double confidence = 0;
  absl::Time cooldown_until;
};

struct CostImpact {
  double current_per_hour = 0;
  double projected_per_hour = 0;
  double monthly_delta = 0;  // (projected − current) × 730
};

// How urgent acting on a plan is (rule in planner.h).
enum class Urgency { kLow, kMedium, kHigh, kCritical };

// A machine-readable remark on a plan: `reason` is one of the error
// vocabulary's reasons (forecast/status_reason.h), `message` says it for a
// person.
struct PlanWarning {
  std::string reason;
  std::string message;
};

// The current backlog and how the plan drains it (fluid projection, see
// planner.h).
struct DrainProjection {
  int64_t backlog = 0;      // jobs waiting now
  int64_t target = 0;       // max_backlog (0 when unset)
  absl::Duration deadline;  // the SLO's drain_time (or the forecast window)
  double extra_rate = 0;    // jobs/s sized on top of arrivals while draining
  // Time from now until the projected backlog is down to `target`; nullopt
  // when it is not within the forecast window.
  std::optional<absl::Duration> drain_time;
};

// Minimum, mean and maximum of a quantity over the forecast window.
struct Range {
  double min = 0;
  double mean = 0;
  double max = 0;
};

// The planned pool over one planning interval (fluid projection).
struct IntervalProjection {
  absl::Time start;
  double arrival_rate = 0;  // the point forecast, jobs/s
  int workers = 0;          // workers serving (by the plan's steps) at the start
  double utilization = 0;   // arrival_rate × service time / workers (may exceed 1)
  double backlog_end = 0;   // projected jobs waiting at the end of the interval
};

// Mean arrival rate by hour of day (UTC) over the history.
struct HourlyRate {
  int hour = 0;  // 0..23
  double mean_rate = 0;
  int samples = 0;
};

struct Plan {
  absl::Time generated_at;
  int current_workers = 0;
  int target_workers = 0;
  // Workers of target_workers held as spares for worker failures (0 unless
  // the SLO sets an availability).
  int spare_workers = 0;
  std::vector<ScalingStep> steps;
  double confidence = 0;
  CostImpact cost;
  bool slo_achievable = true;
  std::string rationale;
  absl::Time valid_until;
  bool auto_apply_recommended = false;
  Urgency urgency = Urgency::kLow;
  // (target − current) / max(current, 1) × 100.
  double capacity_change_percent = 0;
  Range arrival_rate;         // point forecast over the window, jobs/s
  Range planned_utilization;  // at the planned workers over the window
  // Starts of the intervals with the highest forecast demand (at most 3,
  // highest first).
  std::vector<absl::Time> peak_intervals;
  // Empty unless the history covers at least a day.
  std::vector<HourlyRate> hourly_pattern;
  std::optional<DrainProjection> drain;  // set when there is a backlog now
  std::vector<PlanWarning> warnings;
};

enum class Strategy { kConservative, kBalanced, kAggressive, kAverageBased, kCostOptimal };

struct Alternative {
  Strategy strategy = Strategy::kBalanced;
  double target_utilization = 0;  // 0 for kCostOptimal (it sizes by cost)
  int target_workers = 0;
  double cost_per_hour = 0;  // worker cost at target_workers
  bool slo_achievable = false;
  std::string rationale;
  // Mean over the window of worker cost + violation_cost_per_hour × the
  // probability of missing the SLO, per hour, at the strategy's workers in
  // each interval (target_workers, or interval_workers for kCostOptimal).
  double expected_cost_per_hour = 0;
  // kCostOptimal only: its worker count per planning interval.
  std::vector<int> interval_workers;
};

enum class RiskLevel { kLow, kMedium, kHigh, kCritical };

struct RiskAssessment {
  int intervals_over_capacity = 0;
  int critical_intervals = 0;
  int underutilized_intervals = 0;
  RiskLevel level = RiskLevel::kLow;
  std::string summary;
};

struct AnomalyReport {
  bool detected = false;
  double z_score = 0;
  double spike_ratio = 0;
  std::string description;
};

// One planning interval of the forecast window.
struct IntervalForecast {
  absl::Time start;
  double rate = 0;  // forecast arrival rate, jobs/s
  double lower = 0;
  double upper = 0;
  double level = 0;  // nominal coverage of [lower, upper]
};

// Everything GeneratePlan answers.
struct PlanResult {
  Plan plan;
  std::vector<IntervalProjection> intervals;
  std::vector<Alternative> alternatives;
  RiskAssessment risk;
  AnomalyReport anomaly;
  std::vector<IntervalForecast> forecast;
  std::string slo_unachievable_reason;  // empty when achievable
  // With an automatically selected forecast model: the selection, for
  // PlanRequest::forecast_choice on this queue's next plans, and whether the
  // request's was reused (false: a new selection).
  std::shared_ptr<const forecast::ModelChoice> forecast_choice;
  bool forecast_choice_reused = false;
};

// What the planner is asked.
struct PlanRequest {
  QueueSample current;
  std::vector<QueueSample> history;  // any order; samples outside the history window are ignored
  Slo slo;
  PlannerConfig config;
  std::optional<LastAction> last_action;
  // With forecast_model unset (automatic selection): an earlier plan's
  // PlanResult::forecast_choice for this queue. Its model is refitted to
  // the arrival series and forecasts without a new tournament
  // (forecast::ForecastRequest::reuse); null, or a choice made for another
  // forecast window, interval or level, runs the selection.
  std::shared_ptr<const forecast::ModelChoice> forecast_choice;
};

}  // namespace horizonscale::planner

// The planner's vocabulary: what goes in (metrics, SLO, config, the queue's
// scaling state) and what comes out (a plan with steps, alternatives, risk,
// anomaly). Plain values; times are absl::Time, spans absl::Duration, rates
// jobs per second, costs in the caller's currency.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <absl/time/time.h>

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

struct Slo {
  std::optional<double> p95_latency;   // seconds
  std::optional<int64_t> max_backlog;  // jobs waiting
};

// Planner settings; the defaults are the documented API defaults.
struct PlannerConfig {
  absl::Duration forecast_window = absl::Minutes(60);
  // The arrival-rate model; nullopt: chosen per call by backtest (auto).
  std::optional<forecast::ModelKind> forecast_model = forecast::ModelKind::kEwma;
  // Seasonal period of the arrival rate; zero: detected (auto and seasonal
  // models only). Rounded to whole planning intervals.
  absl::Duration seasonal_period = absl::ZeroDuration();
  absl::Duration history_window = absl::Hours(24);
  double safety_margin = 0.15;
  double confidence_threshold = 0.85;
  int max_step_size = 15;
  absl::Duration cooldown_period = absl::Minutes(5);
  int min_workers = 1;
  int max_workers = 100;
  double worker_cost_per_hour = 0.50;
  double violation_cost_per_hour = 100.0;
  double scale_up_threshold = 0.80;
  double scale_down_threshold = 0.60;
  double anomaly_z_score_threshold = 3.0;
  double spike_multiplier = 2.0;
  queueing::Model queueing_model = queueing::Model::kMMc;
  bool general_service_time = false;  // use the service-time stddev (M/G/c)
  absl::Duration provisioning_lead_time = absl::Seconds(60);
  absl::Duration scale_down_stabilization = absl::Minutes(5);
  absl::Duration planning_interval = absl::Minutes(5);
  double forecast_interval_level = 0.90;
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

struct Plan {
  absl::Time generated_at;
  int current_workers = 0;
  int target_workers = 0;
  std::vector<ScalingStep> steps;
  double confidence = 0;
  CostImpact cost;
  bool slo_achievable = true;
  std::string rationale;
  absl::Time valid_until;
  bool auto_apply_recommended = false;
};

enum class Strategy { kConservative, kBalanced, kAggressive, kAverageBased };

struct Alternative {
  Strategy strategy = Strategy::kBalanced;
  double target_utilization = 0;
  int target_workers = 0;
  double cost_per_hour = 0;
  bool slo_achievable = false;
  std::string rationale;
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
  std::vector<Alternative> alternatives;
  RiskAssessment risk;
  AnomalyReport anomaly;
  std::vector<IntervalForecast> forecast;
  std::string slo_unachievable_reason;  // empty when achievable
};

// What the planner is asked.
struct PlanRequest {
  QueueSample current;
  std::vector<QueueSample> history;  // any order; samples outside the history window are ignored
  Slo slo;
  PlannerConfig config;
  std::optional<LastAction> last_action;
};

}  // namespace horizonscale::planner

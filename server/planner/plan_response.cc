#include "server/planner/plan_response.h"

#include "server/common/proto_time.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

v1::PlanStrategy ToProto(planner::Strategy strategy) {
  switch (strategy) {
    case planner::Strategy::kConservative:
      return v1::PLAN_STRATEGY_CONSERVATIVE;
    case planner::Strategy::kBalanced:
      return v1::PLAN_STRATEGY_BALANCED;
    case planner::Strategy::kAggressive:
      return v1::PLAN_STRATEGY_AGGRESSIVE;
    case planner::Strategy::kAverageBased:
      return v1::PLAN_STRATEGY_AVERAGE_BASED;
    case planner::Strategy::kCostOptimal:
      return v1::PLAN_STRATEGY_COST_OPTIMAL;
  }
  return v1::PLAN_STRATEGY_UNSPECIFIED;
}

v1::RiskLevel ToProto(planner::RiskLevel level) {
  switch (level) {
    case planner::RiskLevel::kLow:
      return v1::RISK_LEVEL_LOW;
    case planner::RiskLevel::kMedium:
      return v1::RISK_LEVEL_MEDIUM;
    case planner::RiskLevel::kHigh:
      return v1::RISK_LEVEL_HIGH;
    case planner::RiskLevel::kCritical:
      return v1::RISK_LEVEL_CRITICAL;
  }
  return v1::RISK_LEVEL_UNSPECIFIED;
}

v1::PlanUrgency ToProto(planner::Urgency urgency) {
  switch (urgency) {
    case planner::Urgency::kLow:
      return v1::PLAN_URGENCY_LOW;
    case planner::Urgency::kMedium:
      return v1::PLAN_URGENCY_MEDIUM;
    case planner::Urgency::kHigh:
      return v1::PLAN_URGENCY_HIGH;
    case planner::Urgency::kCritical:
      return v1::PLAN_URGENCY_CRITICAL;
  }
  return v1::PLAN_URGENCY_UNSPECIFIED;
}

void ToProto(const planner::Range& in, v1::ValueRange& out) {
  out.set_min(in.min);
  out.set_mean(in.mean);
  out.set_max(in.max);
}

// The at-a-glance fields of the plan.
void FillSummary(const planner::PlanResult& result, v1::CapacityPlan& out) {
  const planner::Plan& plan = result.plan;
  out.set_spare_workers(plan.spare_workers);
  out.set_urgency(ToProto(plan.urgency));
  out.set_capacity_change_percent(plan.capacity_change_percent);
  ToProto(plan.arrival_rate, *out.mutable_arrival_rate());
  ToProto(plan.planned_utilization, *out.mutable_planned_utilization());
  for (absl::Time peak : plan.peak_intervals)
    *out.add_peak_interval_times() = ToProtoTimestamp(peak);
  for (const planner::HourlyRate& in : plan.hourly_pattern) {
    v1::HourlyRate* hour = out.add_hourly_pattern();
    hour->set_hour(in.hour);
    hour->set_mean_arrival_rate_per_second(in.mean_rate);
    hour->set_samples(in.samples);
  }
  if (plan.drain.has_value()) {
    v1::BacklogDrain* drain = out.mutable_backlog_drain();
    drain->set_backlog(plan.drain->backlog);
    drain->set_target(plan.drain->target);
    *drain->mutable_deadline() = ToProtoDuration(plan.drain->deadline);
    drain->set_extra_rate_per_second(plan.drain->extra_rate);
    if (plan.drain->drain_time.has_value()) {
      *drain->mutable_projected_drain_time() = ToProtoDuration(*plan.drain->drain_time);
    }
    drain->set_drains_in_time(plan.drain->drain_time.has_value() &&
                              *plan.drain->drain_time <= plan.drain->deadline);
  }
  for (const planner::PlanWarning& in : plan.warnings) {
    v1::PlanWarning* warning = out.add_warnings();
    warning->set_reason(in.reason);
    warning->set_message(in.message);
  }
  for (const planner::IntervalProjection& in : result.intervals) {
    v1::PlanInterval* interval = out.add_intervals();
    *interval->mutable_start_time() = ToProtoTimestamp(in.start);
    interval->set_arrival_rate_per_second(in.arrival_rate);
    interval->set_workers(in.workers);
    interval->set_utilization(in.utilization);
    interval->set_backlog_at_end(in.backlog_end);
  }
}

void FillPlan(const planner::PlanResult& result, const PlanIdentity& identity,
              const planner::PlannerConfig& config, v1::CapacityPlan& out) {
  const planner::Plan& plan = result.plan;
  out.set_plan_id(identity.plan_id);
  *out.mutable_generate_time() = ToProtoTimestamp(plan.generated_at);
  out.set_queue(identity.queue);
  out.set_current_workers(plan.current_workers);
  out.set_target_workers(plan.target_workers);
  out.set_worker_delta(plan.target_workers - plan.current_workers);
  if (plan.steps.empty()) {
    v1::ScalingStep* step = out.add_steps();
    step->set_sequence(1);
    *step->mutable_schedule_time() = ToProtoTimestamp(plan.generated_at);
    step->set_action(v1::SCALING_ACTION_NO_CHANGE);
    step->set_from_workers(plan.target_workers);
    step->set_to_workers(plan.target_workers);
    step->set_rationale(plan.rationale);
    step->set_estimated_cost_per_hour(plan.target_workers * config.worker_cost_per_hour);
    step->set_confidence(plan.confidence);
    *step->mutable_cooldown_until_time() = ToProtoTimestamp(plan.generated_at);
  }
  for (const planner::ScalingStep& in : plan.steps) {
    v1::ScalingStep* step = out.add_steps();
    step->set_sequence(in.sequence);
    *step->mutable_schedule_time() = ToProtoTimestamp(in.schedule_time);
    step->set_action(ToProtoAction(in.action));
    step->set_from_workers(in.from_workers);
    step->set_to_workers(in.to_workers);
    step->set_delta(in.to_workers - in.from_workers);
    step->set_rationale(in.rationale);
    step->set_estimated_cost_per_hour(in.cost_per_hour);
    step->set_confidence(in.confidence);
    *step->mutable_cooldown_until_time() = ToProtoTimestamp(in.cooldown_until);
  }
  out.set_confidence(plan.confidence);
  out.mutable_cost_impact()->set_current_cost_per_hour(plan.cost.current_per_hour);
  out.mutable_cost_impact()->set_projected_cost_per_hour(plan.cost.projected_per_hour);
  out.mutable_cost_impact()->set_monthly_cost_delta(plan.cost.monthly_delta);
  out.set_slo_achievable(plan.slo_achievable);
  out.set_rationale(plan.rationale);
  *out.mutable_forecast_window() = ToProtoDuration(config.forecast_window);
  out.set_safety_margin(config.safety_margin);
  *out.mutable_valid_until_time() = ToProtoTimestamp(plan.valid_until);
  out.set_request_id(identity.request_id);
  out.set_auto_apply_recommended(plan.auto_apply_recommended);
  FillSummary(result, out);
}

}  // namespace

v1::ScalingAction ToProtoAction(planner::ScalingAction action) {
  switch (action) {
    case planner::ScalingAction::kScaleUp:
      return v1::SCALING_ACTION_SCALE_UP;
    case planner::ScalingAction::kScaleDown:
      return v1::SCALING_ACTION_SCALE_DOWN;
    case planner::ScalingAction::kNoChange:
      return v1::SCALING_ACTION_NO_CHANGE;
  }
  return v1::SCALING_ACTION_UNSPECIFIED;
}

v1::GeneratePlanResponse ToGeneratePlanResponse(const planner::PlanResult& result,
                                                const PlanIdentity& identity,
                                                const planner::PlannerConfig& config) {
  v1::GeneratePlanResponse response;
  FillPlan(result, identity, config, *response.mutable_plan());
  for (const planner::Alternative& in : result.alternatives) {
    v1::PlanAlternative* alternative = response.add_alternatives();
    alternative->set_strategy(ToProto(in.strategy));
    alternative->set_target_utilization(in.target_utilization);
    alternative->set_target_workers(in.target_workers);
    alternative->set_cost_per_hour(in.cost_per_hour);
    alternative->set_slo_achievable(in.slo_achievable);
    alternative->set_rationale(in.rationale);
    alternative->set_expected_cost_per_hour(in.expected_cost_per_hour);
    for (int workers : in.interval_workers) alternative->add_interval_workers(workers);
  }
  v1::RiskAssessment* risk = response.mutable_risk();
  risk->set_intervals_over_capacity(result.risk.intervals_over_capacity);
  risk->set_critical_intervals(result.risk.critical_intervals);
  risk->set_underutilized_intervals(result.risk.underutilized_intervals);
  risk->set_level(ToProto(result.risk.level));
  risk->set_summary(result.risk.summary);
  v1::AnomalyReport* anomaly = response.mutable_anomaly();
  anomaly->set_detected(result.anomaly.detected);
  anomaly->set_z_score(result.anomaly.z_score);
  anomaly->set_spike_ratio(result.anomaly.spike_ratio);
  anomaly->set_description(result.anomaly.description);
  for (const planner::IntervalForecast& in : result.forecast) {
    v1::ForecastPoint* point = response.add_arrival_forecast();
    *point->mutable_time() = ToProtoTimestamp(in.start);
    point->set_value(in.rate);
    point->set_lower(in.lower);
    point->set_upper(in.upper);
    point->set_confidence_level(in.level);
  }
  return response;
}

}  // namespace horizonscale::server

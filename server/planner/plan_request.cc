#include "server/planner/plan_request.h"

#include <absl/strings/str_cat.h>

#include "queueing/queueing.h"
#include "server/common/field_checks.h"
#include "server/common/forecast_model.h"
#include "server/common/proto_time.h"
#include "server/planner/queue_checks.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

// Metrics may be stamped a little ahead of the server clock (clock skew).
constexpr absl::Duration kMaxClockSkew = absl::Minutes(5);

// Reads an optional Duration field into `out` after checking it.
void ReadDuration(bool present, const google::protobuf::Duration& value, const std::string& field,
                  absl::Duration min, absl::Duration max, FieldChecks& checks,
                  absl::Duration& out) {
  if (!present) return;
  checks.Duration(field, value, min, max, reason::kConfigInvalid);
  if (IsValidDuration(value)) out = ToAbslDuration(value);
}

}  // namespace

void ReadPlannerConfig(const v1::PlannerConfig& in, FieldChecks& checks,
                       planner::PlannerConfig& out) {
  const auto reason = reason::kConfigInvalid;
  ReadDuration(in.has_forecast_window(), in.forecast_window(), "config.forecast_window",
               absl::Minutes(1), absl::Hours(24 * 7), checks, out.forecast_window);
  ReadDuration(in.has_history_window(), in.history_window(), "config.history_window",
               absl::Minutes(1), absl::Hours(24 * 35), checks, out.history_window);
  ReadDuration(in.has_cooldown_period(), in.cooldown_period(), "config.cooldown_period",
               absl::ZeroDuration(), absl::Hours(24), checks, out.cooldown_period);
  ReadDuration(in.has_provisioning_lead_time(), in.provisioning_lead_time(),
               "config.provisioning_lead_time", absl::ZeroDuration(), absl::Hours(24), checks,
               out.provisioning_lead_time);
  ReadDuration(in.has_scale_down_stabilization(), in.scale_down_stabilization(),
               "config.scale_down_stabilization", absl::ZeroDuration(), absl::Hours(24), checks,
               out.scale_down_stabilization);
  ReadDuration(in.has_planning_interval(), in.planning_interval(), "config.planning_interval",
               absl::Seconds(1), absl::Hours(24), checks, out.planning_interval);
  ReadDuration(in.has_seasonal_period(), in.seasonal_period(), "config.seasonal_period",
               absl::ZeroDuration(), absl::Hours(24 * 366), checks, out.seasonal_period);
  if (out.forecast_window / out.planning_interval > 1440) {
    checks.Fail("config.planning_interval",
                absl::StrCat("divides the forecast window into more than 1440 intervals (",
                             absl::FormatDuration(out.forecast_window), " / ",
                             absl::FormatDuration(out.planning_interval), ")"),
                reason);
  } else if (out.planning_interval > out.forecast_window) {
    checks.Fail("config.planning_interval", "must not exceed config.forecast_window", reason);
  }

  auto number = [&](bool present, double value, const char* field, double min, double max,
                    bool min_open, bool max_open, double& target) {
    if (!present) return;
    checks.Number(absl::StrCat("config.", field), value, min, max, reason, min_open, max_open);
    target = value;
  };
  number(in.has_safety_margin(), in.safety_margin(), "safety_margin", 0, 10, false, false,
         out.safety_margin);
  number(in.has_confidence_threshold(), in.confidence_threshold(), "confidence_threshold", 0, 1,
         false, false, out.confidence_threshold);
  number(in.has_worker_cost_per_hour(), in.worker_cost_per_hour(), "worker_cost_per_hour", 0, 1e9,
         false, false, out.worker_cost_per_hour);
  number(in.has_violation_cost_per_hour(), in.violation_cost_per_hour(), "violation_cost_per_hour",
         0, 1e12, false, false, out.violation_cost_per_hour);
  number(in.has_scale_up_threshold(), in.scale_up_threshold(), "scale_up_threshold", 0, 1, true,
         false, out.scale_up_threshold);
  number(in.has_scale_down_threshold(), in.scale_down_threshold(), "scale_down_threshold", 0, 1,
         false, true, out.scale_down_threshold);
  number(in.has_anomaly_z_score_threshold(), in.anomaly_z_score_threshold(),
         "anomaly_z_score_threshold", 0, 1e6, true, false, out.anomaly_z_score_threshold);
  number(in.has_spike_multiplier(), in.spike_multiplier(), "spike_multiplier", 1, 1e6, true, false,
         out.spike_multiplier);
  number(in.has_forecast_interval_level(), in.forecast_interval_level(), "forecast_interval_level",
         0, 1, true, true, out.forecast_interval_level);
  number(in.has_worker_availability(), in.worker_availability(), "worker_availability", 0, 1, true,
         false, out.worker_availability);
  if (out.scale_down_threshold >= out.scale_up_threshold) {
    checks.Fail("config.scale_down_threshold",
                absl::StrCat("must be below config.scale_up_threshold (", out.scale_down_threshold,
                             " >= ", out.scale_up_threshold, ")"),
                reason);
  }

  if (in.has_max_step_size()) {
    checks.Integer("config.max_step_size", in.max_step_size(), 1, queueing::kMaxWorkers, reason);
    out.max_step_size = in.max_step_size();
  }
  if (in.has_min_workers()) {
    checks.Integer("config.min_workers", in.min_workers(), 0, queueing::kMaxWorkers, reason);
    out.min_workers = in.min_workers();
  }
  if (in.has_max_workers()) {
    checks.Integer("config.max_workers", in.max_workers(), 1, queueing::kMaxWorkers, reason);
    out.max_workers = in.max_workers();
  }
  if (out.min_workers > out.max_workers) {
    checks.Fail("config.min_workers",
                absl::StrCat("must not exceed config.max_workers (", out.min_workers, " > ",
                             out.max_workers, ")"),
                reason);
  }

  if (in.forecast_model() == v1::FORECAST_MODEL_UNSPECIFIED) {
    out.forecast_model = forecast::ModelKind::kEwma;
  } else if (!ToModelKind(in.forecast_model(), out.forecast_model)) {
    const bool fleet = in.forecast_model() == v1::FORECAST_MODEL_PROPHET ||
                       in.forecast_model() == v1::FORECAST_MODEL_XGBOOST;
    checks.Fail(
        "config.forecast_model",
        fleet ? absl::StrCat(v1::ForecastModel_Name(in.forecast_model()),
                             " is a fleet tournament model; plans use the smoothing "
                             "family, LINEAR, SEASONAL, SEASONAL_NAIVE or AUTO")
              : absl::StrCat("unknown forecast model ", static_cast<int>(in.forecast_model())),
        reason::kModelNotSupported);
  }
  const bool general = in.service_time_model() == v1::SERVICE_TIME_MODEL_GENERAL;
  switch (in.queueing_model()) {
    case v1::QUEUEING_MODEL_UNSPECIFIED:
    case v1::QUEUEING_MODEL_MMC:
      out.queueing_model = general ? queueing::Model::kMGc : queueing::Model::kMMc;
      out.general_service_time = general;
      break;
    case v1::QUEUEING_MODEL_MGC:
      out.queueing_model = queueing::Model::kMGc;
      out.general_service_time = true;
      break;
    case v1::QUEUEING_MODEL_MM1:
      out.queueing_model = queueing::Model::kMM1;
      if (general) {
        checks.Fail("config.service_time_model",
                    "QUEUEING_MODEL_MM1 assumes exponential service; use QUEUEING_MODEL_MGC for "
                    "general service times",
                    reason);
      }
      break;
    default:
      checks.Fail("config.queueing_model",
                  absl::StrCat(v1::QueueingModel_Name(in.queueing_model()),
                               " cannot size a plan (it needs a system capacity); use MM1, MMC "
                               "or MGC"),
                  reason::kModelNotSupported);
  }
}

planner::Slo ToSlo(const v1::Slo& slo) {
  planner::Slo out;
  if (slo.has_p95_latency_seconds()) out.p95_latency = slo.p95_latency_seconds();
  if (slo.has_max_backlog()) out.max_backlog = slo.max_backlog();
  if (slo.has_error_budget()) out.error_budget = slo.error_budget();
  if (slo.has_drain_time()) out.drain_time = ToAbslDuration(slo.drain_time());
  if (slo.has_availability()) out.availability = slo.availability();
  return out;
}

planner::QueueSample ToQueueSample(const v1::QueueMetrics& metrics, absl::Time default_time) {
  planner::QueueSample sample;
  sample.time = metrics.has_observe_time() ? ToAbslTime(metrics.observe_time()) : default_time;
  sample.arrival_rate = metrics.arrival_rate_per_second();
  sample.mean_service_time = metrics.mean_service_time_seconds();
  if (metrics.has_service_time_p95_seconds()) {
    sample.service_time_p95 = metrics.service_time_p95_seconds();
  }
  if (metrics.has_service_time_stddev_seconds()) {
    sample.service_time_stddev = metrics.service_time_stddev_seconds();
  }
  sample.workers = metrics.current_workers();
  if (metrics.has_utilization()) sample.utilization = metrics.utilization();
  sample.backlog = metrics.backlog();
  sample.active_jobs = metrics.active_jobs();
  return sample;
}

grpc::Status ToPlanRequest(const v1::GeneratePlanRequest& request, absl::Time server_now,
                           planner::PlanRequest* out) {
  return ToPlanRequest(request, request.slo(), request.config(), server_now, out);
}

grpc::Status ToPlanRequest(const v1::GeneratePlanRequest& request, const v1::Slo& slo,
                           const v1::PlannerConfig& config, absl::Time server_now,
                           planner::PlanRequest* out) {
  FieldChecks checks;
  CheckQueueName("queue", request.queue(), reason::kInvalidMetrics, checks);
  checks.Text("request_id", request.request_id(), reason::kInvalidRequest);
  if (!request.has_current_metrics()) {
    checks.Fail("current_metrics", "is required", reason::kInvalidMetrics);
  } else {
    CheckQueueMetrics(request.current_metrics(), "current_metrics.", checks);
  }
  if (checks.Size("history", request.history_size(), kMaxInlineHistory, reason::kInvalidMetrics)) {
    for (int i = 0; i < request.history_size(); ++i) {
      CheckQueueMetrics(request.history(i), absl::StrCat("history[", i, "]."), checks);
    }
  }
  CheckSlo(slo, checks);
  ReadPlannerConfig(config, checks, out->config);
  if (!checks.ok()) return checks.ToStatus();

  out->current = ToQueueSample(request.current_metrics(), server_now);
  if (out->current.time > server_now + kMaxClockSkew) {
    checks.Fail("current_metrics.observe_time",
                absl::StrCat("is ", absl::FormatDuration(out->current.time - server_now),
                             " ahead of the server clock (at most ",
                             absl::FormatDuration(kMaxClockSkew), " allowed)"),
                reason::kInvalidMetrics);
  }
  out->history.clear();
  for (int i = 0; i < request.history_size(); ++i) {
    const planner::QueueSample sample = ToQueueSample(request.history(i), out->current.time);
    if (!request.history(i).has_observe_time()) {
      checks.Fail(absl::StrCat("history[", i, "].observe_time"), "is required in history",
                  reason::kInvalidMetrics);
    } else if (sample.time > out->current.time) {
      checks.Fail(absl::StrCat("history[", i, "].observe_time"),
                  "must not be after current_metrics.observe_time", reason::kInvalidMetrics);
    }
    out->history.push_back(sample);
  }
  if (!checks.ok()) return checks.ToStatus();
  out->slo = ToSlo(slo);
  return grpc::Status::OK;
}

v1::QueueMetrics ToQueueMetrics(const planner::QueueSample& sample) {
  v1::QueueMetrics metrics;
  *metrics.mutable_observe_time() = ToProtoTimestamp(sample.time);
  metrics.set_arrival_rate_per_second(sample.arrival_rate);
  metrics.set_mean_service_time_seconds(sample.mean_service_time);
  if (sample.service_time_p95.has_value()) {
    metrics.set_service_time_p95_seconds(*sample.service_time_p95);
  }
  if (sample.service_time_stddev.has_value()) {
    metrics.set_service_time_stddev_seconds(*sample.service_time_stddev);
  }
  metrics.set_current_workers(sample.workers);
  if (sample.utilization.has_value()) metrics.set_utilization(*sample.utilization);
  metrics.set_backlog(sample.backlog);
  metrics.set_active_jobs(sample.active_jobs);
  return metrics;
}

}  // namespace horizonscale::server

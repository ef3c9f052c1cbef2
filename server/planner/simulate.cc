#include "server/planner/simulate.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <absl/strings/str_cat.h>

#include "server/common/database_lease.h"
#include "server/common/field_checks.h"
#include "server/common/proto_time.h"
#include "server/common/uuid.h"
#include "server/planner/queue_checks.h"
#include "simulator/simulator.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;
namespace {

constexpr absl::Duration kMaxScenarioDuration = absl::Hours(24 * 366);
// Most timeline windows one scenario may have (the answer carries them all).
constexpr int64_t kMaxWindows = 100'000;

simulator::PatternKind ToPatternKind(v1::TrafficPatternKind kind) {
  switch (kind) {
    case v1::TRAFFIC_PATTERN_KIND_SINUSOIDAL:
      return simulator::PatternKind::kSinusoidal;
    case v1::TRAFFIC_PATTERN_KIND_LINEAR:
      return simulator::PatternKind::kLinear;
    case v1::TRAFFIC_PATTERN_KIND_SPIKY:
      return simulator::PatternKind::kSpiky;
    case v1::TRAFFIC_PATTERN_KIND_DAILY:
      return simulator::PatternKind::kDaily;
    case v1::TRAFFIC_PATTERN_KIND_WEEKLY:
      return simulator::PatternKind::kWeekly;
    default:
      return simulator::PatternKind::kConstant;
  }
}

simulator::SpikeShape ToSpikeShape(v1::SpikeShape shape) {
  switch (shape) {
    case v1::SPIKE_SHAPE_LINEAR:
      return simulator::SpikeShape::kLinear;
    case v1::SPIKE_SHAPE_EXP:
      return simulator::SpikeShape::kExp;
    case v1::SPIKE_SHAPE_BELL:
      return simulator::SpikeShape::kBell;
    default:
      return simulator::SpikeShape::kInstant;
  }
}

simulator::ServiceDistribution ToDistribution(v1::ServiceDistribution distribution) {
  switch (distribution) {
    case v1::SERVICE_DISTRIBUTION_DETERMINISTIC:
      return simulator::ServiceDistribution::kDeterministic;
    case v1::SERVICE_DISTRIBUTION_LOGNORMAL:
      return simulator::ServiceDistribution::kLognormal;
    case v1::SERVICE_DISTRIBUTION_GAMMA:
      return simulator::ServiceDistribution::kGamma;
    default:
      return simulator::ServiceDistribution::kExponential;
  }
}

// Checks the traffic of scenario `prefix` ("scenarios[i]") field by field.
void CheckTraffic(const v1::TrafficPattern& in, absl::Duration duration, const std::string& prefix,
                  FieldChecks& checks) {
  const std::string field = prefix + ".traffic";
  if (!v1::TrafficPatternKind_IsValid(in.kind())) {
    checks.Fail(field + ".kind", absl::StrCat("unknown traffic pattern ", in.kind()),
                reason::kInvalidRequest);
  }
  checks.Number(field + ".base_rate_per_second", in.base_rate_per_second(), 0, 1e7,
                reason::kInvalidRequest);
  checks.Number(field + ".amplitude", in.amplitude(), 0, 1, reason::kInvalidRequest);
  if (in.has_period()) {
    checks.Duration(field + ".period", in.period(), absl::Seconds(1), kMaxScenarioDuration,
                    reason::kInvalidRequest);
  }
  checks.Number(field + ".trend_per_second_per_hour", in.trend_per_second_per_hour(), -1e7, 1e7,
                reason::kInvalidRequest);
  checks.Number(field + ".noise", in.noise(), 0, 1, reason::kInvalidRequest);
  const bool spikes_bounded =
      checks.Size(field + ".spikes", in.spikes_size(), kMaxSpikes, reason::kInvalidRequest);
  for (int s = 0; spikes_bounded && s < in.spikes_size(); ++s) {
    const v1::Spike& spike = in.spikes(s);
    const std::string at = absl::StrCat(field, ".spikes[", s, "]");
    checks.Duration(at + ".start_offset", spike.start_offset(), absl::ZeroDuration(),
                    kMaxScenarioDuration, reason::kInvalidRequest);
    if (IsValidDuration(spike.start_offset()) && ToAbslDuration(spike.start_offset()) >= duration) {
      checks.Fail(at + ".start_offset", "must be within the scenario's duration",
                  reason::kInvalidRequest);
    }
    checks.Duration(at + ".duration", spike.duration(), absl::Milliseconds(1), kMaxScenarioDuration,
                    reason::kInvalidRequest);
    checks.Number(at + ".magnitude", spike.magnitude(), 1, 1e4, reason::kInvalidRequest);
    if (!v1::SpikeShape_IsValid(spike.shape())) {
      checks.Fail(at + ".shape", absl::StrCat("unknown spike shape ", spike.shape()),
                  reason::kInvalidRequest);
    }
  }
}

// The scenario in domain terms, recording bad fields.
simulator::Scenario ToScenario(const v1::Scenario& in, int index, absl::Time default_start,
                               FieldChecks& checks) {
  const std::string prefix = absl::StrCat("scenarios[", index, "]");
  simulator::Scenario out;
  checks.Text(prefix + ".name", in.name(), reason::kInvalidRequest);
  out.name = in.name();
  if (!in.has_duration()) {
    checks.Fail(prefix + ".duration", "is required", reason::kInvalidRequest);
  } else {
    checks.Duration(prefix + ".duration", in.duration(), absl::Seconds(1), kMaxScenarioDuration,
                    reason::kInvalidRequest);
    if (IsValidDuration(in.duration())) out.duration = ToAbslDuration(in.duration());
  }
  if (in.has_granularity()) {
    checks.Duration(prefix + ".granularity", in.granularity(), absl::Seconds(1),
                    kMaxScenarioDuration, reason::kInvalidRequest);
    if (IsValidDuration(in.granularity())) out.granularity = ToAbslDuration(in.granularity());
  }
  if (out.duration > absl::ZeroDuration()) {
    if (out.granularity > out.duration) {
      checks.Fail(prefix + ".granularity", "must not exceed the scenario's duration",
                  reason::kInvalidRequest);
    } else if (out.granularity > absl::ZeroDuration() &&
               out.duration / out.granularity > kMaxWindows) {
      checks.Fail(prefix + ".granularity",
                  absl::StrCat("makes more than ", kMaxWindows, " timeline windows"),
                  reason::kInvalidRequest);
    }
  }
  out.start = default_start;
  if (in.has_start_time()) {
    checks.Timestamp(prefix + ".start_time", in.start_time(), reason::kInvalidRequest);
    if (IsValidTimestamp(in.start_time())) out.start = ToAbslTime(in.start_time());
  }
  checks.Integer(prefix + ".initial_backlog", in.initial_backlog(), 0,
                 simulator::kMaxInitialBacklog, reason::kInvalidRequest);
  out.initial_backlog = in.initial_backlog();
  CheckTraffic(in.traffic(), out.duration, prefix, checks);
  const v1::TrafficPattern& traffic = in.traffic();
  out.traffic.kind = ToPatternKind(traffic.kind());
  out.traffic.base_rate = traffic.base_rate_per_second();
  out.traffic.amplitude = traffic.amplitude();
  if (traffic.has_period() && IsValidDuration(traffic.period())) {
    out.traffic.period = ToAbslDuration(traffic.period());
  }
  out.traffic.trend_per_hour = traffic.trend_per_second_per_hour();
  out.traffic.noise = traffic.noise();
  for (int i = 0; i < traffic.spikes_size() && i < kMaxSpikes; ++i) {
    const v1::Spike& spike = traffic.spikes(i);
    simulator::Spike s;
    if (IsValidDuration(spike.start_offset())) s.start = ToAbslDuration(spike.start_offset());
    if (IsValidDuration(spike.duration())) s.duration = ToAbslDuration(spike.duration());
    s.magnitude = spike.magnitude();
    s.shape = ToSpikeShape(spike.shape());
    out.traffic.spikes.push_back(s);
  }
  return out;
}

// The plan's pool sizes over time, recording bad fields.
simulator::PoolPlan ToPoolPlan(const v1::CapacityPlan& plan, const std::string& field,
                               FieldChecks& checks) {
  simulator::PoolPlan out;
  checks.Integer(field + ".current_workers", plan.current_workers(), 0, 10'000'000,
                 reason::kConfigInvalid);
  out.initial_workers = plan.current_workers();
  if (!checks.Size(field + ".steps", plan.steps_size(), kMaxPlanSteps, reason::kConfigInvalid)) {
    return out;
  }
  for (int i = 0; i < plan.steps_size(); ++i) {
    const v1::ScalingStep& step = plan.steps(i);
    const std::string at = absl::StrCat(field, ".steps[", i, "]");
    checks.Integer(at + ".to_workers", step.to_workers(), 0, 10'000'000, reason::kConfigInvalid);
    checks.Timestamp(at + ".schedule_time", step.schedule_time(), reason::kConfigInvalid);
    if (!IsValidTimestamp(step.schedule_time())) continue;
    const absl::Time time = ToAbslTime(step.schedule_time());
    if (!out.steps.empty() && time < out.steps.back().time) {
      checks.Fail(at + ".schedule_time", "steps must be in schedule order", reason::kConfigInvalid);
    }
    out.steps.push_back({time, step.to_workers()});
  }
  return out;
}

simulator::SimulationConfig ToConfig(const v1::SimulateRequest& request, FieldChecks& checks) {
  simulator::SimulationConfig config;
  if (!request.has_service_time()) {
    checks.Fail("service_time", "is required", reason::kInvalidRequest);
  }
  const v1::ServiceTime& service = request.service_time();
  if (!v1::ServiceDistribution_IsValid(service.distribution())) {
    checks.Fail("service_time.distribution",
                absl::StrCat("unknown distribution ", service.distribution()),
                reason::kInvalidRequest);
  }
  config.service.distribution = ToDistribution(service.distribution());
  if (request.has_service_time()) {
    checks.Number("service_time.mean_seconds", service.mean_seconds(), 0, 1e6,
                  reason::kInvalidRequest, /*min_open=*/true);
  }
  config.service.mean = service.mean_seconds();
  const bool shaped = config.service.distribution == simulator::ServiceDistribution::kLognormal ||
                      config.service.distribution == simulator::ServiceDistribution::kGamma;
  if (shaped) {
    checks.Number("service_time.coefficient_of_variation", service.coefficient_of_variation(), 0,
                  100, reason::kInvalidRequest, /*min_open=*/true);
    config.service.coefficient_of_variation = service.coefficient_of_variation();
  } else {
    config.service.coefficient_of_variation =
        config.service.distribution == simulator::ServiceDistribution::kDeterministic ? 0 : 1;
  }
  CheckSlo(request.slo(), checks);
  if (request.slo().has_p95_latency_seconds()) {
    config.slo.p95_latency = request.slo().p95_latency_seconds();
  }
  if (request.slo().has_max_backlog()) config.slo.max_backlog = request.slo().max_backlog();
  config.seed = request.seed();
  if (request.has_provisioning_delay()) {
    checks.Duration("provisioning_delay", request.provisioning_delay(), absl::ZeroDuration(),
                    absl::Hours(24), reason::kInvalidRequest);
    if (IsValidDuration(request.provisioning_delay())) {
      config.provisioning_delay = ToAbslDuration(request.provisioning_delay());
    }
  }
  if (request.has_worker_cost_per_hour()) {
    checks.Number("worker_cost_per_hour", request.worker_cost_per_hour(), 0, 1e6,
                  reason::kInvalidRequest);
    config.worker_cost_per_hour = request.worker_cost_per_hour();
  }
  if (request.has_violation_cost_per_hour()) {
    checks.Number("violation_cost_per_hour", request.violation_cost_per_hour(), 0, 1e9,
                  reason::kInvalidRequest);
    config.violation_cost_per_hour = request.violation_cost_per_hour();
  }
  return config;
}

// SummaryInterval.metric names are the SimulationSummary field names.
std::string ProtoMetricName(const std::string& metric) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"average_latency", "average_latency_seconds"},
      {"p50_latency", "p50_latency_seconds"},
      {"p95_latency", "p95_latency_seconds"},
      {"p99_latency", "p99_latency_seconds"}};
  for (const auto& [domain, proto] : kNames) {
    if (metric == domain) return proto;
  }
  return metric;
}

void ToProto(const simulator::Summary& in, v1::SimulationSummary& out) {
  out.set_slo_achievement(in.slo_achievement);
  out.set_average_latency_seconds(in.average_latency);
  out.set_p50_latency_seconds(in.p50_latency);
  out.set_p95_latency_seconds(in.p95_latency);
  out.set_p99_latency_seconds(in.p99_latency);
  out.set_max_backlog(in.max_backlog);
  out.set_jobs_completed(in.jobs_completed);
  out.set_jobs_arrived(in.jobs_arrived);
  out.set_worker_cost(in.worker_cost);
  out.set_violation_cost(in.violation_cost);
  out.set_total_cost(in.total_cost);
  out.set_efficiency_score(in.efficiency_score);
}

void ToProto(const simulator::RunResult& run, v1::ScenarioResult& out) {
  ToProto(run.summary, *out.mutable_summary());
  for (const simulator::Window& window : run.timeline) {
    v1::TimelineWindow& w = *out.add_timeline();
    *w.mutable_start_time() = ToProtoTimestamp(window.start);
    w.set_arrivals(window.arrivals);
    w.set_completions(window.completions);
    w.set_workers(window.workers);
    w.set_utilization(window.utilization);
    w.set_backlog(window.backlog);
    w.set_p95_latency_seconds(window.p95_latency);
    w.set_slo_met(window.slo_met);
  }
  for (const simulator::Violation& violation : run.violations) {
    v1::ViolationPeriod& v = *out.add_violations();
    *v.mutable_start_time() = ToProtoTimestamp(violation.start);
    *v.mutable_end_time() = ToProtoTimestamp(violation.end);
    *v.mutable_duration() = ToProtoDuration(violation.end - violation.start);
    v.set_type(violation.type == simulator::ViolationType::kLatency ? v1::VIOLATION_TYPE_LATENCY
                                                                    : v1::VIOLATION_TYPE_BACKLOG);
  }
}

grpc::Status FromSimulatorError(const absl::Status& status, const std::string& field) {
  if (status.code() == absl::StatusCode::kCancelled) {
    return MakeError(grpc::StatusCode::CANCELLED, reason::kInvalidRequest,
                     "the simulation was cancelled (client cancel or deadline)");
  }
  if (status.code() == absl::StatusCode::kInvalidArgument) {
    const std::string message(status.message());
    return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                     absl::StrCat(field, ": ", message), {{field, message}});
  }
  return MakeError(grpc::StatusCode::INTERNAL, reason::kInternal, std::string(status.message()));
}

}  // namespace

grpc::Status Simulate(const v1::SimulateRequest& request, const StoredPlanLoader& load_plan,
                      int64_t max_events, const std::function<bool()>& cancelled,
                      SimulationSpeed& speed, v1::SimulateResponse* response) {
  // The plan: inline or stored.
  v1::CapacityPlan plan;
  switch (request.plan_source_case()) {
    case v1::SimulateRequest::kPlan:
      plan = request.plan();
      break;
    case v1::SimulateRequest::kPlanId: {
      if (!IsUuid(request.plan_id())) {
        return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                         absl::StrCat("plan_id must be a UUID, got ", Quoted(request.plan_id())),
                         {{"plan_id", "must be a UUID"}});
      }
      absl::StatusOr<std::optional<v1::CapacityPlan>> stored = load_plan(request.plan_id());
      if (!stored.ok()) return DatabaseFailure(stored.status());
      if (!stored->has_value()) {
        return MakeError(grpc::StatusCode::NOT_FOUND, reason::kNotFound,
                         absl::StrCat("no plan with id ", request.plan_id()),
                         {{"plan_id", "no such plan"}});
      }
      plan = **stored;
      break;
    }
    default:
      return MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                       "set either plan or plan_id", {{"plan_source", "set plan or plan_id"}});
  }

  FieldChecks checks;
  const simulator::PoolPlan pool = ToPoolPlan(plan, "plan", checks);
  const absl::Time default_start =
      plan.has_generate_time() && IsValidTimestamp(plan.generate_time())
          ? ToAbslTime(plan.generate_time())
          : absl::UnixEpoch();
  if (request.scenarios_size() < 1 || request.scenarios_size() > kMaxScenarios) {
    checks.Fail("scenarios",
                absl::StrCat("must hold 1 to ", kMaxScenarios, " scenarios, got ",
                             request.scenarios_size()),
                reason::kInvalidRequest);
  }
  std::vector<simulator::Scenario> scenarios;
  for (int i = 0; i < request.scenarios_size() && i < kMaxScenarios; ++i) {
    scenarios.push_back(ToScenario(request.scenarios(i), i, default_start, checks));
  }
  const simulator::SimulationConfig config = ToConfig(request, checks);
  const int replications = request.replications() == 0 ? 1 : request.replications();
  checks.Integer("replications", request.replications(), 0, kMaxReplications,
                 reason::kInvalidRequest);
  if (!checks.ok()) return checks.ToStatus();

  // The domain's own checks, then the size of the whole request.
  int64_t total_events = 0;
  std::vector<int64_t> estimates;
  for (size_t i = 0; i < scenarios.size(); ++i) {
    if (absl::Status valid = simulator::ValidateScenario(scenarios[i], config); !valid.ok()) {
      return FromSimulatorError(valid, absl::StrCat("scenarios[", i, "]"));
    }
    estimates.push_back(simulator::EstimateEvents(scenarios[i]));
    total_events += estimates.back() * replications;
  }
  if (total_events > max_events) {
    return MakeError(
        grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kSimulationTooLarge,
        absl::StrCat("the request would simulate about ", total_events,
                     " events (scenarios x replications), more than this server's limit of ",
                     max_events,
                     " (--max_simulation_events); shorten the scenarios, lower the "
                     "rates or the replications"),
        {{"scenarios", absl::StrCat("about ", total_events, " events estimated")}});
  }

  for (size_t i = 0; i < scenarios.size(); ++i) {
    v1::ScenarioResult& result = *response->add_results();
    result.set_scenario_name(scenarios[i].name);
    result.set_estimated_events(estimates[i]);
    *result.mutable_estimated_run_time() =
        ToProtoDuration(speed.Estimate(estimates[i] * replications));
    if (request.validate_only()) continue;
    std::vector<simulator::Summary> summaries;
    for (int r = 0; r < replications; ++r) {
      simulator::SimulationConfig replication = config;
      replication.seed = config.seed + static_cast<uint64_t>(r);
      const absl::Time started = absl::Now();
      absl::StatusOr<simulator::RunResult> run =
          simulator::Simulate(scenarios[i], pool, replication, cancelled);
      if (!run.ok()) return FromSimulatorError(run.status(), absl::StrCat("scenarios[", i, "]"));
      speed.Record(run->summary.events, absl::Now() - started);
      if (r == 0) ToProto(*run, result);
      summaries.push_back(run->summary);
    }
    for (const simulator::MetricInterval& interval : simulator::SummaryIntervals(summaries)) {
      v1::SummaryInterval& out = *result.add_intervals();
      out.set_metric(ProtoMetricName(interval.metric));
      out.set_mean(interval.mean);
      out.set_lower(interval.lower);
      out.set_upper(interval.upper);
      out.set_confidence_level(interval.level);
    }
  }
  return grpc::Status::OK;
}

}  // namespace horizonscale::server

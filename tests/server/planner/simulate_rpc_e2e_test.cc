// Simulate end to end: the real server binary, a real PostgreSQL database,
// generated stubs. Queueing theory is the reference for the numbers.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "queueing/queueing.h"
#include "tests/support/planner_rpc_fixture.h"

namespace horizonscale {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::PlannerRpc;
using testing::ViolatedFields;
using namespace std::chrono_literals;

class SimulateRpc : public PlannerRpc {
 protected:
  grpc::Status Run(const v1::SimulateRequest& request, v1::SimulateResponse* out,
                   std::chrono::milliseconds timeout = 60s) {
    auto context = ContextWithDeadline(timeout);
    return stub_->Simulate(context.get(), request, out);
  }

  // A fixed pool of `workers`, constant Poisson traffic of `rate` jobs/s,
  // exponential service of mean 1 s, for `hours`.
  static v1::SimulateRequest SteadyRequest(int workers, double rate, int hours) {
    v1::SimulateRequest request;
    request.mutable_plan()->set_current_workers(workers);
    *request.mutable_plan()->mutable_generate_time() = TimeUtil::SecondsToTimestamp(1'790'000'000);
    v1::Scenario* scenario = request.add_scenarios();
    scenario->set_name("steady");
    scenario->mutable_traffic()->set_kind(v1::TRAFFIC_PATTERN_KIND_CONSTANT);
    scenario->mutable_traffic()->set_base_rate_per_second(rate);
    scenario->mutable_duration()->set_seconds(3600 * hours);
    request.mutable_service_time()->set_distribution(v1::SERVICE_DISTRIBUTION_EXPONENTIAL);
    request.mutable_service_time()->set_mean_seconds(1.0);
    request.mutable_slo()->set_p95_latency_seconds(5.0);
    request.set_seed(42);
    return request;
  }
};

// M/M/10 at λ = 8/s, μ = 1/s: utilization 0.8 and the Erlang C mean
// response time, within 5 % over 20 hours (~576,000 jobs).
TEST_F(SimulateRpc, SteadyPoolMatchesErlangC) {
  v1::SimulateResponse response;
  const grpc::Status status = Run(SteadyRequest(10, 8, 20), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.results_size(), 1);
  const v1::ScenarioResult& result = response.results(0);
  EXPECT_EQ(result.scenario_name(), "steady");
  EXPECT_EQ(result.timeline_size(), 20 * 60);

  queueing::PoolSpec pool;
  pool.arrival_rate = 8;
  pool.mean_service_time = 1;
  pool.workers = 10;
  absl::StatusOr<queueing::QueueMetrics> theory = queueing::Evaluate(pool);
  ASSERT_TRUE(theory.ok());
  const v1::SimulationSummary& summary = result.summary();
  EXPECT_NEAR(summary.average_latency_seconds(), theory->mean_response,
              0.05 * theory->mean_response);
  EXPECT_NEAR(summary.jobs_arrived(), 8 * 72'000, 4 * std::sqrt(8 * 72'000.0));
  double busy = 0;
  for (const v1::TimelineWindow& window : result.timeline()) busy += window.utilization();
  EXPECT_NEAR(busy / result.timeline_size(), 0.8, 0.01);
  // Worker cost: 10 workers for 20 hours at the default 0.50 per hour.
  EXPECT_NEAR(summary.worker_cost(), 10 * 20 * 0.5, 1e-6);
  EXPECT_GT(result.estimated_events(), 0);
}

TEST_F(SimulateRpc, SameSeedSameAnswerAndScenariosInOrder) {
  v1::SimulateRequest request = SteadyRequest(10, 8, 1);
  v1::Scenario* spike = request.add_scenarios();
  *spike = request.scenarios(0);
  spike->set_name("black friday");
  v1::Spike* s = spike->mutable_traffic()->add_spikes();
  s->mutable_start_offset()->set_seconds(1200);
  s->mutable_duration()->set_seconds(600);
  s->set_magnitude(1.5);
  s->set_shape(v1::SPIKE_SHAPE_BELL);
  request.set_replications(4);

  v1::SimulateResponse first, second;
  ASSERT_TRUE(Run(request, &first).ok());
  ASSERT_TRUE(Run(request, &second).ok());
  // The run-time estimate follows the measured speed, which every run
  // refines; everything simulated is the same bit for bit.
  for (v1::SimulateResponse* response : {&first, &second}) {
    for (v1::ScenarioResult& result : *response->mutable_results()) {
      result.clear_estimated_run_time();
    }
  }
  EXPECT_TRUE(MessageDifferencer::Equals(first, second));
  ASSERT_EQ(first.results_size(), 2);
  EXPECT_EQ(first.results(0).scenario_name(), "steady");
  EXPECT_EQ(first.results(1).scenario_name(), "black friday");
  // 12 jobs/s at the bell's peak on 10 workers: the spike hurts.
  EXPECT_GT(first.results(1).summary().p99_latency_seconds(),
            first.results(0).summary().p99_latency_seconds());
  // Replications give intervals around their mean.
  EXPECT_FALSE(first.results(0).intervals().empty());
  for (const v1::SummaryInterval& interval : first.results(0).intervals()) {
    EXPECT_LE(interval.lower(), interval.mean()) << interval.metric();
    EXPECT_GE(interval.upper(), interval.mean()) << interval.metric();
    EXPECT_DOUBLE_EQ(interval.confidence_level(), 0.95);
  }
  v1::SimulateRequest other_seed = request;
  other_seed.set_seed(43);
  v1::SimulateResponse third;
  ASSERT_TRUE(Run(other_seed, &third).ok());
  EXPECT_NE(third.results(0).summary().jobs_arrived(), first.results(0).summary().jobs_arrived());
}

TEST_F(SimulateRpc, AStoredPlanIsSimulatedById) {
  v1::GeneratePlanResponse planned;
  const grpc::Status generated = Generate(ValidRequest("sim-queue"), &planned);
  ASSERT_TRUE(generated.ok()) << generated.error_message();
  v1::SimulateRequest request = SteadyRequest(0, 100, 1);
  request.clear_plan();
  request.set_plan_id(planned.plan().plan_id());
  request.mutable_service_time()->set_mean_seconds(0.1);
  v1::SimulateResponse response;
  const grpc::Status status = Run(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The stored plan's pool (at least its 10 current workers) serves 100 jobs/s
  // at 0.1 s: utilization at most 1, most windows fine.
  ASSERT_EQ(response.results_size(), 1);
  EXPECT_GT(response.results(0).summary().jobs_completed(), 0);

  request.set_plan_id("00000000-0000-4000-8000-000000000000");
  const grpc::Status missing = Run(request, &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorInfoReason(missing), "horizonscale/NOT_FOUND");
}

TEST_F(SimulateRpc, ValidateOnlyEstimatesWithoutSimulating) {
  v1::SimulateRequest request = SteadyRequest(10, 8, 2);
  request.set_validate_only(true);
  v1::SimulateResponse response;
  ASSERT_TRUE(Run(request, &response).ok());
  ASSERT_EQ(response.results_size(), 1);
  // Arrivals plus completions: about 2 x 8/s x 7,200 s.
  EXPECT_NEAR(response.results(0).estimated_events(), 2 * 8 * 7200, 0.02 * 2 * 8 * 7200);
  EXPECT_FALSE(response.results(0).has_summary());
  EXPECT_TRUE(response.results(0).timeline().empty());
  EXPECT_GT(TimeUtil::DurationToNanoseconds(response.results(0).estimated_run_time()), 0);
}

// The run-time estimate scales with the events and replications, and is
// the right order of magnitude: within a factor of 5 of the time the same
// request then takes (measured at the client, so it includes the call).
TEST_F(SimulateRpc, ValidateOnlyEstimatesTheRunTime) {
  v1::SimulateRequest request = SteadyRequest(10, 8, 20);
  request.set_replications(2);
  request.set_validate_only(true);
  v1::SimulateResponse estimate;
  ASSERT_TRUE(Run(request, &estimate).ok());
  v1::SimulateRequest half = SteadyRequest(10, 8, 20);
  half.set_validate_only(true);
  v1::SimulateResponse half_estimate;
  ASSERT_TRUE(Run(half, &half_estimate).ok());
  const double seconds =
      TimeUtil::DurationToNanoseconds(estimate.results(0).estimated_run_time()) * 1e-9;
  const double half_seconds =
      TimeUtil::DurationToNanoseconds(half_estimate.results(0).estimated_run_time()) * 1e-9;
  ASSERT_GT(half_seconds, 0);
  // The speed may be refined between the two calls by other tests' runs
  // only, and there are none in between: exactly twice.
  EXPECT_NEAR(seconds / half_seconds, 2.0, 1e-6);

  request.set_validate_only(false);
  v1::SimulateResponse ran;
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(Run(request, &ran).ok());
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_GT(took, seconds / 5) << "estimated " << seconds << " s";
  EXPECT_LT(took, seconds * 5) << "estimated " << seconds << " s";
}

TEST_F(SimulateRpc, BadRequestsNameTheField) {
  struct Case {
    std::string name;
    std::function<void(v1::SimulateRequest&)> edit;
    grpc::StatusCode code;
    std::string reason;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"negative rate",
       [](auto& r) { r.mutable_scenarios(0)->mutable_traffic()->set_base_rate_per_second(-1); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST",
       "scenarios[0].traffic.base_rate_per_second"},
      {"zero duration", [](auto& r) { r.mutable_scenarios(0)->mutable_duration()->set_seconds(0); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", "scenarios[0].duration"},
      {"granularity above duration",
       [](auto& r) { r.mutable_scenarios(0)->mutable_granularity()->set_seconds(7200); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", "scenarios[0].granularity"},
      {"spike outside the run",
       [](auto& r) {
         v1::Spike* spike = r.mutable_scenarios(0)->mutable_traffic()->add_spikes();
         spike->mutable_start_offset()->set_seconds(99'999);
         spike->mutable_duration()->set_seconds(60);
         spike->set_magnitude(2);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST",
       "scenarios[0].traffic.spikes[0].start_offset"},
      {"nan mean", [](auto& r) { r.mutable_service_time()->set_mean_seconds(NAN); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", "service_time.mean_seconds"},
      {"no scenarios", [](auto& r) { r.clear_scenarios(); }, grpc::StatusCode::INVALID_ARGUMENT,
       "INVALID_REQUEST", "scenarios"},
      {"no plan", [](auto& r) { r.clear_plan(); }, grpc::StatusCode::INVALID_ARGUMENT,
       "INVALID_REQUEST", "plan_source"},
      {"negative workers", [](auto& r) { r.mutable_plan()->set_current_workers(-3); },
       grpc::StatusCode::INVALID_ARGUMENT, "CONFIG_INVALID", "plan.current_workers"},
      {"too many replications", [](auto& r) { r.set_replications(1000); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", "replications"},
      {"too large",
       [](auto& r) {
         r.mutable_scenarios(0)->mutable_traffic()->set_base_rate_per_second(1e6);
         r.mutable_scenarios(0)->mutable_duration()->set_seconds(3600 * 24 * 30);
         r.mutable_scenarios(0)->mutable_granularity()->set_seconds(3600);
       },
       grpc::StatusCode::RESOURCE_EXHAUSTED, "SIMULATION_TOO_LARGE", "scenarios"},
  };
  for (const Case& c : cases) {
    v1::SimulateRequest request = SteadyRequest(10, 8, 1);
    c.edit(request);
    v1::SimulateResponse response;
    const grpc::Status status = Run(request, &response, 10s);
    EXPECT_EQ(status.error_code(), c.code) << c.name << ": " << status.error_message();
    EXPECT_EQ(ErrorInfoReason(status), "horizonscale/" + c.reason) << c.name;
    const std::vector<std::string> fields = ViolatedFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << c.name << ": " << status.error_message();
  }
}

// A run of about 100 million events stops when the client's deadline passes
// instead of burning the server's CPU to the end.
TEST_F(SimulateRpc, ADeadlineStopsARunningSimulation) {
  v1::SimulateRequest request = SteadyRequest(2000, 1500, 10);
  request.mutable_scenarios(0)->mutable_granularity()->set_seconds(600);
  v1::SimulateResponse response;
  const auto started = std::chrono::steady_clock::now();
  const grpc::Status status = Run(request, &response, 300ms);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  // The server notices within a moment and logs the call as ended.
  const std::string ended = "method=/horizonscale.v1.CapacityPlannerService/Simulate code=";
  while (server_->Log().find(ended) == std::string::npos &&
         std::chrono::steady_clock::now() - started < 3s) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NE(server_->Log().find(ended), std::string::npos) << server_->Log();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

// validate_by_simulation replays the plan against its own forecast: a pool
// sized for the SLO meets it in (nearly) every simulated minute, a pool held
// far below its need does not.
TEST_F(SimulateRpc, GeneratePlanCanValidateItsPlanBySimulation) {
  v1::GeneratePlanRequest request = ValidRequest("validated");
  request.set_validate_by_simulation(true);
  v1::GeneratePlanResponse planned;
  const grpc::Status status = Generate(request, &planned);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(planned.has_simulated_slo_achievement());
  EXPECT_GE(planned.simulated_slo_achievement(), 0.9);
  EXPECT_LE(planned.simulated_slo_achievement(), 1.0);

  // 100 jobs/s at 0.1 s need 10+ workers; max_workers 8 cannot keep up.
  request.set_queue("validated-starved");
  request.mutable_current_metrics()->set_current_workers(8);
  request.mutable_config()->set_max_workers(8);
  ASSERT_TRUE(Generate(request, &planned).ok());
  EXPECT_FALSE(planned.plan().slo_achievable());
  ASSERT_TRUE(planned.has_simulated_slo_achievement());
  EXPECT_LT(planned.simulated_slo_achievement(), 0.5);

  // Without the flag there is no simulated figure.
  request.set_queue("unvalidated");
  request.set_validate_by_simulation(false);
  ASSERT_TRUE(Generate(request, &planned).ok());
  EXPECT_FALSE(planned.has_simulated_slo_achievement());
}

}  // namespace
}  // namespace horizonscale

// CapacityPlannerService end to end: the real server binary, a real
// PostgreSQL database, generated stubs.
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <absl/time/clock.h>
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/planner_rpc_fixture.h"
#include "tests/support/server_process.h"
#include "tests/support/test_database.h"

namespace horizonscale {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckResponse;
using testing::ConnectTo;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::PlannerRpc;
using testing::ServerProcess;
using testing::TestDatabase;
using testing::ViolatedFields;
using testing::WaitForHealth;
using namespace std::chrono_literals;

TEST_F(PlannerRpc, PlanIsStoredAndReadBack) {
  v1::GeneratePlanResponse generated;
  const grpc::Status status = Generate(ValidRequest("checkout"), &generated);
  ASSERT_TRUE(status.ok()) << status.error_message() << "\n" << server_->Log();
  const v1::CapacityPlan& plan = generated.plan();
  EXPECT_EQ(plan.queue(), "checkout");
  EXPECT_EQ(plan.plan_id().size(), 36u);
  // One sample only: the forecast is flat at 100 ± the fallback spread; the
  // plan scales 10 workers up at once.
  ASSERT_GE(plan.steps_size(), 1);
  EXPECT_EQ(plan.steps(0).action(), v1::SCALING_ACTION_SCALE_UP);
  EXPECT_EQ(plan.steps(0).from_workers(), 10);
  EXPECT_GT(plan.target_workers(), 10);
  EXPECT_EQ(plan.worker_delta(), plan.target_workers() - 10);
  EXPECT_DOUBLE_EQ(plan.cost_impact().monthly_cost_delta(),
                   (plan.target_workers() - 10) * 0.5 * 730);
  EXPECT_EQ(generated.alternatives_size(), 5);  // conservative ... average, cost-optimal
  EXPECT_EQ(generated.alternatives(4).strategy(), v1::PLAN_STRATEGY_COST_OPTIMAL);
  EXPECT_EQ(generated.arrival_forecast_size(), 12);  // 60 min / 5 min
  EXPECT_EQ(plan.intervals_size(), 12);
  EXPECT_EQ(plan.urgency(),
            v1::PLAN_URGENCY_CRITICAL);  // offered load 10 on 10 workers: unstable now
  EXPECT_FALSE(plan.rationale().empty());

  v1::GetPlanRequest get;
  get.set_plan_id(plan.plan_id());
  v1::GetPlanResponse read;
  auto context = ContextWithDeadline(5s);
  ASSERT_TRUE(stub_->GetPlan(context.get(), get, &read).ok());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(read.plan(), plan))
      << read.plan().DebugString() << "\nvs\n"
      << plan.DebugString();

  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM plan_steps"), plan.steps_size());
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics WHERE queue = 'checkout'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM queues WHERE last_action = 'scale_up'"), 1);
}

// A pool that already fits gets an explicit decision: one NO_CHANGE step
// holding its size, with the reason.
TEST_F(PlannerRpc, APoolThatFitsGetsAHoldStep) {
  // The size a plan asks for is one that fits: planned again with it, the
  // pool holds.
  v1::GeneratePlanResponse first;
  ASSERT_TRUE(Generate(ValidRequest("sizing"), &first).ok());
  const int32_t fits = first.plan().target_workers();
  v1::GeneratePlanRequest request = ValidRequest("steady");
  request.mutable_current_metrics()->set_current_workers(fits);
  v1::GeneratePlanResponse generated;
  ASSERT_TRUE(Generate(request, &generated).ok());
  const v1::CapacityPlan& plan = generated.plan();
  ASSERT_EQ(plan.steps_size(), 1) << plan.DebugString();
  EXPECT_EQ(plan.steps(0).action(), v1::SCALING_ACTION_NO_CHANGE);
  EXPECT_EQ(plan.steps(0).from_workers(), fits);
  EXPECT_EQ(plan.steps(0).to_workers(), fits);
  EXPECT_EQ(plan.target_workers(), fits);
  EXPECT_NE(plan.steps(0).rationale().find("no change"), std::string::npos)
      << plan.steps(0).rationale();
}

TEST_F(PlannerRpc, RetryWithTheSameRequestIdReturnsTheSamePlan) {
  v1::GeneratePlanRequest request = ValidRequest("retry");
  request.set_request_id("2f1e5a1c-6b0e-4c39-9d43-0d6a3a4a7b11");
  v1::GeneratePlanResponse first, second;
  ASSERT_TRUE(Generate(request, &first).ok());
  ASSERT_TRUE(Generate(request, &second).ok());
  EXPECT_EQ(first.plan().plan_id(), second.plan().plan_id());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 1);
}

TEST_F(PlannerRpc, ARequestIdReusedForAnotherRequestIsRefusedAndBelongsToItsQueue) {
  v1::GeneratePlanRequest request = ValidRequest("reuse");
  request.set_request_id("reused-key");
  v1::GeneratePlanResponse first;
  ASSERT_TRUE(Generate(request, &first).ok());

  v1::GeneratePlanRequest changed = request;
  changed.mutable_current_metrics()->set_arrival_rate_per_second(500);
  v1::GeneratePlanResponse refused;
  const grpc::Status status = Generate(changed, &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"request_id"});
  EXPECT_NE(status.error_message().find(first.plan().plan_id()), std::string::npos)
      << status.error_message();

  // The same key on another queue is another plan.
  v1::GeneratePlanRequest elsewhere = request;
  elsewhere.set_queue("reuse-elsewhere");
  v1::GeneratePlanResponse other;
  ASSERT_TRUE(Generate(elsewhere, &other).ok());
  EXPECT_NE(other.plan().plan_id(), first.plan().plan_id());
  EXPECT_EQ(Count("SELECT count(*) FROM plans WHERE request_id = 'reused-key'"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics WHERE queue = 'reuse'"), 1);
}

TEST_F(PlannerRpc, ConcurrentRetriesStoreOnePlan) {
  // Eight clients send the same request_id at once: the group-commit writer
  // may see them in one batch or several; all get the one stored plan.
  v1::GeneratePlanRequest request = ValidRequest("race");
  request.set_request_id("race-5b1d");
  std::vector<std::thread> clients;
  std::vector<std::string> plan_ids(8);
  std::vector<grpc::Status> statuses(8);
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&, i] {
      v1::GeneratePlanResponse response;
      statuses[i] = Generate(request, &response);
      plan_ids[i] = response.plan().plan_id();
    });
  }
  for (std::thread& client : clients) client.join();
  for (int i = 0; i < 8; ++i) {
    EXPECT_TRUE(statuses[i].ok()) << statuses[i].error_message();
    EXPECT_EQ(plan_ids[i], plan_ids[0]);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM plans WHERE plan_id::text = '" + plan_ids[0] + "'"), 1);
}

TEST_F(PlannerRpc, ManyQueuesAtOnceAreAllStored) {
  std::vector<std::thread> clients;
  std::atomic<int> failures{0};
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&, i] {
      for (int k = 0; k < 5; ++k) {
        v1::GeneratePlanResponse response;
        const grpc::Status status = Generate(ValidRequest("fleet-" + std::to_string(i)), &response);
        if (!status.ok()) {
          ++failures;
          ADD_FAILURE() << status.error_message();
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 80);
  EXPECT_EQ(Count("SELECT count(DISTINCT queue) FROM queue_metrics"), 16);
  EXPECT_EQ(Count("SELECT count(*) FROM plan_steps s JOIN plans p USING (plan_id)"),
            Count("SELECT count(*) FROM plan_steps"));
}

TEST_F(PlannerRpc, HistoryIsKeptBetweenCalls) {
  v1::GeneratePlanRequest request = ValidRequest("history");
  const int64_t start = absl::ToUnixSeconds(absl::Now()) - 3600;
  for (int i = 0; i < 3; ++i) {
    request.mutable_current_metrics()->mutable_observe_time()->set_seconds(start + 60 * i);
    v1::GeneratePlanResponse response;
    ASSERT_TRUE(Generate(request, &response).ok());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics WHERE queue = 'history'"), 3);
  // The linear model needs three points of history: now it has them.
  request.mutable_config()->set_forecast_model(v1::FORECAST_MODEL_LINEAR);
  request.mutable_current_metrics()->mutable_observe_time()->set_seconds(start + 180);
  request.mutable_config()->mutable_planning_interval()->set_seconds(60);
  v1::GeneratePlanResponse response;
  const grpc::Status status = Generate(request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(PlannerRpc, ListPlansPagesNewestFirst) {
  const int64_t start = absl::ToUnixSeconds(absl::Now()) - 3600;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    v1::GeneratePlanRequest request = ValidRequest("paged");
    request.mutable_current_metrics()->mutable_observe_time()->set_seconds(start + i);
    v1::GeneratePlanResponse response;
    ASSERT_TRUE(Generate(request, &response).ok());
    ids.push_back(response.plan().plan_id());
  }
  std::reverse(ids.begin(), ids.end());
  std::vector<std::string> listed;
  std::string token;
  int pages = 0;
  do {
    v1::ListPlansRequest list;
    list.set_queue("paged");
    list.set_page_size(2);
    list.set_page_token(token);
    v1::ListPlansResponse page;
    auto context = ContextWithDeadline(5s);
    const grpc::Status status = stub_->ListPlans(context.get(), list, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const auto& plan : page.plans()) listed.push_back(plan.plan_id());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(listed, ids);
  EXPECT_EQ(pages, 3);

  v1::ListPlansRequest other;  // a token of another queue is refused
  other.set_queue("other");
  v1::ListPlansRequest first;
  first.set_queue("paged");
  first.set_page_size(1);
  v1::ListPlansResponse page;
  auto context = ContextWithDeadline(5s);
  ASSERT_TRUE(stub_->ListPlans(context.get(), first, &page).ok());
  other.set_page_token(page.next_page_token());
  auto context2 = ContextWithDeadline(5s);
  EXPECT_EQ(stub_->ListPlans(context2.get(), other, &page).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(PlannerRpc, EveryErrorReasonIsReachableWithTheRightCode) {
  struct Case {
    const char* name;
    std::function<void(v1::GeneratePlanRequest&)> mutate;
    grpc::StatusCode code;
    std::string reason;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"NaN arrival rate",
       [](auto& r) {
         r.mutable_current_metrics()->set_arrival_rate_per_second(
             std::numeric_limits<double>::quiet_NaN());
       },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_METRICS",
       "current_metrics.arrival_rate_per_second"},
      {"negative rate",
       [](auto& r) { r.mutable_current_metrics()->set_arrival_rate_per_second(-1); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_METRICS",
       "current_metrics.arrival_rate_per_second"},
      {"utilization above 1", [](auto& r) { r.mutable_current_metrics()->set_utilization(1.5); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_METRICS", "current_metrics.utilization"},
      {"zero service time",
       [](auto& r) { r.mutable_current_metrics()->set_mean_service_time_seconds(0); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_METRICS",
       "current_metrics.mean_service_time_seconds"},
      {"infinite service time",
       [](auto& r) {
         r.mutable_current_metrics()->set_mean_service_time_seconds(
             std::numeric_limits<double>::infinity());
       },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_METRICS",
       "current_metrics.mean_service_time_seconds"},
      {"no metrics", [](auto& r) { r.clear_current_metrics(); }, grpc::StatusCode::INVALID_ARGUMENT,
       "INVALID_METRICS", "current_metrics"},
      {"bad queue name", [](auto& r) { r.set_queue("no spaces allowed"); },
       grpc::StatusCode::INVALID_ARGUMENT, "INVALID_METRICS", "queue"},
      {"min above max",
       [](auto& r) {
         r.mutable_config()->set_min_workers(10);
         r.mutable_config()->set_max_workers(5);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "CONFIG_INVALID", "config.min_workers"},
      {"inverted thresholds",
       [](auto& r) {
         r.mutable_config()->set_scale_up_threshold(0.5);
         r.mutable_config()->set_scale_down_threshold(0.7);
       },
       grpc::StatusCode::INVALID_ARGUMENT, "CONFIG_INVALID", "config.scale_down_threshold"},
      {"negative SLO", [](auto& r) { r.mutable_slo()->set_p95_latency_seconds(-1); },
       grpc::StatusCode::INVALID_ARGUMENT, "CONFIG_INVALID", "slo.p95_latency_seconds"},
      {"too many intervals",
       [](auto& r) { r.mutable_config()->mutable_planning_interval()->set_seconds(1); },
       grpc::StatusCode::INVALID_ARGUMENT, "CONFIG_INVALID", "config.planning_interval"},
      {"fleet model",
       [](auto& r) { r.mutable_config()->set_forecast_model(v1::FORECAST_MODEL_PROPHET); },
       grpc::StatusCode::INVALID_ARGUMENT, "MODEL_NOT_SUPPORTED", "config.forecast_model"},
      {"finite-buffer model",
       [](auto& r) { r.mutable_config()->set_queueing_model(v1::QUEUEING_MODEL_MMCK); },
       grpc::StatusCode::INVALID_ARGUMENT, "MODEL_NOT_SUPPORTED", "config.queueing_model"},
      {"linear model without history",
       [](auto& r) { r.mutable_config()->set_forecast_model(v1::FORECAST_MODEL_LINEAR); },
       grpc::StatusCode::FAILED_PRECONDITION, "INSUFFICIENT_HISTORY", "history"},
      {"SLO unachievable and flagged",
       [](auto& r) {
         r.mutable_config()->set_max_workers(5);
         r.set_fail_if_slo_unachievable(true);
       },
       grpc::StatusCode::FAILED_PRECONDITION, "SLO_UNACHIEVABLE", "config.max_workers"},
  };
  for (const Case& c : cases) {
    v1::GeneratePlanRequest request = ValidRequest("errors");
    c.mutate(request);
    v1::GeneratePlanResponse response;
    const grpc::Status status = Generate(request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.name << ": " << status.error_message();
    EXPECT_EQ(ErrorInfoReason(status), "horizonscale/" + c.reason) << c.name;
    const std::vector<std::string> fields = ViolatedFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << c.name << ": " << status.error_message();
  }
  // Nothing of a refused request was written.
  EXPECT_EQ(Count("SELECT count(*) FROM plans"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics"), 0);

  // Without the flag, the best-effort plan comes back, marked unachievable.
  v1::GeneratePlanRequest best_effort = ValidRequest("errors");
  best_effort.mutable_config()->set_max_workers(5);
  v1::GeneratePlanResponse response;
  ASSERT_TRUE(Generate(best_effort, &response).ok());
  EXPECT_FALSE(response.plan().slo_achievable());
  EXPECT_EQ(response.plan().target_workers(), 5);
  EXPECT_EQ(response.risk().level(), v1::RISK_LEVEL_CRITICAL);
}

TEST_F(PlannerRpc, GetPlanErrors) {
  v1::GetPlanRequest request;
  v1::GetPlanResponse response;
  request.set_plan_id("not-a-uuid");
  auto context = ContextWithDeadline(5s);
  EXPECT_EQ(stub_->GetPlan(context.get(), request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  request.set_plan_id("00000000-0000-4000-8000-000000000000");
  auto context2 = ContextWithDeadline(5s);
  const grpc::Status status = stub_->GetPlan(context2.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/NOT_FOUND");
}

TEST_F(PlannerRpc, EvaluateQueueAnswersTheTextbookCase) {
  // M/M/2 with λ = μ = 1: a = 1, ρ = 1/2, Erlang C = 1/3, Wq = C/(cμ − λ) = 1/3.
  v1::EvaluateQueueRequest request;
  request.set_arrival_rate_per_second(1);
  request.set_mean_service_time_seconds(1);
  request.add_worker_counts(2);
  request.add_worker_counts(1);  // ρ = 1: unstable
  request.mutable_slo()->set_p95_latency_seconds(5);
  v1::EvaluateQueueResponse response;
  auto context = ContextWithDeadline(5s);
  const grpc::Status status = stub_->EvaluateQueue(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.evaluations_size(), 2);
  EXPECT_NEAR(response.evaluations(0).probability_of_wait(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(response.evaluations(0).mean_wait_seconds(), 1.0 / 3, 1e-12);
  EXPECT_NEAR(response.evaluations(0).utilization(), 0.5, 1e-12);
  EXPECT_FALSE(response.evaluations(1).stable());
  EXPECT_TRUE(response.recommendation().achievable());
  EXPECT_GE(response.recommendation().workers(), 2);

  request.set_arrival_rate_per_second(std::numeric_limits<double>::infinity());
  auto context2 = ContextWithDeadline(5s);
  const grpc::Status bad = stub_->EvaluateQueue(context2.get(), request, &response);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(bad), std::vector<std::string>{"arrival_rate_per_second"});
}

TEST_F(PlannerRpc, EvaluateQueueBoundsMmckWorkBeforeStarting) {
  // Found by evaluate_queue_fuzz: 1,000 worker counts over a capacity of
  // 10,000,000 took 86 s of CPU. Refused at once, naming both fields.
  v1::EvaluateQueueRequest request;
  request.set_model(v1::QUEUEING_MODEL_MMCK);
  request.set_arrival_rate_per_second(118);
  request.set_mean_service_time_seconds(0.5);
  request.set_system_capacity(10'000'000);
  for (int i = 0; i < 1000; ++i) request.add_worker_counts(42 + i);
  v1::EvaluateQueueResponse response;
  auto context = ContextWithDeadline(5s);
  const auto start = std::chrono::steady_clock::now();
  const grpc::Status status = stub_->EvaluateQueue(context.get(), request, &response);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/EVALUATION_TOO_LARGE");
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"system_capacity", "worker_counts"}));

  // The same count asked 1,000 times is one evaluation (and within the
  // limit), answered for each.
  request.clear_worker_counts();
  request.set_system_capacity(100'000);
  for (int i = 0; i < 1000; ++i) request.add_worker_counts(i % 2 == 0 ? 42 : 60);
  auto context2 = ContextWithDeadline(5s);
  const grpc::Status repeated = stub_->EvaluateQueue(context2.get(), request, &response);
  ASSERT_TRUE(repeated.ok()) << repeated.error_message();
  ASSERT_EQ(response.evaluations_size(), 1000);
  EXPECT_EQ(response.evaluations(998).workers(), 42);
  EXPECT_EQ(response.evaluations(999).workers(), 60);
  EXPECT_DOUBLE_EQ(response.evaluations(999).mean_wait_seconds(),
                   response.evaluations(1).mean_wait_seconds());
}

TEST(PlannerRpcWithoutDatabase, GeneratePlanIsUnavailableNotACrash) {
  const int port = testing::FreeLoopbackPort();
  ServerProcess server(HS_SERVER_BINARY,
                       {"--listen=127.0.0.1:" + std::to_string(port),
                        "--database_url=postgresql://127.0.0.1:1/none", "--drain_timeout=1s"});
  auto channel = ConnectTo(port);
  auto health = Health::NewStub(channel);
  ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::NOT_SERVING),
            HealthCheckResponse::NOT_SERVING);
  auto stub = v1::CapacityPlannerService::NewStub(channel);
  v1::GeneratePlanResponse response;
  v1::GeneratePlanRequest request;
  request.set_queue("q");
  request.mutable_current_metrics()->set_arrival_rate_per_second(1);
  request.mutable_current_metrics()->set_mean_service_time_seconds(1);
  auto context = ContextWithDeadline(5s);
  const grpc::Status status = stub->GeneratePlan(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/DATABASE_UNAVAILABLE");
  stub.reset();
  health.reset();
  channel.reset();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitForExit(10s), std::optional<int>(0));
}

}  // namespace
}  // namespace horizonscale

// The queue resource end to end: the real server binary (two of them for
// the replica tests) on one real PostgreSQL database, generated stubs.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "tests/support/planner_rpc_fixture.h"
#include "tests/support/server_process.h"

namespace horizonscale {
namespace {

using google::protobuf::util::TimeUtil;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::PlannerRpc;
using testing::ViolatedFields;
using namespace std::chrono_literals;

// How long a replica's announcement is given to reach the other replica
// (PostgreSQL delivers it at commit; well under a millisecond on loopback).
constexpr auto kAnnouncementDelay = 50ms;

bool HasWarning(const v1::GeneratePlanResponse& response, const std::string& reason) {
  for (const v1::PlanWarning& warning : response.plan().warnings()) {
    if (warning.reason() == reason) return true;
  }
  return false;
}

// Whether the plan's first step scales at once (at its generation time).
bool ScalesNow(const v1::GeneratePlanResponse& response) {
  const v1::CapacityPlan& plan = response.plan();
  return plan.steps_size() > 0 && plan.steps(0).action() != v1::SCALING_ACTION_NO_CHANGE &&
         plan.steps(0).schedule_time() == plan.generate_time();
}

// `rate` jobs/s at 0.1 s each on `workers` workers, P95 target 1 s.
v1::GeneratePlanRequest Load(const std::string& queue, double rate, int workers) {
  v1::GeneratePlanRequest request = testing::ValidPlanRequest(queue);
  request.mutable_current_metrics()->set_arrival_rate_per_second(rate);
  request.mutable_current_metrics()->set_current_workers(workers);
  request.mutable_current_metrics()->clear_utilization();
  return request;
}

class QueueRpc : public PlannerRpc {
 protected:
  grpc::Status Update(const v1::UpdateQueueRequest& request, v1::Queue* out = nullptr) {
    auto context = ContextWithDeadline(10s);
    v1::UpdateQueueResponse response;
    grpc::Status status = stub_->UpdateQueue(context.get(), request, &response);
    if (out != nullptr) *out = response.queue();
    return status;
  }

  grpc::Status Get(const std::string& name, v1::Queue* out) {
    auto context = ContextWithDeadline(10s);
    v1::GetQueueRequest request;
    request.set_name(name);
    v1::GetQueueResponse response;
    grpc::Status status = stub_->GetQueue(context.get(), request, &response);
    *out = response.queue();
    return status;
  }

  grpc::Status Reset(const std::string& name, v1::Queue* out = nullptr,
                     v1::CapacityPlannerService::Stub* stub = nullptr) {
    auto context = ContextWithDeadline(10s);
    v1::ResetQueueRequest request;
    request.set_name(name);
    v1::ResetQueueResponse response;
    grpc::Status status =
        (stub != nullptr ? stub : stub_.get())->ResetQueue(context.get(), request, &response);
    if (out != nullptr) *out = response.queue();
    return status;
  }

  v1::GeneratePlanResponse MustPlan(const v1::GeneratePlanRequest& request,
                                    v1::CapacityPlannerService::Stub* stub = nullptr) {
    auto context = ContextWithDeadline(10s);
    v1::GeneratePlanResponse response;
    const grpc::Status status =
        (stub != nullptr ? stub : stub_.get())->GeneratePlan(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // A second server on the same database, SERVING; its stub.
  std::unique_ptr<v1::CapacityPlannerService::Stub> StartReplica() {
    replica_ = std::make_unique<testing::ServerProcess>(
        HS_SERVER_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:0", "--database_url=" + database_.url(),
                                 "--drain_timeout=2s"});
    const std::optional<int> port = replica_->ListeningPort(60s);
    EXPECT_TRUE(port.has_value()) << replica_->Log();
    replica_channel_ = testing::ConnectTo(port.value_or(0));
    auto health = grpc::health::v1::Health::NewStub(replica_channel_);
    EXPECT_EQ(testing::WaitForHealth(*health, "", grpc::health::v1::HealthCheckResponse::SERVING),
              grpc::health::v1::HealthCheckResponse::SERVING)
        << replica_->Log();
    return v1::CapacityPlannerService::NewStub(replica_channel_);
  }

  void TearDown() override {
    if (replica_ != nullptr) {
      replica_channel_.reset();
      replica_->Signal(SIGTERM);
      EXPECT_EQ(replica_->WaitForExit(15s), std::optional<int>(0)) << replica_->Log();
    }
    PlannerRpc::TearDown();
  }

  std::unique_ptr<testing::ServerProcess> replica_;
  std::shared_ptr<grpc::Channel> replica_channel_;
};

v1::UpdateQueueRequest Settings(const std::string& name) {
  v1::UpdateQueueRequest request;
  request.mutable_queue()->set_name(name);
  request.mutable_queue()->mutable_slo()->set_p95_latency_seconds(2.0);
  request.mutable_queue()->mutable_slo()->set_max_backlog(500);
  request.mutable_queue()->mutable_config()->set_max_workers(40);
  request.mutable_queue()->mutable_config()->mutable_cooldown_period()->set_seconds(600);
  return request;
}

TEST_F(QueueRpc, UpdateCreatesTheQueueAndGetReadsItBack) {
  v1::Queue updated;
  ASSERT_TRUE(Update(Settings("orders"), &updated).ok());
  v1::Queue read;
  ASSERT_TRUE(Get("orders", &read).ok());
  for (const v1::Queue* queue : {&updated, &read}) {
    EXPECT_EQ(queue->name(), "orders");
    EXPECT_EQ(queue->slo().p95_latency_seconds(), 2.0);
    EXPECT_EQ(queue->slo().max_backlog(), 500);
    EXPECT_EQ(queue->config().max_workers(), 40);
    EXPECT_EQ(queue->config().cooldown_period().seconds(), 600);
    EXPECT_TRUE(queue->has_create_time());
    EXPECT_TRUE(queue->has_update_time());
    EXPECT_FALSE(queue->has_last_action());
    EXPECT_EQ(queue->history_samples(), 0);
  }
  // Stored as JSON a SQL user can read.
  EXPECT_EQ(Count("SELECT (config->>'maxWorkers')::int FROM queues WHERE name = 'orders'"), 40);

  auto context = ContextWithDeadline(10s);
  v1::ListQueuesResponse listed;
  ASSERT_TRUE(stub_->ListQueues(context.get(), v1::ListQueuesRequest(), &listed).ok());
  ASSERT_EQ(listed.queues_size(), 1);
  EXPECT_EQ(listed.queues(0).name(), "orders");
}

TEST_F(QueueRpc, TheMaskChangesOnlyTheFieldsItNames) {
  ASSERT_TRUE(Update(Settings("orders")).ok());
  v1::UpdateQueueRequest change;
  change.mutable_queue()->set_name("orders");
  change.mutable_queue()->mutable_config()->set_max_workers(30);
  change.mutable_update_mask()->add_paths("config.max_workers");
  change.mutable_update_mask()->add_paths("slo.max_backlog");  // unset: cleared
  v1::Queue queue;
  ASSERT_TRUE(Update(change, &queue).ok());
  EXPECT_EQ(queue.config().max_workers(), 30);
  EXPECT_EQ(queue.config().cooldown_period().seconds(), 600);
  EXPECT_EQ(queue.slo().p95_latency_seconds(), 2.0);
  EXPECT_FALSE(queue.slo().has_max_backlog());
}

TEST_F(QueueRpc, BadUpdatesNameTheFieldAndStoreNothing) {
  ASSERT_TRUE(Update(Settings("orders")).ok());
  struct Case {
    std::string name;
    std::function<void(v1::UpdateQueueRequest&)> edit;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"unknown path", [](auto& r) { r.mutable_update_mask()->add_paths("name"); },
       "update_mask.paths[0]"},
      {"unknown field", [](auto& r) { r.mutable_update_mask()->add_paths("config.colour"); },
       "update_mask.paths[0]"},
      {"too deep",
       [](auto& r) { r.mutable_update_mask()->add_paths("config.cooldown_period.seconds"); },
       "update_mask.paths[0]"},
      {"bad value", [](auto& r) { r.mutable_queue()->mutable_config()->set_max_workers(0); },
       "queue.config.max_workers"},
      {"NaN in the SLO",
       [](auto& r) { r.mutable_queue()->mutable_slo()->set_p95_latency_seconds(std::nan("")); },
       "queue.slo.p95_latency_seconds"},
      {"min above the stored max",
       [](auto& r) {
         r.mutable_queue()->mutable_config()->set_min_workers(50);
         r.mutable_update_mask()->add_paths("config.min_workers");
       },
       "queue.config.min_workers"},
      {"bad name", [](auto& r) { r.mutable_queue()->set_name(std::string("a\0b", 3)); },
       "queue.name"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::UpdateQueueRequest request = Settings("orders");
    c.edit(request);
    const grpc::Status status = Update(request);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    const std::vector<std::string> fields = ViolatedFields(status);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << status.error_message();
  }
  v1::Queue queue;
  ASSERT_TRUE(Get("orders", &queue).ok());
  EXPECT_EQ(queue.config().max_workers(), 40);
  EXPECT_FALSE(queue.config().has_min_workers());

  EXPECT_EQ(Get("nowhere", &queue).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Reset("nowhere").error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Get("", &queue).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto context = ContextWithDeadline(10s);
  v1::ListQueuesRequest forged;
  forged.set_page_token("bm90IGEgdG9rZW4.AAAAAAAAAAAAAAAAAAAAAA");
  v1::ListQueuesResponse listed;
  const grpc::Status status = stub_->ListQueues(context.get(), forged, &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"page_token"});
}

TEST_F(QueueRpc, ListQueuesPagesByName) {
  for (const char* name : {"c", "a", "e", "b", "d"}) {
    v1::UpdateQueueRequest request = Settings(name);
    ASSERT_TRUE(Update(request).ok());
  }
  std::vector<std::string> names;
  v1::ListQueuesRequest request;
  request.set_page_size(2);
  for (int page = 0; page < 5; ++page) {
    auto context = ContextWithDeadline(10s);
    v1::ListQueuesResponse response;
    ASSERT_TRUE(stub_->ListQueues(context.get(), request, &response).ok());
    for (const v1::Queue& queue : response.queues()) names.push_back(queue.name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

// Stored settings are the defaults of every plan of the queue; a request's
// own fields override them.
TEST_F(QueueRpc, StoredSettingsApplyAndRequestFieldsOverrideThem) {
  v1::UpdateQueueRequest settings;
  settings.mutable_queue()->set_name("orders");
  settings.mutable_queue()->mutable_config()->set_max_workers(11);
  ASSERT_TRUE(Update(settings).ok());
  // 200 jobs/s at 0.1 s need about 23 workers.
  const v1::GeneratePlanResponse capped = MustPlan(Load("orders", 200, 10));
  EXPECT_EQ(capped.plan().target_workers(), 11);
  EXPECT_TRUE(HasWarning(capped, "CAPACITY_LIMIT_EXCEEDED"));
  EXPECT_FALSE(capped.plan().slo_achievable());

  v1::GeneratePlanRequest own = Load("orders", 200, 11);
  own.mutable_config()->set_max_workers(100);
  own.mutable_config()->mutable_cooldown_period()->set_seconds(0);
  const v1::GeneratePlanResponse overridden = MustPlan(own);
  EXPECT_GT(overridden.plan().target_workers(), 20);
  EXPECT_FALSE(HasWarning(overridden, "CAPACITY_LIMIT_EXCEEDED"));
}

// The state a plan leaves, and a reset that clears it: afterwards no
// cooldown holds, and resetting again changes nothing.
TEST_F(QueueRpc, ResetClearsHistoryAndTheCooldown) {
  const v1::GeneratePlanResponse first = MustPlan(Load("orders", 100, 10));
  ASSERT_TRUE(ScalesNow(first));
  v1::Queue queue;
  ASSERT_TRUE(Get("orders", &queue).ok());
  EXPECT_EQ(queue.history_samples(), 1);
  EXPECT_EQ(queue.last_plan_id(), first.plan().plan_id());
  EXPECT_EQ(queue.last_metrics().arrival_rate_per_second(), 100);
  ASSERT_TRUE(queue.has_last_action());
  EXPECT_EQ(queue.last_action().action(), v1::SCALING_ACTION_SCALE_UP);
  EXPECT_EQ(queue.last_action().workers(), first.plan().steps(0).to_workers());
  EXPECT_EQ(TimeUtil::DurationToSeconds(queue.cooldown_end_time() - queue.last_action().time()),
            300);  // the default cooldown

  // More load inside the cooldown: the scale-up waits, and says so.
  const int now_workers = first.plan().steps(0).to_workers();
  const v1::GeneratePlanResponse held = MustPlan(Load("orders", 300, now_workers));
  EXPECT_FALSE(ScalesNow(held));
  EXPECT_TRUE(HasWarning(held, "COOLDOWN_ACTIVE"));

  v1::Queue reset;
  ASSERT_TRUE(Reset("orders", &reset).ok());
  EXPECT_EQ(reset.history_samples(), 0);
  EXPECT_FALSE(reset.has_last_action());
  EXPECT_FALSE(reset.has_cooldown_end_time());
  EXPECT_TRUE(reset.has_reset_time());
  EXPECT_EQ(reset.last_plan_id(), held.plan().plan_id());  // plans stay
  v1::Queue again;
  ASSERT_TRUE(Reset("orders", &again).ok());
  EXPECT_EQ(again.history_samples(), 0);
  EXPECT_FALSE(again.has_last_action());
  EXPECT_EQ(Count("SELECT count(*) FROM queue_metrics WHERE queue = 'orders'"), 0);

  const v1::GeneratePlanResponse after = MustPlan(Load("orders", 300, now_workers));
  EXPECT_TRUE(ScalesNow(after));
  EXPECT_FALSE(HasWarning(after, "COOLDOWN_ACTIVE"));
}

// The third warning over gRPC (the other two are in the tests above): a
// rate four times its steady inline history.
TEST_F(QueueRpc, AnAnomalyIsAWarning) {
  v1::GeneratePlanRequest spike = Load("orders", 400, 16);
  const int64_t now = TimeUtil::TimestampToSeconds(TimeUtil::GetCurrentTime());
  for (int m = 120; m >= 1; --m) {
    v1::QueueMetrics* sample = spike.add_history();
    *sample->mutable_observe_time() = TimeUtil::SecondsToTimestamp(now - 60 * m);
    sample->set_arrival_rate_per_second(100 + (m % 2 == 0 ? 2.0 : -2.0));
    sample->set_mean_service_time_seconds(0.1);
    sample->set_current_workers(16);
  }
  *spike.mutable_current_metrics()->mutable_observe_time() = TimeUtil::SecondsToTimestamp(now);
  const v1::GeneratePlanResponse response = MustPlan(spike);
  EXPECT_TRUE(HasWarning(response, "ANOMALY_DETECTED"));
  EXPECT_TRUE(response.anomaly().detected());
}

// The queue methods need the database the queue lives in.
TEST_F(QueueRpc, MemoryOnlyServersRefuseTheQueueMethods) {
  TearDown();
  server_.reset();
  StartServer({"--persist_plans=false"});
  v1::Queue queue;
  const grpc::Status status = Get("orders", &queue);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/PERSISTENCE_DISABLED");
}

// Two replicas on one database: settings changed on one apply to the
// other's next plan, though the other held the queue in memory.
TEST_F(QueueRpc, ReplicasSeeEachOthersSettings) {
  auto replica = StartReplica();
  ASSERT_NE(replica, nullptr);
  const v1::GeneratePlanResponse before = MustPlan(Load("orders", 200, 10), replica.get());
  EXPECT_GT(before.plan().target_workers(), 20);
  v1::UpdateQueueRequest settings;
  settings.mutable_queue()->set_name("orders");
  settings.mutable_queue()->mutable_config()->set_max_workers(11);
  ASSERT_TRUE(Update(settings).ok());
  std::this_thread::sleep_for(kAnnouncementDelay);
  const v1::GeneratePlanResponse after = MustPlan(Load("orders", 200, 10), replica.get());
  EXPECT_LE(after.plan().target_workers(), 11);
  EXPECT_TRUE(HasWarning(after, "CAPACITY_LIMIT_EXCEEDED"));
}

// Two replicas: an action recorded by one starts the cooldown on the other,
// and a reset on one ends it on the other, though each held the queue in
// memory.
TEST_F(QueueRpc, ReplicasKeepOneCooldownAndOneReset) {
  auto replica = StartReplica();
  ASSERT_NE(replica, nullptr);
  // The replica holds the queue, with no action: its pool is pinned at 10.
  v1::GeneratePlanRequest pinned = Load("orders", 50, 10);
  pinned.mutable_config()->set_min_workers(10);
  pinned.mutable_config()->set_max_workers(10);
  ASSERT_FALSE(ScalesNow(MustPlan(pinned, replica.get())));

  // This server scales up now; the replica's next plan must wait.
  const v1::GeneratePlanResponse scaled = MustPlan(Load("orders", 100, 10));
  ASSERT_TRUE(ScalesNow(scaled));
  std::this_thread::sleep_for(kAnnouncementDelay);
  const v1::GeneratePlanResponse held = MustPlan(Load("orders", 300, 10), replica.get());
  EXPECT_FALSE(ScalesNow(held));
  EXPECT_TRUE(HasWarning(held, "COOLDOWN_ACTIVE"));

  // Reset on the replica: this server (holding the action) scales at once.
  ASSERT_TRUE(Reset("orders", nullptr, replica.get()).ok());
  std::this_thread::sleep_for(kAnnouncementDelay);
  const v1::GeneratePlanResponse after = MustPlan(Load("orders", 300, 10));
  EXPECT_TRUE(ScalesNow(after));
  EXPECT_FALSE(HasWarning(after, "COOLDOWN_ACTIVE"));
}

}  // namespace
}  // namespace horizonscale

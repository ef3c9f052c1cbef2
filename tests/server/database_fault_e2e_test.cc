// The database fails under load: the real server against a PostgreSQL
// cluster of the test's own, stopped (a crash: pg_ctl -m immediate) and
// started again while clients keep sending GeneratePlan. Every acknowledged
// plan survives, every failure says the database is unavailable, and health
// follows the database without restarting the server.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/planner_rpc_fixture.h"
#include "tests/support/private_cluster.h"
#include "tests/support/server_process.h"

namespace horizonscale {
namespace {

namespace v1 = horizonscale::v1;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using testing::ConnectTo;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::PrivateCluster;
using testing::ServerProcess;
using testing::WaitForHealth;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

v1::GeneratePlanRequest Request(const std::string& queue, const std::string& request_id) {
  v1::GeneratePlanRequest request = testing::ValidPlanRequest(queue);
  request.set_request_id(request_id);
  return request;
}

// Health.Check("") polled every 20 ms: when it first said NOT_SERVING and
// when it first said SERVING after that.
class HealthWatch {
 public:
  explicit HealthWatch(std::shared_ptr<grpc::Channel> channel)
      : health_(Health::NewStub(std::move(channel))), thread_([this] { Run(); }) {}
  ~HealthWatch() {
    stop_ = true;
    thread_.join();
  }
  std::optional<Clock::time_point> not_serving() {
    std::lock_guard lock(mutex_);
    return not_serving_;
  }
  std::optional<Clock::time_point> serving_again() {
    std::lock_guard lock(mutex_);
    return serving_again_;
  }

 private:
  void Run() {
    while (!stop_) {
      HealthCheckResponse response;
      auto context = ContextWithDeadline(1s);
      const grpc::Status status = health_->Check(context.get(), HealthCheckRequest(), &response);
      const Clock::time_point now = Clock::now();
      if (status.ok()) {
        std::lock_guard lock(mutex_);
        if (response.status() == HealthCheckResponse::NOT_SERVING && !not_serving_) {
          not_serving_ = now;
        } else if (response.status() == HealthCheckResponse::SERVING && not_serving_ &&
                   !serving_again_) {
          serving_again_ = now;
        }
      }
      std::this_thread::sleep_for(20ms);
    }
  }

  std::unique_ptr<Health::Stub> health_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::optional<Clock::time_point> not_serving_;    // guarded by mutex_
  std::optional<Clock::time_point> serving_again_;  // guarded by mutex_
  std::thread thread_;
};

TEST(DatabaseFault, ACrashedDatabaseLosesNoAcknowledgedPlanAndHealthFollowsIt) {
  PrivateCluster cluster;
  const int port = testing::FreeLoopbackPort();
  // The periodic check runs every 5 s while the database is up: the drop in
  // health within a second can only come from the failing requests.
  ServerProcess server(HS_SERVER_BINARY, {"--listen=127.0.0.1:" + std::to_string(port),
                                          "--database_url=" + cluster.url(), "--drain_timeout=2s",
                                          "--db_check_interval=5s"});
  std::shared_ptr<grpc::Channel> channel = ConnectTo(port);
  {
    auto health = Health::NewStub(channel);
    ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::SERVING),
              HealthCheckResponse::SERVING)
        << server.Log();
  }
  auto stub = v1::CapacityPlannerService::NewStub(channel);

  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<std::string> acknowledged;  // plan ids, guarded by mutex
  std::vector<std::string> unexpected;    // failures that are not UNAVAILABLE, guarded by mutex
  std::atomic<int> unavailable{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; !stop; ++i) {
        v1::GeneratePlanResponse response;
        auto context = ContextWithDeadline(10s);
        const grpc::Status status = stub->GeneratePlan(
            context.get(), Request(absl::StrCat("fault-", c), absl::StrCat("c", c, "-", i)),
            &response);
        std::lock_guard lock(mutex);
        if (status.ok()) {
          acknowledged.push_back(response.plan().plan_id());
        } else if (status.error_code() == grpc::StatusCode::UNAVAILABLE &&
                   ErrorInfoReason(status) == "horizonscale/DATABASE_UNAVAILABLE") {
          ++unavailable;
        } else {
          unexpected.push_back(absl::StrCat(status.error_code(), " ", ErrorInfoReason(status), ": ",
                                            status.error_message()));
        }
        if (!status.ok()) std::this_thread::sleep_for(10ms);
      }
    });
  }
  auto acknowledged_count = [&] {
    std::lock_guard lock(mutex);
    return acknowledged.size();
  };

  HealthWatch watch(channel);
  std::this_thread::sleep_for(1s);
  const size_t before_stop = acknowledged_count();
  const Clock::time_point stopped_at = Clock::now();
  cluster.Stop("immediate");
  std::this_thread::sleep_for(1500ms);
  const std::optional<Clock::time_point> not_serving = watch.not_serving();
  cluster.Start();
  const Clock::time_point restarted_at = Clock::now();
  while (!watch.serving_again() && Clock::now() - restarted_at < 15s) {
    std::this_thread::sleep_for(50ms);
  }
  const size_t at_recovery = acknowledged_count();
  std::this_thread::sleep_for(1s);
  stop = true;
  for (std::thread& client : clients) client.join();

  EXPECT_GT(before_stop, 0u) << server.Log();
  EXPECT_GT(acknowledged.size(), at_recovery) << "no plan after the restart\n" << server.Log();
  EXPECT_GT(unavailable, 0) << "the outage went unseen";
  EXPECT_TRUE(unexpected.empty()) << unexpected.size()
                                  << " failures, the first: " << unexpected.front() << "\n"
                                  << server.Log();
  ASSERT_TRUE(not_serving.has_value()) << "health never said NOT_SERVING\n" << server.Log();
  EXPECT_LE(*not_serving - stopped_at, 1s)
      << std::chrono::duration_cast<std::chrono::milliseconds>(*not_serving - stopped_at).count()
      << " ms";
  EXPECT_TRUE(watch.serving_again().has_value()) << "never SERVING again\n" << server.Log();

  // Every acknowledged plan is stored (read back by four clients).
  std::atomic<int> missing{0};
  std::vector<std::thread> readers;
  for (size_t r = 0; r < 4; ++r) {
    readers.emplace_back([&, r] {
      for (size_t i = r; i < acknowledged.size() && missing < 5; i += 4) {
        v1::GetPlanRequest get;
        get.set_plan_id(acknowledged[i]);
        v1::GetPlanResponse read;
        auto context = ContextWithDeadline(5s);
        const grpc::Status status = stub->GetPlan(context.get(), get, &read);
        if (!status.ok() || read.plan().plan_id() != acknowledged[i]) {
          ++missing;
          std::lock_guard lock(mutex);
          ADD_FAILURE() << acknowledged[i] << ": " << status.error_message();
        }
      }
    });
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged plans";
  std::printf(
      "acknowledged %zu plans (%zu before the stop), %d UNAVAILABLE; NOT_SERVING %lld ms "
      "after the stop\n",
      acknowledged.size(), before_stop, unavailable.load(),
      static_cast<long long>(
          std::chrono::duration_cast<std::chrono::milliseconds>(*not_serving - stopped_at)
              .count()));

  stub.reset();
  channel.reset();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitForExit(15s), std::optional<int>(0)) << server.Log();
}

}  // namespace
}  // namespace horizonscale

// SIGTERM under load: clients keep sending GeneratePlan while the server
// drains. The server exits 0 within its drain timeout, every plan it
// acknowledged is in the database, and every call it did not serve failed
// explicitly (UNAVAILABLE or CANCELLED: never INTERNAL, never a hang).
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/planner_rpc_fixture.h"

namespace horizonscale::testing {
namespace {

class ShutdownUnderLoad : public ServerRpcFixture<v1::CapacityPlannerService> {
 protected:
  ShutdownUnderLoad() : ServerRpcFixture(std::chrono::seconds(15)) {}
};

TEST_F(ShutdownUnderLoad, AcknowledgedPlansAreStoredAndTheRestFailExplicitly) {
  StartServer({"--drain_timeout=5s"});
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::multiset<int> failure_codes;
  std::vector<std::thread> clients;
  for (int c = 0; c < 8; ++c) {
    clients.emplace_back([&, c] {
      // A connection per client, as separate services would have.
      auto stub = v1::CapacityPlannerService::NewStub(ConnectTo(port_));
      for (int n = 0; !stop; ++n) {
        v1::GeneratePlanRequest request;
        request.set_queue("drain-" + std::to_string(c));
        request.set_request_id("drain-" + std::to_string(c) + "-" + std::to_string(n));
        v1::QueueMetrics* metrics = request.mutable_current_metrics();
        metrics->set_arrival_rate_per_second(50 + n % 10);
        metrics->set_mean_service_time_seconds(0.1);
        metrics->set_current_workers(6);
        request.mutable_slo()->set_p95_latency_seconds(1.0);
        v1::GeneratePlanResponse response;
        auto context = ContextWithDeadline(std::chrono::seconds(10));
        const grpc::Status status = stub->GeneratePlan(context.get(), request, &response);
        std::lock_guard lock(mutex);
        if (status.ok()) {
          acknowledged.push_back(response.plan().plan_id());
        } else {
          failure_codes.insert(status.error_code());
          // Once the server is gone every call fails fast: stop this client.
          if (status.error_code() == grpc::StatusCode::UNAVAILABLE) return;
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  size_t before_signal = 0;
  {
    std::lock_guard lock(mutex);
    before_signal = acknowledged.size();
  }
  server_->Signal(SIGTERM);
  const std::optional<int> exit_code = server_->WaitForExit(std::chrono::seconds(10));
  stop = true;
  for (std::thread& client : clients) client.join();
  ASSERT_EQ(exit_code, std::optional<int>(0)) << server_->Log();

  EXPECT_GT(before_signal, 50u) << "the load never got going";
  for (int code : failure_codes) {
    EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::CANCELLED)
        << "a call failed with code " << code;
  }
  // Every acknowledged plan was committed before its answer.
  pqxx::connection connection(database_.url());
  pqxx::nontransaction tx(connection);
  int64_t missing = 0;
  for (const std::string& plan_id : acknowledged) {
    missing +=
        tx.exec_params1("SELECT count(*) = 0 FROM plans WHERE plan_id = $1", plan_id)[0].as<bool>();
  }
  EXPECT_EQ(missing, 0) << "of " << acknowledged.size() << " acknowledged plans";
}

}  // namespace
}  // namespace horizonscale::testing

// A fixture for CapacityPlannerService end-to-end tests: the real server
// binary (HS_SERVER_BINARY, defined by the test target) on a loopback port
// with its own PostgreSQL database, SERVING before each test, drained and
// checked for a clean exit after it.
#pragma once

#include <signal.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/test_database.h"

namespace horizonscale::testing {

namespace v1 = horizonscale::v1;
using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckResponse;
using namespace std::chrono_literals;

class PlannerRpc : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = testing::FreeLoopbackPort();
    server_ = std::make_unique<ServerProcess>(
        HS_SERVER_BINARY,
        std::vector<std::string>{"--listen=127.0.0.1:" + std::to_string(port_),
                                 "--database_url=" + database_.url(), "--drain_timeout=2s"});
    channel_ = ConnectTo(port_);
    auto health = Health::NewStub(channel_);
    ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::SERVING),
              HealthCheckResponse::SERVING)
        << server_->Log();
    stub_ = v1::CapacityPlannerService::NewStub(channel_);
  }

  void TearDown() override {
    stub_.reset();
    channel_.reset();
    server_->Signal(SIGTERM);
    EXPECT_EQ(server_->WaitForExit(15s), std::optional<int>(0)) << server_->Log();
  }

  grpc::Status Generate(const v1::GeneratePlanRequest& request, v1::GeneratePlanResponse* out) {
    auto context = ContextWithDeadline(10s);
    return stub_->GeneratePlan(context.get(), request, out);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection connection(database_.url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  // A valid request: 100 jobs/s at 0.1 s on 10 workers, P95 target 1 s.
  static v1::GeneratePlanRequest ValidRequest(const std::string& queue) {
    v1::GeneratePlanRequest request;
    request.set_queue(queue);
    v1::QueueMetrics* metrics = request.mutable_current_metrics();
    metrics->set_arrival_rate_per_second(100);
    metrics->set_mean_service_time_seconds(0.1);
    metrics->set_current_workers(10);
    metrics->set_utilization(1.0);
    request.mutable_slo()->set_p95_latency_seconds(1.0);
    return request;
  }

  TestDatabase database_;
  int port_ = 0;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CapacityPlannerService::Stub> stub_;
};

}  // namespace horizonscale::testing

// A fixture for CapacityPlannerService end-to-end tests: the real server
// binary (HS_SERVER_BINARY, defined by the test target) on a loopback port
// with its own PostgreSQL database, SERVING before each test, drained and
// checked for a clean exit after it (tests/support/server_rpc_fixture.h).
#pragma once

#include <chrono>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_rpc_fixture.h"

namespace horizonscale::testing {

namespace v1 = horizonscale::v1;
using namespace std::chrono_literals;

// A valid request: 100 jobs/s at 0.1 s on 10 workers, P95 target 1 s.
inline v1::GeneratePlanRequest ValidPlanRequest(const std::string& queue) {
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

class PlannerRpc : public ServerRpcFixture<v1::CapacityPlannerService> {
 protected:
  PlannerRpc() : ServerRpcFixture(15s) {}

  void SetUp() override { StartServer(); }

  grpc::Status Generate(const v1::GeneratePlanRequest& request, v1::GeneratePlanResponse* out) {
    auto context = ContextWithDeadline(10s);
    return stub_->GeneratePlan(context.get(), request, out);
  }

  // A valid request for `queue` (ValidPlanRequest).
  static v1::GeneratePlanRequest ValidRequest(const std::string& queue) {
    return ValidPlanRequest(queue);
  }
};

}  // namespace horizonscale::testing

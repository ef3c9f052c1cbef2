// /metrics scraped by a real Prometheus (Debian's, HS_PROMETHEUS_BINARY):
// after known calls over gRPC and JSON, PromQL returns the expected counts
// under go-grpc-prometheus's names, the planner's per-queue series (capped
// by --metrics_max_queues), the plan writer's commits and the health.
#include <chrono>
#include <future>
#include <string>

#include <absl/strings/str_cat.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "tests/support/planner_rpc_fixture.h"
#include "tests/support/prometheus_process.h"

namespace horizonscale {
namespace {

using testing::ContextWithDeadline;
using namespace std::chrono_literals;

class MetricsScrape : public testing::PlannerRpc {
 protected:
  void SetUp() override {
    StartServer({"--metrics_max_queues=2"});
    const std::optional<int> port = server_->HttpPort(10s);
    ASSERT_TRUE(port.has_value()) << server_->Log();
    http_port_ = *port;
  }

  void EvaluateOverGrpc() {
    v1::EvaluateQueueRequest request;
    request.set_arrival_rate_per_second(1);
    request.set_mean_service_time_seconds(1);
    request.add_worker_counts(2);
    v1::EvaluateQueueResponse response;
    auto context = ContextWithDeadline(10s);
    ASSERT_TRUE(stub_->EvaluateQueue(context.get(), request, &response).ok());
  }

  int http_port_ = 0;
};

TEST_F(MetricsScrape, PrometheusSeesTheCallsAndPlans) {
  for (int i = 0; i < 3; ++i) EvaluateOverGrpc();
  httplib::Client http("127.0.0.1", http_port_);
  httplib::Result json =
      http.Post("/horizonscale.v1.CapacityPlannerService/EvaluateQueue",
                R"({"arrivalRatePerSecond":1,"meanServiceTimeSeconds":1,"workerCounts":[2]})",
                "application/json");
  ASSERT_TRUE(json);
  ASSERT_EQ(json->status, 200) << json->body;

  v1::GeneratePlanResponse response;
  v1::GeneratePlanRequest bad = ValidRequest("checkout");
  bad.mutable_current_metrics()->set_arrival_rate_per_second(-1);
  EXPECT_EQ(Generate(bad, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Generate(bad, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  int32_t checkout_target = 0;
  for (const char* queue : {"checkout", "billing", "search"}) {
    ASSERT_TRUE(Generate(ValidRequest(queue), &response).ok());
    if (std::string(queue) == "checkout") checkout_target = response.plan().target_workers();
  }

  testing::PrometheusProcess prometheus(HS_PROMETHEUS_BINARY,
                                        {absl::StrCat("127.0.0.1:", http_port_)});
  prometheus.Start();
  EXPECT_TRUE(prometheus.Says(R"(up{job="test"})", 1));
  EXPECT_TRUE(prometheus.Says(
      R"(grpc_server_handled_total{grpc_service="horizonscale.v1.CapacityPlannerService",grpc_method="EvaluateQueue",grpc_type="unary",grpc_code="OK"})",
      4));
  EXPECT_TRUE(prometheus.Says(
      R"(grpc_server_handled_total{grpc_method="GeneratePlan",grpc_code="InvalidArgument"})", 2));
  EXPECT_TRUE(prometheus.Says(R"(grpc_server_started_total{grpc_method="GeneratePlan"})", 5));
  EXPECT_TRUE(
      prometheus.Says(R"(grpc_server_handling_seconds_count{grpc_method="EvaluateQueue"})", 4));
  EXPECT_TRUE(
      prometheus.Says(R"(capacity_planner_generation_duration_seconds_count{outcome="OK"})", 3));
  EXPECT_TRUE(prometheus.Says(
      R"(capacity_planner_generation_duration_seconds_count{outcome="InvalidArgument"})", 2));
  // Per queue, for the first two queues planned; the third is counted as
  // dropped.
  EXPECT_TRUE(prometheus.Says(R"(capacity_planner_plan_target_workers{queue="checkout"})",
                              checkout_target));
  EXPECT_TRUE(prometheus.Says(R"(capacity_planner_plan_slo_achievable{queue="billing"})", 1));
  EXPECT_TRUE(prometheus.Says(R"(count(capacity_planner_plan_target_workers))", 2));
  EXPECT_TRUE(prometheus.Says("capacity_planner_queue_series_dropped_total", 1));
  // Three plans committed by the plan writer, in however many batches.
  EXPECT_TRUE(prometheus.Says("horizonscale_plan_writer_batch_size_sum", 3));
  EXPECT_TRUE(prometheus.Says(R"(horizonscale_health_serving{service=""})", 1));
  EXPECT_TRUE(prometheus.Says(R"(horizonscale_db_pool_connections{state="capacity"})", 8));
  // A scrape's own call: the health Check over gRPC is counted as well.
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest check;
  grpc::health::v1::HealthCheckResponse status;
  auto context = ContextWithDeadline(10s);
  ASSERT_TRUE(health->Check(context.get(), check, &status).ok());
  EXPECT_TRUE(prometheus.Says(
      R"(sum(grpc_server_handled_total{grpc_service="grpc.health.v1.Health",grpc_method="Check",grpc_code="OK"}) >= bool 1)",
      1));
}

// Methods nobody serves add no series, whatever a client calls.
TEST_F(MetricsScrape, UnknownMethodsShareOneSeries) {
  grpc::GenericStub stub(channel_);
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    grpc::Slice empty("");
    grpc::ByteBuffer request(&empty, 1);
    grpc::ByteBuffer response;
    std::promise<grpc::Status> ended;
    stub.UnaryCall(&context, absl::StrCat("/evil.Service/Method", i), grpc::StubOptions(), &request,
                   &response,
                   [&ended](grpc::Status status) { ended.set_value(std::move(status)); });
    EXPECT_EQ(ended.get_future().get().error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  httplib::Client http("127.0.0.1", http_port_);
  httplib::Result metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->body.find("evil"), std::string::npos) << metrics->body;
}

}  // namespace
}  // namespace horizonscale

// KEDA's external-scaler contract end to end: the real server binary on a
// real PostgreSQL, and a client generated from the same
// externalscaler.proto playing KEDA (GetMetricSpec, GetMetrics, IsActive,
// the streams), with the HPA's formula applied to what it gets.
#include <chrono>
#include <cmath>
#include <string>
#include <thread>

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "externalscaler/externalscaler.grpc.pb.h"
#include "tests/support/planner_rpc_fixture.h"

namespace horizonscale {
namespace {

namespace es = externalscaler;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::ViolatedFields;
using namespace std::chrono_literals;

// What the HPA does with an AverageValue target of 1 and its default
// tolerance 0.1 (Kubernetes' replica calculator).
int HpaReplicas(int64_t metric, int current) {
  const double ratio = static_cast<double>(metric) / current;
  if (current > 0 && std::abs(1.0 - ratio) <= 0.1) return current;
  return static_cast<int>(std::ceil(static_cast<double>(metric)));
}

class ExternalScalerE2e : public testing::PlannerRpc {
 protected:
  void SetUp() override {
    PlannerRpc::SetUp();
    scaler_ = es::ExternalScaler::NewStub(channel_);
  }

  void TearDown() override {
    scaler_.reset();
    PlannerRpc::TearDown();
  }

  static es::ScaledObjectRef Ref(
      std::initializer_list<std::pair<const std::string, std::string>> metadata) {
    es::ScaledObjectRef ref;
    ref.set_name("workers");
    ref.set_namespace_("jobs");
    for (const auto& [key, value] : metadata) (*ref.mutable_scalermetadata())[key] = value;
    (*ref.mutable_scalermetadata())["scalerAddress"] = "horizonscale.horizonscale:50051";
    return ref;
  }

  // Pushes metrics through GeneratePlan (P95 1 s stored nowhere: sent
  // each time, as a sidecar would); returns the plan.
  v1::CapacityPlan Push(const std::string& queue, double rate, int workers, int min_workers = 1) {
    v1::GeneratePlanRequest request = testing::ValidPlanRequest(queue);
    request.mutable_current_metrics()->set_arrival_rate_per_second(rate);
    request.mutable_current_metrics()->set_current_workers(workers);
    request.mutable_current_metrics()->clear_utilization();
    request.mutable_config()->set_min_workers(min_workers);
    v1::GeneratePlanResponse response;
    const grpc::Status status = Generate(request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.plan();
  }

  grpc::Status Metrics(const es::ScaledObjectRef& ref, es::GetMetricsResponse* out) {
    es::GetMetricsRequest request;
    *request.mutable_scaledobjectref() = ref;
    request.set_metricname("s0-horizonscale-orders");
    auto context = ContextWithDeadline(10s);
    return scaler_->GetMetrics(context.get(), request, out);
  }

  int64_t MustMetric(const es::ScaledObjectRef& ref) {
    es::GetMetricsResponse response;
    const grpc::Status status = Metrics(ref, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (response.metricvalues_size() != 1) {
      ADD_FAILURE() << response.DebugString();
      return -1;
    }
    const es::MetricValue& value = response.metricvalues(0);
    EXPECT_EQ(value.metricname(), "s0-horizonscale-orders");
    EXPECT_EQ(static_cast<double>(value.metricvalue()), value.metricvaluefloat());
    return value.metricvalue();
  }

  bool MustActive(const es::ScaledObjectRef& ref) {
    es::IsActiveResponse response;
    auto context = ContextWithDeadline(10s);
    const grpc::Status status = scaler_->IsActive(context.get(), ref, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.result();
  }

  // The least workers meeting P95 <= 1 s at `rate` jobs/s of 0.1 s (M/M/c),
  // by EvaluateQueue.
  int LeastWorkers(double rate) {
    v1::EvaluateQueueRequest request;
    request.set_arrival_rate_per_second(rate);
    request.set_mean_service_time_seconds(0.1);
    request.mutable_slo()->set_p95_latency_seconds(1.0);
    v1::EvaluateQueueResponse response;
    auto context = ContextWithDeadline(10s);
    const grpc::Status status = stub_->EvaluateQueue(context.get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.recommendation().workers();
  }

  std::unique_ptr<es::ExternalScaler::Stub> scaler_;
};

TEST_F(ExternalScalerE2e, TheSpecIsOneMetricWithTargetOne) {
  es::GetMetricSpecResponse response;
  auto context = ContextWithDeadline(10s);
  ASSERT_TRUE(scaler_->GetMetricSpec(context.get(), Ref({{"queue", "Orders.EU"}}), &response).ok());
  ASSERT_EQ(response.metricspecs_size(), 1);
  EXPECT_EQ(response.metricspecs(0).metricname(), "horizonscale-orders-eu");
  EXPECT_EQ(response.metricspecs(0).targetsize(), 1);
  EXPECT_EQ(response.metricspecs(0).targetsizefloat(), 1.0);
}

TEST_F(ExternalScalerE2e, TheHpaLandsOnThePlanAsTrafficRamps) {
  const es::ScaledObjectRef ref = Ref({{"queue", "orders"}, {"slo.p95LatencySeconds", "1"}});
  int replicas = 10;
  for (double rate : {50.0, 100.0, 200.0, 400.0}) {
    Push("orders", rate, replicas);
    const int64_t metric = MustMetric(ref);
    // The plan's workers now: at least what M/M/c needs at the current rate;
    // a scale-up to at most what it needs at twice the rate (the forecast's
    // 90 % upper bound, wide on a few samples, and the 15 % safety margin),
    // one scaling step (15) at most; a scale-down waits (stabilization).
    EXPECT_GE(metric, LeastWorkers(rate)) << "rate " << rate;
    EXPECT_LE(metric, std::max(replicas, LeastWorkers(rate * 2))) << "rate " << rate;
    EXPECT_LE(metric - replicas, 15) << "rate " << rate;
    // The HPA, given the metric, goes there (every change here is > 10 %).
    const int next = HpaReplicas(metric, replicas);
    if (metric != replicas) {
      EXPECT_EQ(next, metric) << "rate " << rate;
    }
    EXPECT_TRUE(MustActive(ref));
    replicas = next;  // KEDA applied it
  }
  EXPECT_GE(replicas, LeastWorkers(400));
}

TEST_F(ExternalScalerE2e, AnIdleQueueScalesToZero) {
  const es::ScaledObjectRef ref =
      Ref({{"queue", "nightly"}, {"slo.p95LatencySeconds", "1"}, {"config.minWorkers", "0"}});
  Push("nightly", 0, 0, /*min_workers=*/0);
  EXPECT_FALSE(MustActive(ref));
  EXPECT_EQ(MustMetric(ref), 0);
  Push("nightly", 20, 0, /*min_workers=*/0);
  EXPECT_TRUE(MustActive(ref));
  EXPECT_GE(MustMetric(ref), LeastWorkers(20));
}

TEST_F(ExternalScalerE2e, StreamIsActiveFollowsTheMetricsAndStartsWithTheCurrentValue) {
  const es::ScaledObjectRef ref =
      Ref({{"queue", "bursty"}, {"slo.p95LatencySeconds", "1"}, {"config.minWorkers", "0"}});
  Push("bursty", 0, 0, /*min_workers=*/0);
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 30s);
    auto stream = scaler_->StreamIsActive(&context, ref);
    es::IsActiveResponse message;
    ASSERT_TRUE(stream->Read(&message));
    EXPECT_FALSE(message.result());
    const auto pushed = std::chrono::steady_clock::now();
    Push("bursty", 50, 0, /*min_workers=*/0);
    ASSERT_TRUE(stream->Read(&message));
    EXPECT_TRUE(message.result());
    // Pushed on the change, not on the 5 s recheck.
    EXPECT_LT(std::chrono::steady_clock::now() - pushed, 2s);
    context.TryCancel();
    while (stream->Read(&message)) {
    }
    stream->Finish();
  }
  // A client that reconnects gets the current value first.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 30s);
  auto stream = scaler_->StreamIsActive(&context, ref);
  es::IsActiveResponse message;
  ASSERT_TRUE(stream->Read(&message));
  EXPECT_TRUE(message.result());
  context.TryCancel();
  while (stream->Read(&message)) {
  }
  stream->Finish();
}

TEST_F(ExternalScalerE2e, StreamMetricSpecSendsTheSpecAndEndsWithTheServer) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 60s);
  auto stream = scaler_->StreamMetricSpec(&context, Ref({{"queue", "orders"}}));
  es::GetMetricSpecResponse message;
  ASSERT_TRUE(stream->Read(&message));
  ASSERT_EQ(message.metricspecs_size(), 1);
  EXPECT_EQ(message.metricspecs(0).metricname(), "horizonscale-orders");
  // The drain ends the open stream at once (not after --drain_timeout).
  const auto signalled = std::chrono::steady_clock::now();
  server_->Signal(SIGTERM);
  EXPECT_FALSE(stream->Read(&message));
  const grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 1500ms);
}

TEST_F(ExternalScalerE2e, BadMetadataIsNamedReadably) {
  es::GetMetricsResponse response;
  grpc::Status status = Metrics(Ref({{"queue", "never-seen"}}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("never-seen"), std::string::npos);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"scalerMetadata.queue"});

  status = Metrics(Ref({{"queue", "orders"}, {"slo.p95LatencySeconds", "fast"}}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status),
            std::vector<std::string>{"scalerMetadata.slo.p95LatencySeconds"});
  EXPECT_NE(status.error_message().find("must be a number"), std::string::npos);

  status = Metrics(Ref({}), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INVALID_REQUEST");

  es::IsActiveResponse active;
  auto context = ContextWithDeadline(10s);
  status = scaler_->IsActive(context.get(), Ref({{"queue", "orders"}, {"prometheusAddres", "x"}}),
                             &active);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("scalerMetadata.prometheusAddres"), std::string::npos);
}

TEST_F(ExternalScalerE2e, AnsweredPollsAreNotLoggedAtInfoButFailuresAre) {
  Push("orders", 100, 10);
  const es::ScaledObjectRef ref = Ref({{"queue", "orders"}, {"slo.p95LatencySeconds", "1"}});
  for (int i = 0; i < 10; ++i) MustMetric(ref);
  es::GetMetricsResponse response;
  EXPECT_EQ(Metrics(Ref({{"queue", "never-seen"}}), &response).error_code(),
            grpc::StatusCode::NOT_FOUND);
  const std::string failed = "method=/externalscaler.ExternalScaler/GetMetrics code=NOT_FOUND";
  for (int i = 0; i < 50 && server_->Log().find(failed) == std::string::npos; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  const std::string log = server_->Log();
  EXPECT_NE(log.find(failed), std::string::npos) << log;
  EXPECT_EQ(log.find("method=/externalscaler.ExternalScaler/GetMetrics code=OK"), std::string::npos)
      << log;
}

TEST_F(ExternalScalerE2e, AReplicaSeesMetricsAnotherStored) {
  // Metrics stored by a plan are read from the database by a scaler that
  // never heard of them (as when KEDA reaches another replica).
  Push("orders", 100, 10);
  testing::ServerProcess replica(
      HS_SERVER_BINARY,
      {"--listen=127.0.0.1:0", "--database_url=" + database_.url(), "--drain_timeout=2s"});
  const std::optional<int> port = replica.ListeningPort(60s);
  ASSERT_TRUE(port.has_value()) << replica.Log();
  auto channel = testing::ConnectTo(*port);
  auto health = grpc::health::v1::Health::NewStub(channel);
  ASSERT_EQ(testing::WaitForHealth(*health, "", grpc::health::v1::HealthCheckResponse::SERVING),
            grpc::health::v1::HealthCheckResponse::SERVING);
  auto scaler = es::ExternalScaler::NewStub(channel);
  es::GetMetricsRequest request;
  *request.mutable_scaledobjectref() = Ref({{"queue", "orders"}, {"slo.p95LatencySeconds", "1"}});
  es::GetMetricsResponse response;
  auto context = ContextWithDeadline(10s);
  const grpc::Status status = scaler->GetMetrics(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.metricvalues_size(), 1);
  EXPECT_GE(response.metricvalues(0).metricvalue(), LeastWorkers(100));
  scaler.reset();
  health.reset();
  channel.reset();
  replica.Signal(SIGTERM);
  EXPECT_EQ(replica.WaitForExit(15s), std::optional<int>(0)) << replica.Log();
}

}  // namespace
}  // namespace horizonscale

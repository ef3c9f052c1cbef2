// The KEDA scaler's Prometheus source end to end: a real Prometheus
// (Debian's, HS_PROMETHEUS_BINARY) scrapes a fixture exporter this test
// controls; the real server pulls the queue's metrics from it through the
// ScaledObject's queries; Prometheus stopped mid-test and started again.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "externalscaler/externalscaler.grpc.pb.h"
#include "tests/support/planner_rpc_fixture.h"
#include "tests/support/prometheus_process.h"
#include "tests/support/server_process.h"

namespace horizonscale {
namespace {

namespace es = externalscaler;
using testing::ContextWithDeadline;
using namespace std::chrono_literals;

// A /metrics endpoint whose gauges the test sets.
class FixtureExporter {
 public:
  FixtureExporter() {
    server_.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
      std::lock_guard lock(mutex_);
      response.set_content(
          absl::StrCat("# TYPE fixture_arrival_rate gauge\nfixture_arrival_rate ", arrival_rate_,
                       "\n# TYPE fixture_service_seconds gauge\nfixture_service_seconds ",
                       service_seconds_, "\n# TYPE fixture_workers gauge\nfixture_workers ",
                       workers_, "\n# TYPE fixture_pods gauge\nfixture_pods{pod=\"a\"} 1\n",
                       "fixture_pods{pod=\"b\"} 1\n"),
          "text/plain; version=0.0.4");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FixtureExporter() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  void Set(double arrival_rate, double service_seconds, int workers) {
    std::lock_guard lock(mutex_);
    arrival_rate_ = arrival_rate;
    service_seconds_ = service_seconds;
    workers_ = workers;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  double arrival_rate_ = 0;
  double service_seconds_ = 0.1;
  int workers_ = 1;
};

class PrometheusSourceE2e : public testing::PlannerRpc {
 protected:
  void SetUp() override {
    StartServer({"--scaler_metrics_refresh=200ms"});
    scaler_ = es::ExternalScaler::NewStub(channel_);
  }

  void TearDown() override {
    scaler_.reset();
    prometheus_.Stop();
    PlannerRpc::TearDown();
  }

  void StartPrometheus() { prometheus_.Start(); }
  void StopPrometheus() { prometheus_.Stop(); }
  bool PrometheusSays(const std::string& query, double value) {
    return prometheus_.Says(query, value);
  }

  es::ScaledObjectRef Ref(const std::string& arrival_query = "fixture_arrival_rate") const {
    es::ScaledObjectRef ref;
    ref.set_name("orders-workers");
    ref.set_namespace_("shop");
    auto& metadata = *ref.mutable_scalermetadata();
    metadata["queue"] = "orders";
    metadata["slo.p95LatencySeconds"] = "1";
    metadata["prometheusAddress"] = absl::StrCat("http://127.0.0.1:", prometheus_.port());
    metadata["arrivalRateQuery"] = arrival_query;
    metadata["serviceTimeQuery"] = "fixture_service_seconds";
    metadata["workersQuery"] = "sum(fixture_workers)";
    metadata["metricsMaxAge"] = "1m";
    metadata["planExpiry"] = "3s";
    return ref;
  }

  grpc::Status Metric(const es::ScaledObjectRef& ref, int64_t* value) {
    es::GetMetricsRequest request;
    *request.mutable_scaledobjectref() = ref;
    request.set_metricname("s0-horizonscale-orders");
    es::GetMetricsResponse response;
    auto context = ContextWithDeadline(20s);
    grpc::Status status = scaler_->GetMetrics(context.get(), request, &response);
    if (status.ok()) *value = response.metricvalues(0).metricvalue();
    return status;
  }

  int64_t MustMetric() {
    int64_t value = -1;
    const grpc::Status status = Metric(Ref(), &value);
    EXPECT_TRUE(status.ok()) << status.error_message() << "\n" << server_->Log();
    return value;
  }

  // Whether the server's log says `text` within 2 s.
  bool Logged(const std::string& text) {
    for (int i = 0; i < 100; ++i) {
      if (server_->Log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  FixtureExporter exporter_;
  std::unique_ptr<es::ExternalScaler::Stub> scaler_;
  testing::PrometheusProcess prometheus_{HS_PROMETHEUS_BINARY,
                                         {absl::StrCat("127.0.0.1:", exporter_.port())}};
};

TEST_F(PrometheusSourceE2e, MetricsArePulledAndPlannedAndAnOutageFailsSafe) {
  // 300 jobs/s at 0.1 s on 10 workers: 30 Erlangs, one scaling step (15)
  // allowed now.
  exporter_.Set(300, 0.1, 10);
  StartPrometheus();
  ASSERT_TRUE(PrometheusSays("fixture_arrival_rate", 300));
  EXPECT_EQ(MustMetric(), 25);

  // The pulled metrics join the queue's history (a stored plan each).
  v1::Queue queue;
  for (int i = 0; i < 100 && queue.history_samples() == 0; ++i) {
    std::this_thread::sleep_for(100ms);
    auto context = ContextWithDeadline(10s);
    v1::GetQueueRequest request;
    request.set_name("orders");
    v1::GetQueueResponse response;
    if (stub_->GetQueue(context.get(), request, &response).ok()) queue = response.queue();
  }
  EXPECT_GE(queue.history_samples(), 1);
  EXPECT_EQ(queue.last_metrics().arrival_rate_per_second(), 300);
  EXPECT_EQ(queue.last_metrics().current_workers(), 10);

  // The pool grew to 25 and the load doubles: the next step.
  exporter_.Set(600, 0.1, 25);
  ASSERT_TRUE(PrometheusSays("fixture_arrival_rate", 600));
  std::this_thread::sleep_for(300ms);  // past --scaler_metrics_refresh
  EXPECT_EQ(MustMetric(), 40);

  // Prometheus goes away: the last good plan, then the pool held. (Past
  // twice the refresh, so the call itself asks Prometheus rather than
  // taking the cached answer while a background read fails.)
  StopPrometheus();
  std::this_thread::sleep_for(500ms);
  EXPECT_EQ(MustMetric(), 40);
  EXPECT_TRUE(Logged("basis=last_good_plan")) << server_->Log();
  std::this_thread::sleep_for(3s);  // past planExpiry
  EXPECT_EQ(MustMetric(), 25);
  EXPECT_TRUE(Logged("basis=hold_current")) << server_->Log();

  // Back: plans again, no restart of the server.
  StartPrometheus();
  ASSERT_TRUE(PrometheusSays("fixture_arrival_rate", 600));
  EXPECT_EQ(MustMetric(), 40);
  EXPECT_TRUE(Logged("basis=plan")) << server_->Log();
}

TEST_F(PrometheusSourceE2e, BadQueriesAreNamed) {
  exporter_.Set(300, 0.1, 10);
  StartPrometheus();
  ASSERT_TRUE(PrometheusSays("fixture_arrival_rate", 300));
  int64_t value = 0;
  // PromQL Prometheus refuses: the metadata's fault.
  grpc::Status status = Metric(Ref("sum(fixture_arrival_rate"), &value);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(testing::ViolatedFields(status),
            std::vector<std::string>{"scalerMetadata.arrivalRateQuery"});
  // Two series where one number is needed.
  status = Metric(Ref("fixture_pods"), &value);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
  EXPECT_NE(status.error_message().find("returned 2 series"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(testing::ViolatedFields(status),
            std::vector<std::string>{"scalerMetadata.arrivalRateQuery"});
  // No series at all.
  status = Metric(Ref("no_such_metric"), &value);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

}  // namespace
}  // namespace horizonscale

// ScaledObject metadata: every key kind, canonical keys, and errors that
// name the key.
#include "server/keda/scaler_metadata.h"

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace horizonscale::server {
namespace {

using Metadata = google::protobuf::Map<std::string, std::string>;

Metadata Of(std::initializer_list<std::pair<const std::string, std::string>> entries) {
  Metadata metadata;
  for (const auto& [key, value] : entries) metadata[key] = value;
  return metadata;
}

// The field paths of `status`'s BadRequest.
std::vector<std::string> Fields(const grpc::Status& status) {
  google::rpc::Status details;
  std::vector<std::string> fields;
  if (!details.ParseFromString(status.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.UnpackTo(&bad)) {
      for (const auto& violation : bad.field_violations()) fields.push_back(violation.field());
    }
  }
  return fields;
}

TEST(ScalerMetadata, QueueAloneTakesTheDefaults) {
  ScalerTarget target;
  ASSERT_TRUE(ParseScalerMetadata(Of({{"queue", "orders"}}), &target).ok());
  EXPECT_EQ(target.queue, "orders");
  EXPECT_DOUBLE_EQ(target.hpa_tolerance, 0.1);
  EXPECT_EQ(target.metrics_max_age, absl::Minutes(5));
  EXPECT_EQ(target.plan_expiry, absl::Minutes(10));
  EXPECT_EQ(target.slo.ByteSizeLong(), 0u);
  EXPECT_EQ(target.config.ByteSizeLong(), 0u);
}

TEST(ScalerMetadata, SloAndConfigFieldsByJsonOrProtoName) {
  ScalerTarget target;
  const grpc::Status status =
      ParseScalerMetadata(Of({{"queue", "orders"},
                              {"slo.p95LatencySeconds", "0.5"},
                              {"slo.max_backlog", "200"},
                              {"slo.drainTime", "5m"},
                              {"config.minWorkers", "0"},
                              {"config.max_workers", "40"},
                              {"config.provisioningLeadTime", "90s"},
                              {"config.forecastModel", "forecast_model_auto"},
                              {"hpaTolerance", "0"},
                              {"metricsMaxAge", "2m"},
                              {"planExpiry", "1h"},
                              {"scalerAddress", "horizonscale.horizonscale.svc:50051"}}),
                          &target);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_DOUBLE_EQ(target.slo.p95_latency_seconds(), 0.5);
  EXPECT_EQ(target.slo.max_backlog(), 200);
  EXPECT_EQ(target.slo.drain_time().seconds(), 300);
  ASSERT_TRUE(target.config.has_min_workers());
  EXPECT_EQ(target.config.min_workers(), 0);
  EXPECT_EQ(target.config.max_workers(), 40);
  EXPECT_EQ(target.config.provisioning_lead_time().seconds(), 90);
  EXPECT_EQ(target.config.forecast_model(), v1::FORECAST_MODEL_AUTO);
  EXPECT_DOUBLE_EQ(target.hpa_tolerance, 0);
  EXPECT_EQ(target.metrics_max_age, absl::Minutes(2));
  EXPECT_EQ(target.plan_expiry, absl::Hours(1));
}

TEST(ScalerMetadata, TheKeyIsCanonicalAndIgnoresKedasOwnKeys) {
  ScalerTarget a, b, c;
  ASSERT_TRUE(ParseScalerMetadata(Of({{"queue", "q"}, {"config.maxWorkers", "9"}}), &a).ok());
  ASSERT_TRUE(ParseScalerMetadata(
                  Of({{"config.maxWorkers", "9"}, {"queue", "q"}, {"scalerAddress", "x:1"}}), &b)
                  .ok());
  ASSERT_TRUE(ParseScalerMetadata(Of({{"queue", "q"}, {"config.maxWorkers", "10"}}), &c).ok());
  EXPECT_EQ(a.key, b.key);
  EXPECT_NE(a.key, c.key);
}

TEST(ScalerMetadata, EachBadKeyIsNamed) {
  ScalerTarget target;
  const grpc::Status status =
      ParseScalerMetadata(Of({{"queue", "orders"},
                              {"slo.p95LatencySecond", "1"},
                              {"config.maxWorkers", "many"},
                              {"config.forecastModel", "FORECAST_MODEL_CRYSTAL_BALL"},
                              {"hpaTolerance", "1.5"},
                              {"planExpiry", "soon"},
                              {"queu", "typo"}}),
                          &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = Fields(status);
  for (const char* key : {"scalerMetadata.slo.p95LatencySecond", "scalerMetadata.config.maxWorkers",
                          "scalerMetadata.config.forecastModel", "scalerMetadata.hpaTolerance",
                          "scalerMetadata.planExpiry", "scalerMetadata.queu"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), key), fields.end()) << key;
    EXPECT_NE(status.error_message().find(key), std::string::npos) << status.error_message();
  }
}

TEST(ScalerMetadata, TheQueueIsRequiredAndChecked) {
  ScalerTarget target;
  grpc::Status status = ParseScalerMetadata(Of({{"config.maxWorkers", "9"}}), &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"scalerMetadata.queue"});
  status = ParseScalerMetadata(Of({{"queue", std::string("a\0b", 3)}}), &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"scalerMetadata.queue"});
  status = ParseScalerMetadata(Of({{"queue", "\xff\xfe"}}), &target);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  status = ParseScalerMetadata(Of({{"queue", std::string(5000, 'q')}}), &target);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(ScalerMetadata, ValuesThePlannerRefusesAreNamedByField) {
  ScalerTarget target;
  const grpc::Status status = ParseScalerMetadata(
      Of({{"queue", "orders"}, {"config.minWorkers", "50"}, {"config.maxWorkers", "10"}}), &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("scalerMetadata.config.min_workers"), std::string::npos)
      << status.error_message();
}

TEST(ScalerMetadata, TooManyEntriesAreRefusedBeforeAnyIsRead) {
  Metadata metadata;
  for (int i = 0; i < 1000; ++i) metadata["k" + std::to_string(i)] = "v";
  ScalerTarget target;
  const grpc::Status status = ParseScalerMetadata(metadata, &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"scalerMetadata"});
}

TEST(ScalerMetadata, PrometheusKeysMakeAPulledSource) {
  ScalerTarget target;
  grpc::Status status = ParseScalerMetadata(
      Of({{"queue", "orders"},
          {"prometheusAddress", "http://prometheus.monitoring:9090"},
          {"arrivalRateQuery", "sum(rate(jobs_total{queue=\"orders\"}[1m]))"},
          {"serviceTimeQuery",
           "sum(rate(job_seconds_sum[5m]))\n  / sum(rate(job_seconds_count[5m]))"},
          {"workersQuery", "count(up{job=\"orders-workers\"} == 1)"}}),
      &target);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(target.prometheus.has_value());
  EXPECT_EQ(target.prometheus->address, "http://prometheus.monitoring:9090");
  EXPECT_NE(target.prometheus->service_time.find('\n'), std::string::npos);  // kept as written
  EXPECT_TRUE(target.prometheus->backlog.empty());
  ASSERT_TRUE(ParseScalerMetadata(Of({{"queue", "orders"}}), &target).ok());
  EXPECT_FALSE(target.prometheus.has_value());
}

TEST(ScalerMetadata, APulledSourceNeedsItsAddressAndBothRequiredQueries) {
  ScalerTarget target;
  grpc::Status status = ParseScalerMetadata(
      Of({{"queue", "orders"}, {"prometheusAddress", "prometheus:9090"}}), &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = Fields(status);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"scalerMetadata.arrivalRateQuery",
                                              "scalerMetadata.prometheusAddress",
                                              "scalerMetadata.serviceTimeQuery"}));
  status = ParseScalerMetadata(Of({{"queue", "orders"}, {"workersQuery", "up"}}), &target);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("scalerMetadata.prometheusAddress"), std::string::npos);
  status = ParseScalerMetadata(Of({{"queue", "orders"},
                                   {"prometheusAddress", "ftp://x"},
                                   {"arrivalRateQuery", "a"},
                                   {"serviceTimeQuery", "b"}}),
                               &target);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"scalerMetadata.prometheusAddress"});
}

TEST(ScalerTargetCache, EachDistinctMapIsParsedOnce) {
  ScalerTargetCache cache(/*capacity=*/2);
  std::shared_ptr<const ScalerTarget> a, b, c;
  ASSERT_TRUE(cache.Parse(Of({{"queue", "q"}, {"config.maxWorkers", "9"}}), &a).ok());
  ASSERT_TRUE(cache.Parse(Of({{"config.maxWorkers", "9"}, {"queue", "q"}}), &b).ok());
  EXPECT_EQ(a.get(), b.get());
  ASSERT_TRUE(cache.Parse(Of({{"queue", "q"}, {"config.maxWorkers", "10"}}), &c).ok());
  EXPECT_NE(a.get(), c.get());
  EXPECT_EQ(c->config.max_workers(), 10);
  // Errors are answered every time, never remembered as a target.
  std::shared_ptr<const ScalerTarget> bad;
  EXPECT_FALSE(cache.Parse(Of({{"queue", "q"}, {"config.maxWorkers", "x"}}), &bad).ok());
  EXPECT_FALSE(cache.Parse(Of({{"queue", "q"}, {"config.maxWorkers", "x"}}), &bad).ok());
  EXPECT_EQ(bad, nullptr);
  // A third distinct map empties the full cache; parsing still works.
  std::shared_ptr<const ScalerTarget> d;
  ASSERT_TRUE(cache.Parse(Of({{"queue", "r"}}), &d).ok());
  EXPECT_EQ(d->queue, "r");
}

}  // namespace
}  // namespace horizonscale::server

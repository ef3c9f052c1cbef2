// A queue's stored settings: a request's fields over the stored ones, the
// update mask, the stored JSON form.
#include "server/planner/queue_settings.h"

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;

TEST(QueueSettingsTest, SetFieldsOverrideWholeAndUnsetOnesKeepTheStored) {
  v1::PlannerConfig stored;
  stored.set_max_workers(40);
  stored.mutable_cooldown_period()->set_seconds(600);
  stored.set_safety_margin(0.3);
  v1::PlannerConfig request;
  request.set_max_workers(12);
  request.mutable_cooldown_period()->set_nanos(500'000'000);  // 0.5 s, not 600.5 s
  OverlaySetFields(request, stored);
  EXPECT_EQ(stored.max_workers(), 12);
  EXPECT_EQ(stored.cooldown_period().seconds(), 0);
  EXPECT_EQ(stored.cooldown_period().nanos(), 500'000'000);
  EXPECT_EQ(stored.safety_margin(), 0.3);
}

TEST(QueueSettingsTest, AnExplicitZeroOverrides) {
  v1::Slo stored;
  stored.set_max_backlog(500);
  v1::Slo request;
  request.set_max_backlog(0);  // optional: set, though zero
  OverlaySetFields(request, stored);
  ASSERT_TRUE(stored.has_max_backlog());
  EXPECT_EQ(stored.max_backlog(), 0);
}

TEST(QueueSettingsTest, TheMaskTakesNamedFieldsAndClearsUnsetOnes) {
  QueueSettings settings;
  settings.slo.set_max_backlog(500);
  settings.slo.set_p95_latency_seconds(2);
  settings.config.set_max_workers(40);
  v1::Queue from;
  from.mutable_config()->set_max_workers(30);
  from.mutable_config()->set_min_workers(3);  // not named: ignored
  google::protobuf::FieldMask mask;
  mask.add_paths("config.max_workers");
  mask.add_paths("slo.max_backlog");
  FieldChecks checks;
  ApplyUpdateMask(from, mask, settings, checks);
  ASSERT_TRUE(checks.ok());
  EXPECT_EQ(settings.config.max_workers(), 30);
  EXPECT_FALSE(settings.config.has_min_workers());
  EXPECT_FALSE(settings.slo.has_max_backlog());
  EXPECT_EQ(settings.slo.p95_latency_seconds(), 2);
}

TEST(QueueSettingsTest, AnEmptyMaskReplacesBoth) {
  QueueSettings settings;
  settings.slo.set_max_backlog(500);
  settings.config.set_max_workers(40);
  v1::Queue from;
  from.mutable_config()->set_min_workers(3);
  FieldChecks checks;
  ApplyUpdateMask(from, google::protobuf::FieldMask(), settings, checks);
  ASSERT_TRUE(checks.ok());
  EXPECT_FALSE(settings.slo.has_max_backlog());
  EXPECT_FALSE(settings.config.has_max_workers());
  EXPECT_EQ(settings.config.min_workers(), 3);
}

TEST(QueueSettingsTest, OtherPathsAreRefused) {
  for (const char* path : {"name", "config.nope", "slo.drain_time.seconds", "", "last_action"}) {
    SCOPED_TRACE(path);
    QueueSettings settings;
    google::protobuf::FieldMask mask;
    mask.add_paths(path);
    FieldChecks checks;
    ApplyUpdateMask(v1::Queue(), mask, settings, checks);
    EXPECT_FALSE(checks.ok());
  }
  google::protobuf::FieldMask huge;
  for (int i = 0; i < 65; ++i) huge.add_paths("slo");
  QueueSettings settings;
  FieldChecks checks;
  ApplyUpdateMask(v1::Queue(), huge, settings, checks);
  EXPECT_FALSE(checks.ok());
}

TEST(QueueSettingsTest, StoredJsonRoundTrips) {
  QueueSettings settings;
  settings.slo.set_max_backlog(500);
  settings.slo.mutable_drain_time()->set_seconds(300);
  settings.config.set_max_workers(40);
  settings.config.set_forecast_model(v1::FORECAST_MODEL_AUTO);
  const db::QueueSettings stored = ToStoredSettings(settings);
  EXPECT_NE(stored.config_json.find("\"maxWorkers\""), std::string::npos) << stored.config_json;
  absl::StatusOr<QueueSettings> parsed = ParseQueueSettings(stored);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->slo.SerializeAsString(), settings.slo.SerializeAsString());
  EXPECT_EQ(parsed->config.SerializeAsString(), settings.config.SerializeAsString());
  EXPECT_EQ(ParseQueueSettings({"{not json", "{}"}).status().code(), absl::StatusCode::kInternal);
  const absl::StatusOr<QueueSettings> empty = ParseQueueSettings(db::QueueSettings{});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->config.ByteSizeLong(), 0u);
}

}  // namespace
}  // namespace horizonscale::server

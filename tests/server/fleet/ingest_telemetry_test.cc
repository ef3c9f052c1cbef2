// IngestTelemetry's stream limits and database checks, in process (a fake
// stream reader; a real PostgreSQL where one is needed), for limits too big
// to reach through the real server in a test.
#include "server/fleet/ingest_telemetry.h"

#include <deque>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "db/migration.h"
#include "tests/support/grpc_client.h"
#include "tests/support/test_database.h"

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;
using horizonscale::testing::ErrorInfoReason;
using horizonscale::testing::TestDatabase;
using horizonscale::testing::ViolatedFields;

// Hands out queued messages as raw bytes, then reports the end of the
// stream.
class FakeReader final : public grpc::ServerReaderInterface<grpc::ByteBuffer> {
 public:
  explicit FakeReader(std::deque<std::string> messages) : messages_(std::move(messages)) {}
  void SendInitialMetadata() override {}
  bool NextMessageSize(uint32_t* size) override {
    *size = messages_.empty() ? 0 : static_cast<uint32_t>(messages_.front().size());
    return !messages_.empty();
  }
  bool Read(grpc::ByteBuffer* message) override {
    if (messages_.empty()) return false;
    grpc::Slice slice(messages_.front());
    *message = grpc::ByteBuffer(&slice, 1);
    messages_.pop_front();
    ++read_;
    return true;
  }
  int read() const { return read_; }

 private:
  std::deque<std::string> messages_;
  int read_ = 0;
};

v1::IngestTelemetryRequest Samples(const std::string& host, int count) {
  v1::IngestTelemetryRequest request;
  for (int i = 0; i < count; ++i) {
    v1::UtilizationSample* sample = request.add_samples();
    sample->set_host_id(host);
    sample->set_resource(v1::RESOURCE_CPU);
    sample->set_date("2026-01-01");
    sample->set_p95_utilization_percent(i);
  }
  return request;
}

class IngestTelemetryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<db::ConnectionPool>> pool =
        db::ConnectionPool::Create(database_.url(), 1);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = std::move(*pool);
    absl::StatusOr<db::ConnectionPool::Lease> lease = pool_->Acquire(std::chrono::seconds(5));
    ASSERT_TRUE(lease.ok());
    ASSERT_TRUE(db::ApplyMigrations(**lease, db::EmbeddedMigrations()).ok());
  }

  grpc::Status Ingest(const std::vector<v1::IngestTelemetryRequest>& messages,
                      const IngestLimits& limits, v1::IngestTelemetryResponse* response) {
    std::deque<std::string> bytes;
    for (const v1::IngestTelemetryRequest& message : messages) {
      bytes.push_back(message.SerializeAsString());
    }
    return IngestRaw(std::move(bytes), limits, response);
  }

  grpc::Status IngestRaw(std::deque<std::string> messages, const IngestLimits& limits,
                         v1::IngestTelemetryResponse* response) {
    FakeReader reader(std::move(messages));
    return IngestTelemetry(
        &context_, ParsedMessages(&reader), [this] { return pool_; }, response, limits);
  }

  int64_t Count(const std::string& sql) {
    pqxx::connection connection(database_.url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  TestDatabase database_;
  std::shared_ptr<db::ConnectionPool> pool_;
  grpc::ServerContext context_;
};

TEST_F(IngestTelemetryTest, TooManySamplesInAStreamIsResourceExhausted) {
  IngestLimits limits;
  limits.max_samples_per_stream = 25;
  v1::IngestTelemetryResponse response;
  const grpc::Status status =
      Ingest({Samples("a", 10), Samples("b", 10), Samples("c", 10)}, limits, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INGEST_TOO_LARGE");
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>({"samples"}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);
}

TEST_F(IngestTelemetryTest, TooManyHostsInAStreamIsResourceExhausted) {
  IngestLimits limits;
  limits.max_hosts_per_stream = 2;
  v1::IngestTelemetryResponse response;
  const grpc::Status status =
      Ingest({Samples("a", 1), Samples("b", 1), Samples("c", 1)}, limits, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>({"hosts"}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
}

TEST_F(IngestTelemetryTest, RejectionsListedAreCappedButAllCounted) {
  IngestLimits limits;
  limits.max_rejections_listed = 3;
  v1::IngestTelemetryRequest bad = Samples("", 5);
  v1::IngestTelemetryResponse response;
  const grpc::Status status = Ingest({bad, Samples("a", 2)}, limits, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.rows_rejected(), 5);
  EXPECT_EQ(response.rejections_size(), 3);
  EXPECT_EQ(response.rejections(2).index(), 2);
  EXPECT_EQ(response.rejections(2).field(), "samples[2].host_id");
  EXPECT_EQ(response.rows_accepted(), 2);
  EXPECT_EQ(response.duplicates_replaced(), 1);  // both samples are a's 2026-01-01
  EXPECT_EQ(Count("SELECT rows_rejected FROM fleet_ingests"), 5);
}

TEST_F(IngestTelemetryTest, AMessageThatDoesNotParseFailsTheStream) {
  // Field 1 (samples) announcing 100 bytes that never come.
  const std::string truncated("\x0a\x64\x0a", 3);
  v1::IngestTelemetryResponse response;
  const grpc::Status status = IngestRaw(
      {Samples("a", 3).SerializeAsString(), truncated, Samples("b", 3).SerializeAsString()}, {},
      &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INVALID_REQUEST");
  EXPECT_NE(status.error_message().find("message 1 "), std::string::npos) << status.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);

  // A sample whose host_id (field 1 of samples, field 1) is not UTF-8.
  const std::string not_utf8("\x0a\x03\x0a\x01\xff", 5);
  const grpc::Status utf8_status =
      IngestRaw({Samples("a", 3).SerializeAsString(), not_utf8}, {}, &response);
  EXPECT_EQ(utf8_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
      << utf8_status.error_message();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
}

TEST_F(IngestTelemetryTest, NoDatabaseIsUnavailableBeforeReading) {
  FakeReader reader({Samples("a", 1).SerializeAsString()});
  v1::IngestTelemetryResponse response;
  const grpc::Status status = IngestTelemetry(
      &context_, ParsedMessages(&reader), [] { return nullptr; }, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/DATABASE_UNAVAILABLE");
  EXPECT_EQ(reader.read(), 0);
}

}  // namespace
}  // namespace horizonscale::server

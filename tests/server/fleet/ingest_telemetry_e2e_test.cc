// FleetService.IngestTelemetry end to end: the real server binary on a
// loopback port, a client stream through the generated stub, and what landed
// in PostgreSQL read back with SQL (decoded here, independently of db/).
#include <signal.h>
#include <sys/resource.h>

#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <absl/strings/str_format.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "db/fleet_repository.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_rpc_fixture.h"

namespace horizonscale::testing {
namespace {

namespace v1 = horizonscale::v1;
using namespace std::chrono_literals;

// A stored series as read back: day number -> value.
using Observations = std::map<int32_t, double>;
// (host_id, resource) -> observations.
using StoredFleet = std::map<std::pair<std::string, int>, Observations>;

// "YYYY-MM-DD" of a day number (days since 1970-01-01).
std::string IsoDate(int32_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day))};
  return absl::StrFormat("%04d-%02u-%02u", static_cast<int>(ymd.year()),
                         static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

constexpr int32_t kDay0 = 20'089;  // 2025-01-01

v1::UtilizationSample Sample(const std::string& host, v1::Resource resource, int32_t day,
                             double value) {
  v1::UtilizationSample sample;
  sample.set_host_id(host);
  sample.set_resource(resource);
  sample.set_date(IsoDate(day));
  sample.set_p95_utilization_percent(value);
  return sample;
}

// A value that depends on everything, with all 53 bits of mantissa in use.
double ValueOf(int host, int resource, int32_t day) {
  uint64_t x = static_cast<uint64_t>(host) * 1'000'003 + resource * 7'919 + day;
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  return static_cast<double>(x >> 11) / static_cast<double>(1ULL << 53) * 100.0;
}

class IngestTelemetryE2e : public ServerRpcFixture<v1::FleetService> {
 protected:
  void SetUp() override { StartServer(); }

  // Sends `messages` as one stream and returns the call's status.
  grpc::Status Stream(const std::vector<v1::IngestTelemetryRequest>& messages,
                      v1::IngestTelemetryResponse* response,
                      std::chrono::milliseconds timeout = 60s) {
    auto context = ContextWithDeadline(timeout);
    auto writer = stub_->IngestTelemetry(context.get(), response);
    for (const v1::IngestTelemetryRequest& message : messages) {
      if (!writer->Write(message)) break;  // the server ended the call
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // Everything in fleet_series, decoded from the documented encoding.
  StoredFleet ReadStored() {
    pqxx::connection connection(database_.url());
    pqxx::nontransaction tx(connection);
    StoredFleet fleet;
    for (const pqxx::row& row :
         tx.exec("SELECT host_id, resource, days, utilization FROM fleet_series")) {
      const pqxx::binarystring days(row[2]), values(row[3]);
      EXPECT_EQ(days.size() * 2, values.size());
      Observations& observations = fleet[{row[0].as<std::string>(), row[1].as<int>()}];
      int32_t previous = INT32_MIN;
      for (size_t i = 0; i < days.size() / 4; ++i) {
        uint32_t day = 0;
        uint64_t bits = 0;
        for (int b = 0; b < 4; ++b) day |= uint32_t{days[4 * i + b]} << (8 * b);
        for (int b = 0; b < 8; ++b) bits |= uint64_t{values[8 * i + b]} << (8 * b);
        double value;
        std::memcpy(&value, &bits, sizeof value);
        EXPECT_GT(static_cast<int32_t>(day), previous) << "days must be strictly ascending";
        previous = static_cast<int32_t>(day);
        observations[static_cast<int32_t>(day)] = value;
      }
    }
    return fleet;
  }
};

// `hosts` hosts x 4 resources x `days` days from kDay0, host-major, in
// messages of at most `per_message` samples; metadata in the first message.
std::vector<v1::IngestTelemetryRequest> Fleet(int hosts, int days, int per_message,
                                              StoredFleet* expected) {
  std::vector<v1::IngestTelemetryRequest> messages(1);
  for (int h = 0; h < hosts; ++h) {
    const std::string host = absl::StrFormat("host-%04d", h);
    v1::HostMetadata* metadata = messages[0].add_hosts();
    metadata->set_host_id(host);
    metadata->set_department(absl::StrFormat("dept-%d", h % 7));
    metadata->set_app_code(absl::StrFormat("APP%d", h % 13));
    metadata->set_scenario(h % 2 == 0 ? "seasonal" : "trend");
    for (int r = 1; r <= 4; ++r) {
      for (int d = 0; d < days; ++d) {
        if (messages.back().samples_size() == per_message) messages.emplace_back();
        const double value = ValueOf(h, r, kDay0 + d);
        *messages.back().add_samples() =
            Sample(host, static_cast<v1::Resource>(r), kDay0 + d, value);
        if (expected != nullptr) (*expected)[{host, r}][kDay0 + d] = value;
      }
    }
  }
  return messages;
}

TEST_F(IngestTelemetryE2e, ASmallFleetIsStoredExactly) {
  StoredFleet expected;
  const std::vector<v1::IngestTelemetryRequest> messages = Fleet(20, 100, 1'000, &expected);
  v1::IngestTelemetryResponse response;
  const grpc::Status status = Stream(messages, &response);
  ASSERT_TRUE(status.ok()) << status.error_message() << server_->Log();
  EXPECT_EQ(response.rows_accepted(), 8'000);
  EXPECT_EQ(response.rows_rejected(), 0);
  EXPECT_EQ(response.rejections_size(), 0);
  EXPECT_EQ(response.hosts_upserted(), 20);
  EXPECT_EQ(response.duplicates_replaced(), 0);
  EXPECT_EQ(response.series_written(), 80);

  EXPECT_EQ(ReadStored(), expected);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts WHERE department = 'dept-3' AND "
                  "app_code = 'APP3' AND scenario = 'trend' AND host_id = 'host-0003'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts"), 20);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests WHERE rows_accepted = 8000 AND "
                  "rows_rejected = 0 AND hosts_upserted = 20 AND series_written = 80"),
            1);
}

TEST_F(IngestTelemetryE2e, BadRowsAreRejectedAndTheGoodOnesOfTheStreamStored) {
  const double inf = std::numeric_limits<double>::infinity();
  v1::IngestTelemetryRequest first, second;
  *first.add_samples() = Sample("good", v1::RESOURCE_CPU, kDay0, 10);             // 0
  *first.add_samples() = Sample("bad", v1::RESOURCE_CPU, kDay0, std::nan(""));    // 1
  *first.add_samples() = Sample("bad", v1::RESOURCE_CPU, kDay0, inf);             // 2
  *second.add_samples() = Sample("bad", v1::RESOURCE_CPU, kDay0, -1);             // 3
  *second.add_samples() = Sample("bad", v1::RESOURCE_CPU, kDay0, 250);            // 4
  *second.add_samples() = Sample("good", v1::RESOURCE_MEMORY, kDay0, 150);        // 5, overshoot
  *second.add_samples() = Sample("bad", v1::RESOURCE_UNSPECIFIED, kDay0, 1);      // 6
  *second.add_samples() = Sample("bad", static_cast<v1::Resource>(9), kDay0, 1);  // 7
  v1::UtilizationSample bad_date = Sample("bad", v1::RESOURCE_CPU, kDay0, 1);
  bad_date.set_date("2026-02-30");
  *second.add_samples() = bad_date;                                        // 8
  *second.add_samples() = Sample("", v1::RESOURCE_CPU, kDay0, 1);          // 9
  *second.add_samples() = Sample("good", v1::RESOURCE_CPU, kDay0 + 1, 0);  // 10
  v1::IngestTelemetryResponse response;
  const grpc::Status status = Stream({first, second}, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.rows_accepted(), 3);
  EXPECT_EQ(response.rows_rejected(), 8);

  const std::vector<std::tuple<int64_t, std::string, std::string, std::string>> wanted = {
      {1, "bad", "samples[1].p95_utilization_percent", "not finite"},
      {2, "bad", "samples[2].p95_utilization_percent", "not finite"},
      {3, "bad", "samples[3].p95_utilization_percent", "out of range"},
      {4, "bad", "samples[4].p95_utilization_percent", "out of range"},
      {6, "bad", "samples[6].resource", "unknown resource"},
      {7, "bad", "samples[7].resource", "unknown resource"},
      {8, "bad", "samples[8].date", "not a valid YYYY-MM-DD date"},
      {9, "", "samples[9].host_id", "empty"},
  };
  ASSERT_EQ(response.rejections_size(), static_cast<int>(wanted.size()));
  for (size_t i = 0; i < wanted.size(); ++i) {
    const v1::RejectedRow& row = response.rejections(static_cast<int>(i));
    EXPECT_EQ(std::tuple(row.index(), row.host_id(), row.field(), row.reason()), wanted[i]);
  }
  const StoredFleet expected = {{{"good", 1}, {{kDay0, 10.0}, {kDay0 + 1, 0.0}}},
                                {{"good", 2}, {{kDay0, 150.0}}}};
  EXPECT_EQ(ReadStored(), expected);
  EXPECT_EQ(Count("SELECT rows_rejected FROM fleet_ingests"), 8);
}

TEST_F(IngestTelemetryE2e, DuplicatesAreReplacedAndCounted) {
  v1::IngestTelemetryRequest message;
  *message.add_samples() = Sample("h", v1::RESOURCE_DISK, kDay0 + 2, 1);
  *message.add_samples() = Sample("h", v1::RESOURCE_DISK, kDay0, 2);
  *message.add_samples() = Sample("h", v1::RESOURCE_DISK, kDay0 + 2, 3);
  v1::IngestTelemetryRequest later;
  *later.add_samples() = Sample("h", v1::RESOURCE_DISK, kDay0 + 2, 4);  // the last one wins
  v1::IngestTelemetryResponse response;
  ASSERT_TRUE(Stream({message, later}, &response).ok());
  EXPECT_EQ(response.rows_accepted(), 4);
  EXPECT_EQ(response.duplicates_replaced(), 2);
  EXPECT_EQ(response.series_written(), 1);
  EXPECT_EQ(ReadStored(), (StoredFleet{{{"h", 3}, {{kDay0, 2.0}, {kDay0 + 2, 4.0}}}}));

  // Against what is stored: the stream wins.
  v1::IngestTelemetryRequest again;
  *again.add_samples() = Sample("h", v1::RESOURCE_DISK, kDay0, 5);
  *again.add_samples() = Sample("h", v1::RESOURCE_DISK, kDay0 + 1, 6);
  response.Clear();
  ASSERT_TRUE(Stream({again}, &response).ok());
  EXPECT_EQ(response.duplicates_replaced(), 1);
  EXPECT_EQ(ReadStored(),
            (StoredFleet{{{"h", 3}, {{kDay0, 5.0}, {kDay0 + 1, 6.0}, {kDay0 + 2, 4.0}}}}));
}

TEST_F(IngestTelemetryE2e, AnOversizedMessageAbortsTheStreamAndWritesNothing) {
  v1::IngestTelemetryRequest valid;
  for (int d = 0; d < 100; ++d) *valid.add_samples() = Sample("h", v1::RESOURCE_CPU, kDay0 + d, 1);
  valid.add_hosts()->set_host_id("h");
  v1::IngestTelemetryRequest oversized;
  for (int i = 0; i < 10'001; ++i) {
    *oversized.add_samples() = Sample("h", v1::RESOURCE_MEMORY, kDay0 + i % 1000, 1);
  }
  v1::IngestTelemetryResponse response;
  const grpc::Status status = Stream({valid, oversized, valid}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INVALID_REQUEST");
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>({"samples"}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);

  // So does an invalid host entry, named by its position in the stream.
  v1::IngestTelemetryRequest bad_host;
  bad_host.add_hosts()->set_host_id("ok");
  bad_host.add_hosts()->set_host_id("ok2");
  v1::HostMetadata* host = bad_host.add_hosts();
  host->set_host_id("x");
  host->set_department(std::string(129, 'd'));
  response.Clear();
  const grpc::Status host_status = Stream({valid, bad_host}, &response);
  EXPECT_EQ(host_status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(host_status), std::vector<std::string>({"hosts[3].department"}));
  v1::IngestTelemetryRequest empty_host;
  empty_host.add_hosts();
  EXPECT_EQ(ViolatedFields(Stream({empty_host}, &response)),
            std::vector<std::string>({"hosts[0].host_id"}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);
}

TEST_F(IngestTelemetryE2e, AMessageThatDoesNotParseFailsTheStreamAndWritesNothing) {
  // Raw bytes on the wire: a valid message, then one that is not a message.
  v1::IngestTelemetryRequest valid;
  *valid.add_samples() = Sample("h", v1::RESOURCE_CPU, kDay0, 1);
  auto context = ContextWithDeadline(10s);
  v1::IngestTelemetryResponse response;
  std::unique_ptr<grpc::ClientWriter<grpc::ByteBuffer>> writer(
      grpc::internal::ClientWriterFactory<grpc::ByteBuffer>::Create(
          channel_.get(),
          grpc::internal::RpcMethod("/horizonscale.v1.FleetService/IngestTelemetry",
                                    grpc::internal::RpcMethod::CLIENT_STREAMING),
          context.get(), &response));
  for (const std::string& bytes :
       {valid.SerializeAsString(), std::string("\x0a\x64\x0a", 3), valid.SerializeAsString()}) {
    grpc::Slice slice(bytes);
    grpc::ByteBuffer buffer(&slice, 1);
    if (!writer->Write(buffer)) break;
  }
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INVALID_REQUEST");
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);
}

TEST_F(IngestTelemetryE2e, ACancelledOrExpiredStreamWritesNothing) {
  v1::IngestTelemetryRequest valid;
  for (int d = 0; d < 100; ++d) *valid.add_samples() = Sample("h", v1::RESOURCE_CPU, kDay0 + d, 1);
  {
    grpc::ClientContext context;
    v1::IngestTelemetryResponse response;
    auto writer = stub_->IngestTelemetry(&context, &response);
    ASSERT_TRUE(writer->Write(valid));
    context.TryCancel();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::CANCELLED);
  }
  {
    auto context = ContextWithDeadline(500ms);
    v1::IngestTelemetryResponse response;
    auto writer = stub_->IngestTelemetry(context.get(), &response);
    ASSERT_TRUE(writer->Write(valid));
    std::this_thread::sleep_for(1s);  // never half-closes before the deadline
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  // The server's handlers have ended (a later stream is served and committed).
  v1::IngestTelemetryRequest other;
  *other.add_samples() = Sample("other", v1::RESOURCE_CPU, kDay0, 1);
  v1::IngestTelemetryResponse response;
  ASSERT_TRUE(Stream({other}, &response).ok());
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(ReadStored(), (StoredFleet{{{"other", 1}, {{kDay0, 1.0}}}}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 1);
}

TEST_F(IngestTelemetryE2e, ASecondStreamMergesWithTheFirstAndUpsertsHosts) {
  v1::IngestTelemetryRequest first;
  for (int d = 0; d < 10; ++d) *first.add_samples() = Sample("h1", v1::RESOURCE_CPU, kDay0 + d, d);
  v1::HostMetadata* h1 = first.add_hosts();
  h1->set_host_id("h1");
  h1->set_department("ops");
  h1->set_app_code("OPS");
  v1::IngestTelemetryResponse response;
  ASSERT_TRUE(Stream({first}, &response).ok());
  EXPECT_EQ(response.hosts_upserted(), 1);

  v1::IngestTelemetryRequest second;
  for (int d = 20; d < 25; ++d) {  // later days, after a gap
    *second.add_samples() = Sample("h1", v1::RESOURCE_CPU, kDay0 + d, 100 + d);
  }
  *second.add_samples() = Sample("h2", v1::RESOURCE_NETWORK, kDay0, 7);
  v1::HostMetadata* moved = second.add_hosts();
  moved->set_host_id("h1");
  moved->set_department("finance");
  moved->set_scenario("trend");
  second.add_hosts()->set_host_id("h2");
  response.Clear();
  ASSERT_TRUE(Stream({second}, &response).ok());
  EXPECT_EQ(response.rows_accepted(), 6);
  EXPECT_EQ(response.duplicates_replaced(), 0);
  EXPECT_EQ(response.series_written(), 2);
  EXPECT_EQ(response.hosts_upserted(), 2);

  Observations h1_cpu;
  for (int d = 0; d < 10; ++d) h1_cpu[kDay0 + d] = d;
  for (int d = 20; d < 25; ++d) h1_cpu[kDay0 + d] = 100 + d;
  EXPECT_EQ(ReadStored(), (StoredFleet{{{"h1", 1}, h1_cpu}, {{"h2", 4}, {{kDay0, 7.0}}}}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts WHERE host_id = 'h1' AND "
                  "department = 'finance' AND app_code = '' AND scenario = 'trend'"),
            1);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts"), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 2);
}

// The full default fleet: 2,000 hosts x 4 resources x 1,095 days = 8.76 M
// samples in 876 messages; then the same again (every day replaced). Prints
// times and the server's peak memory. A measurement, not a speed test: run
// it on purpose with --gtest_also_run_disabled_tests.
TEST_F(IngestTelemetryE2e, DISABLED_FullDefaultFleet) {
  const std::vector<v1::IngestTelemetryRequest> messages = Fleet(2'000, 1'095, 10'000, nullptr);
  ASSERT_EQ(messages.size(), 876u);
  for (int round = 0; round < 2; ++round) {
    v1::IngestTelemetryResponse response;
    const auto start = std::chrono::steady_clock::now();
    const grpc::Status status = Stream(messages, &response, 600s);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.rows_accepted(), 8'760'000);
    EXPECT_EQ(response.series_written(), 8'000);
    EXPECT_EQ(response.duplicates_replaced(), round == 0 ? 0 : 8'760'000);
    std::printf("ingest round %d: %.2f s for %lld samples (%.0f samples/s)\n", round, seconds,
                static_cast<long long>(response.rows_accepted()),
                response.rows_accepted() / seconds);
  }
  {
    pqxx::connection connection(database_.url());
    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<std::vector<db::FleetSeries>> series = db::LoadFleetSeries(connection, {});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(series.ok()) << series.status();
    ASSERT_EQ(series->size(), 8'000u);
    EXPECT_EQ(series->front().utilization[17], ValueOf(0, 1, kDay0 + 17));
    std::printf("LoadFleetSeries (whole fleet): %.2f s\n", seconds);
    pqxx::nontransaction tx(connection);
    std::printf(
        "fleet_series size: %s\n",
        tx.exec1("SELECT pg_size_pretty(pg_total_relation_size('fleet_series'))")[0].c_str());
  }
  std::string log = server_->Log();
  for (size_t at = log.find("ingest_committed"); at != std::string::npos;
       at = log.find("ingest_committed", at + 1)) {
    std::printf("server: %s\n", log.substr(at, log.find('\n', at) - at).c_str());
  }
  stub_.reset();
  channel_.reset();
  server_->Signal(SIGTERM);
  ASSERT_EQ(server_->WaitForExit(30s), std::optional<int>(0));
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  std::printf("server peak RSS: %.0f MB, CPU (both rounds, start-up included): %.1f s\n",
              usage.ru_maxrss / 1024.0,
              static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
}

}  // namespace
}  // namespace horizonscale::testing

// Fleet telemetry storage against a real PostgreSQL: ingests written with
// StoreFleetIngest and read back with LoadFleetSeries / LoadFleetHosts.
#include "db/fleet_repository.h"

#include <cmath>
#include <limits>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

#include "db/fleet_ingest.h"
#include "db/fleet_ingest_writer.h"
#include "db/migration.h"
#include "tests/support/test_database.h"

namespace horizonscale::db {
namespace {

using horizonscale::testing::TestDatabase;

const absl::Time kStarted = absl::FromUnixSeconds(1'790'000'000);

class FleetRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(ApplyMigrations(connection_, EmbeddedMigrations()).ok()); }

  // Writes `ingest` with a fresh audit id; fails the test on error.
  IngestOutcome Store(FleetIngest& ingest, int64_t rejected = 0) {
    const IngestAudit audit{NextId(), kStarted, rejected};
    absl::StatusOr<IngestOutcome> outcome = StoreFleetIngest(connection_, ingest, audit, nullptr);
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.ok() ? *outcome : IngestOutcome{};
  }

  std::vector<FleetSeries> LoadAll() {
    absl::StatusOr<std::vector<FleetSeries>> series = LoadFleetSeries(connection_, {});
    EXPECT_TRUE(series.ok()) << series.status();
    return series.ok() ? *series : std::vector<FleetSeries>{};
  }

  int64_t Count(const std::string& sql) {
    pqxx::nontransaction tx(connection_);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  std::string NextId() {
    const std::string number = std::to_string(++ids_);
    return "00000000-0000-4000-8000-" + std::string(12 - number.size(), '0') + number;
  }

  TestDatabase database_;
  pqxx::connection connection_{database_.url()};
  int ids_ = 0;
};

TEST_F(FleetRepositoryTest, SeriesRoundTripWithExactDoubles) {
  // Values whose decimal forms would not survive a text round trip.
  const std::vector<double> values = {0.1,
                                      1.0 / 3.0,
                                      std::nextafter(100.0, 200.0),
                                      std::numeric_limits<double>::denorm_min(),
                                      0.0,
                                      200.0,
                                      42.123456789012345};
  FleetIngest ingest;
  for (size_t i = 0; i < values.size(); ++i) {
    ingest.AddObservation("web-01", 1, static_cast<int32_t>(19'000 + i), values[i]);
    ingest.AddObservation("web-01", 3, static_cast<int32_t>(20'000 + 2 * i), values[i] / 2);
    ingest.AddObservation("db.02", 4, static_cast<int32_t>(i), 100 - values[i] / 4);
  }
  ingest.AddHost({"web-01", "payments", "PAY", "seasonal"});
  ingest.AddHost({"db.02", "data", "", ""});
  const IngestOutcome outcome = Store(ingest, /*rejected=*/3);
  EXPECT_EQ(outcome.rows_accepted, 21);
  EXPECT_EQ(outcome.series_written, 3);
  EXPECT_EQ(outcome.hosts_upserted, 2);
  EXPECT_EQ(outcome.duplicates_replaced, 0);

  const std::vector<FleetSeries> series = LoadAll();
  ASSERT_EQ(series.size(), 3u);
  // Ordered by host then resource.
  EXPECT_EQ(series[0].host_id, "db.02");
  EXPECT_EQ(series[0].resource, 4);
  EXPECT_EQ(series[1].host_id, "web-01");
  EXPECT_EQ(series[1].resource, 1);
  EXPECT_EQ(series[2].resource, 3);
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(series[0].days[i], static_cast<int32_t>(i));
    EXPECT_EQ(series[0].utilization[i], 100 - values[i] / 4);
    EXPECT_EQ(series[1].days[i], static_cast<int32_t>(19'000 + i));
    // Bit-exact, not just close.
    EXPECT_EQ(std::memcmp(&series[1].utilization[i], &values[i], sizeof(double)), 0) << i;
    EXPECT_EQ(series[2].days[i], static_cast<int32_t>(20'000 + 2 * i));
    EXPECT_EQ(series[2].utilization[i], values[i] / 2);
  }

  // The stored bytes are the documented little-endian encoding.
  {
    pqxx::nontransaction tx(connection_);
    const pqxx::row row = tx.exec1(
        "SELECT encode(substring(days from 1 for 4), 'hex'), "
        "encode(substring(utilization from 1 for 8), 'hex') "
        "FROM fleet_series WHERE host_id = 'web-01' AND resource = 1");
    EXPECT_EQ(row[0].as<std::string>(), "384a0000");          // 19000 = 0x4a38
    EXPECT_EQ(row[1].as<std::string>(), "9a9999999999b93f");  // 0.1
  }

  // The audit line.
  {
    pqxx::nontransaction tx(connection_);
    const pqxx::row row = tx.exec1(
        "SELECT rows_accepted, rows_rejected, hosts_upserted, series_written, "
        "started_at = '2026-09-21 14:13:20+00', finished_at >= started_at FROM fleet_ingests");
    EXPECT_EQ(row[0].as<int64_t>(), 21);
    EXPECT_EQ(row[1].as<int64_t>(), 3);
    EXPECT_EQ(row[2].as<int64_t>(), 2);
    EXPECT_EQ(row[3].as<int64_t>(), 3);
    EXPECT_TRUE(row[4].as<bool>());
    EXPECT_TRUE(row[5].as<bool>());
  }

  // Filters and keyset paging.
  FleetSeriesFilter filter;
  filter.host_ids = {"web-01"};
  filter.resource = 3;
  absl::StatusOr<std::vector<FleetSeries>> one = LoadFleetSeries(connection_, filter);
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].resource, 3);
  FleetSeriesFilter page;
  page.limit = 2;
  absl::StatusOr<std::vector<FleetSeries>> first = LoadFleetSeries(connection_, page);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  page.after_host_id = first->back().host_id;
  page.after_resource = first->back().resource;
  absl::StatusOr<std::vector<FleetSeries>> second = LoadFleetSeries(connection_, page);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].host_id, "web-01");
  EXPECT_EQ((*second)[0].resource, 3);

  // Hosts.
  absl::StatusOr<std::vector<FleetHost>> hosts = LoadFleetHosts(connection_, {});
  ASSERT_TRUE(hosts.ok()) << hosts.status();
  ASSERT_EQ(hosts->size(), 2u);
  EXPECT_EQ((*hosts)[1].host_id, "web-01");
  EXPECT_EQ((*hosts)[1].department, "payments");
  EXPECT_EQ((*hosts)[1].app_code, "PAY");
  EXPECT_EQ((*hosts)[1].scenario, "seasonal");
  absl::StatusOr<std::vector<FleetHost>> some = LoadFleetHosts(connection_, {"db.02", "nope"});
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].department, "data");
}

TEST_F(FleetRepositoryTest, LaterObservationsWinAndGapsStayGaps) {
  FleetIngest first;
  for (int32_t day : {10, 11, 12, 15}) first.AddObservation("h", 2, day, day);
  EXPECT_EQ(Store(first).duplicates_replaced, 0);

  FleetIngest second;
  second.AddObservation("h", 2, 12, 1.5);  // replaces the stored 12 ...
  second.AddObservation("h", 2, 13, 13);
  second.AddObservation("h", 2, 12, 2.5);  // ... and then this one wins over it
  second.AddObservation("h", 2, 9, 9);     // before the stored days
  second.AddObservation("h", 2, 20, 20);   // after them, leaving a gap
  second.AddObservation("h", 1, 12, 7);    // another resource: its own series
  const IngestOutcome outcome = Store(second);
  EXPECT_EQ(outcome.rows_accepted, 6);
  EXPECT_EQ(outcome.duplicates_replaced, 2);  // the stream's first 12 and the stored 12
  EXPECT_EQ(outcome.series_written, 2);

  const std::vector<FleetSeries> series = LoadAll();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].resource, 1);
  EXPECT_EQ(series[0].days, std::vector<int32_t>({12}));
  EXPECT_EQ(series[1].days, std::vector<int32_t>({9, 10, 11, 12, 13, 15, 20}));
  EXPECT_EQ(series[1].utilization, std::vector<double>({9, 10, 11, 2.5, 13, 15, 20}));
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 2);
}

TEST_F(FleetRepositoryTest, MetadataIsReplacedAsAWhole) {
  FleetIngest first;
  first.AddHost({"h1", "ops", "APP", "trend"});
  first.AddHost({"h2", "ops", "", ""});
  Store(first);
  FleetIngest second;
  second.AddHost({"h1", "finance", "", "spiky"});
  second.AddHost({"h1", "finance", "FIN", "spiky"});  // the later entry wins
  EXPECT_EQ(Store(second).hosts_upserted, 1);
  absl::StatusOr<std::vector<FleetHost>> hosts = LoadFleetHosts(connection_, {});
  ASSERT_TRUE(hosts.ok());
  ASSERT_EQ(hosts->size(), 2u);
  EXPECT_EQ((*hosts)[0].department, "finance");
  EXPECT_EQ((*hosts)[0].app_code, "FIN");
  EXPECT_EQ((*hosts)[0].scenario, "spiky");
  EXPECT_EQ((*hosts)[1].department, "ops");
}

TEST_F(FleetRepositoryTest, CancelledIngestWritesNothing) {
  FleetIngest ingest;
  for (int i = 0; i < 600; ++i) ingest.AddObservation("h" + std::to_string(i), 1, 1, 50);
  ingest.AddHost({"h1", "ops", "", ""});
  int polls = 0;
  // Cancelled after the first chunk of series was written in the transaction.
  absl::StatusOr<IngestOutcome> outcome = StoreFleetIngest(
      connection_, ingest, {NextId(), kStarted, 0}, [&polls] { return ++polls > 1; });
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kCancelled) << outcome.status();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_hosts"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);
}

TEST_F(FleetRepositoryTest, ACorruptStoredSeriesIsDataLossAndWritesNothing) {
  {
    pqxx::nontransaction tx(connection_);
    // Days not ascending.
    tx.exec0(
        "INSERT INTO fleet_series VALUES ('h', 1, '\\x0200000001000000', "
        "'\\x00000000000000000000000000000000', now())");
  }
  absl::StatusOr<std::vector<FleetSeries>> loaded = LoadFleetSeries(connection_, {});
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kDataLoss) << loaded.status();
  EXPECT_NE(loaded.status().message().find("(h, 1)"), std::string::npos) << loaded.status();

  FleetIngest ingest;
  ingest.AddObservation("h", 1, 5, 1);
  ingest.AddObservation("g", 1, 5, 1);
  absl::StatusOr<IngestOutcome> outcome =
      StoreFleetIngest(connection_, ingest, {NextId(), kStarted, 0}, nullptr);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kDataLoss) << outcome.status();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_ingests"), 0);
}

TEST_F(FleetRepositoryTest, ALostConnectionIsUnavailable) {
  FleetIngest ingest;
  ingest.AddObservation("h", 1, 5, 1);
  pqxx::connection doomed(database_.url());
  {
    pqxx::nontransaction tx(connection_);
    tx.exec_params("SELECT pg_terminate_backend($1)", doomed.backendpid());
  }
  absl::StatusOr<IngestOutcome> outcome =
      StoreFleetIngest(doomed, ingest, {NextId(), kStarted, 0}, nullptr);
  EXPECT_EQ(outcome.status().code(), absl::StatusCode::kUnavailable) << outcome.status();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_series"), 0);
}

// Measurement, not a test: the write of the full default fleet (8,000
// series x 1,095 days) with each storage option of the bytea columns.
// Run with --gtest_also_run_disabled_tests.
TEST_F(FleetRepositoryTest, DISABLED_WriteFullFleetPerStorageOption) {
  for (const char* storage : {"", "EXTERNAL", "lz4", "MAIN"}) {
    {
      pqxx::nontransaction tx(connection_);
      tx.exec0("TRUNCATE fleet_series, fleet_hosts, fleet_ingests");
      if (std::string(storage) == "lz4") {
        tx.exec0(
            "ALTER TABLE fleet_series ALTER COLUMN days SET STORAGE EXTENDED, "
            "ALTER COLUMN utilization SET STORAGE EXTENDED, "
            "ALTER COLUMN days SET COMPRESSION lz4, "
            "ALTER COLUMN utilization SET COMPRESSION lz4");
      } else if (*storage != '\0') {
        tx.exec0(absl::StrCat("ALTER TABLE fleet_series ALTER COLUMN days SET STORAGE ", storage,
                              ", ALTER COLUMN utilization SET STORAGE ", storage,
                              ", ALTER COLUMN days SET COMPRESSION pglz, "
                              "ALTER COLUMN utilization SET COMPRESSION pglz"));
      }
    }
    for (int round = 0; round < 2; ++round) {
      FleetIngest ingest;
      uint64_t x = 88172645463325252ULL + round;
      for (int h = 0; h < 2000; ++h) {
        const std::string host = absl::StrCat("host-", h);
        for (int r = 1; r <= 4; ++r) {
          for (int d = 0; d < 1095; ++d) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ingest.AddObservation(host, r, 20'000 + d,
                                  static_cast<double>(x >> 11) * 0x1p-53 * 100);
          }
        }
      }
      const absl::Time start = absl::Now();
      Store(ingest);
      const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
      pqxx::nontransaction tx(connection_);
      std::printf(
          "storage %-8s round %d: write %.2f s, table %s\n", *storage ? storage : "default", round,
          seconds,
          tx.exec1("SELECT pg_size_pretty(pg_total_relation_size('fleet_series'))")[0].c_str());
    }
    const absl::Time start = absl::Now();
    absl::StatusOr<std::vector<FleetSeries>> all = LoadFleetSeries(connection_, {});
    std::printf("storage %-8s read all: %.2f s (%zu series)\n", *storage ? storage : "default",
                absl::ToDoubleSeconds(absl::Now() - start), all.ok() ? all->size() : 0);
  }
}

}  // namespace
}  // namespace horizonscale::db

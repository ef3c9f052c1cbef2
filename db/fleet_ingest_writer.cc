#include "db/fleet_ingest_writer.h"

#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/strings/str_cat.h>

#include "db/fleet_series_codec.h"
#include "db/sql_support.h"

namespace horizonscale::db {
namespace {

// Arbitrary constant identifying the fleet write lock among the advisory
// locks of the database.
constexpr int64_t kFleetWriteLockKey = 0x4853'464c'4545'0001;  // "HSFLEE" 1

// Series read, merged and written per round trip. 256 three-year series are
// about 3.4 MB of bytea per statement.
constexpr size_t kSeriesPerChunk = 256;
// Hosts upserted per statement.
constexpr size_t kHostsPerChunk = 5000;

// The stored observations of a chunk's series (text arrays of keys).
constexpr char kReadStoredSql[] = R"sql(
SELECT s.host_id, s.resource, s.days, s.utilization
FROM fleet_series AS s
JOIN unnest($1::text[], $2::smallint[]) AS k (host_id, resource) USING (host_id, resource))sql";

constexpr char kUpsertHostsSql[] = R"sql(
INSERT INTO fleet_hosts (host_id, department, app_code, scenario, updated_at)
SELECT h, d, a, s, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u (h, d, a, s)
ON CONFLICT (host_id) DO UPDATE
SET department = excluded.department, app_code = excluded.app_code,
    scenario = excluded.scenario, updated_at = excluded.updated_at)sql";

constexpr char kAuditSql[] = R"sql(
INSERT INTO fleet_ingests (ingest_id, started_at, finished_at, rows_accepted, rows_rejected,
                           hosts_upserted, series_written)
VALUES ($1::uuid, $2::timestamptz, clock_timestamp(), $3, $4, $5, $6))sql";

// An INSERT ... ON CONFLICT of `rows` series whose parameters are all sent
// in binary form ($4i+1 host_id text, $4i+2 resource int2, $4i+3 days and
// $4i+4 utilization bytea): bytea travels as raw bytes, not as hex text.
std::string UpsertSeriesSql(size_t rows) {
  std::string sql =
      "INSERT INTO fleet_series (host_id, resource, days, utilization, updated_at) VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    const size_t p = 4 * i;
    absl::StrAppend(&sql, i == 0 ? "" : ",", "($", p + 1, "::text,$", p + 2, "::smallint,$", p + 3,
                    "::bytea,$", p + 4, "::bytea,now())");
  }
  sql +=
      " ON CONFLICT (host_id, resource) DO UPDATE SET days = excluded.days, "
      "utilization = excluded.utilization, updated_at = excluded.updated_at";
  return sql;
}

// A smallint in PostgreSQL's binary format (big-endian).
std::string BinarySmallint(int value) {
  return {static_cast<char>((value >> 8) & 0xff), static_cast<char>(value & 0xff)};
}

// Reads the chunk's stored series, merges the chunk's observations over them
// and writes the chunk. Adds to `outcome`.
absl::Status WriteChunk(pqxx::work& tx, std::span<const FleetIngest::Series> chunk,
                        IngestOutcome& outcome) {
  SqlArray hosts;
  SqlArray resources;
  for (const FleetIngest::Series& series : chunk) {
    hosts.Add(*series.host_id);
    resources.Add(std::to_string(series.resource));
  }
  const pqxx::result stored = tx.exec_params(kReadStoredSql, hosts.Literal(), resources.Literal());
  std::map<std::pair<std::string_view, int>, pqxx::row::size_type> stored_rows;
  for (pqxx::result::size_type i = 0; i < stored.size(); ++i) {
    stored_rows.emplace(std::pair(std::string_view(stored[i][0].c_str(), stored[i][0].size()),
                                  stored[i][1].as<int>()),
                        i);
  }

  std::vector<pqxx::binarystring> params;
  params.reserve(4 * chunk.size());
  std::vector<int32_t> stored_days;
  std::vector<double> stored_values;
  for (const FleetIngest::Series& series : chunk) {
    stored_days.clear();
    stored_values.clear();
    if (auto it = stored_rows.find({*series.host_id, series.resource}); it != stored_rows.end()) {
      const pqxx::row row = stored[it->second];
      const pqxx::binarystring days(row[2]);
      const pqxx::binarystring values(row[3]);
      absl::Status decoded =
          DecodeSeries(std::string_view(days.get(), days.size()),
                       std::string_view(values.get(), values.size()), stored_days, stored_values);
      if (!decoded.ok()) {
        return absl::DataLossError(absl::StrCat("fleet_series row (", *series.host_id, ", ",
                                                series.resource, "): ", decoded.message()));
      }
    }
    MergedSeries merged = MergeObservations(stored_days, stored_values, *series.log);
    series.log->Clear();
    outcome.duplicates_replaced += merged.replaced;
    params.emplace_back(*series.host_id);
    params.emplace_back(BinarySmallint(series.resource));
    params.emplace_back(EncodeDays(merged.days));
    params.emplace_back(EncodeUtilization(merged.values));
  }
  tx.exec_params0(UpsertSeriesSql(chunk.size()), pqxx::prepare::make_dynamic_params(params));
  outcome.series_written += static_cast<int64_t>(chunk.size());
  return absl::OkStatus();
}

void UpsertHosts(pqxx::work& tx, const std::vector<const FleetHost*>& hosts) {
  for (size_t begin = 0; begin < hosts.size(); begin += kHostsPerChunk) {
    SqlArray ids;
    SqlArray departments;
    SqlArray app_codes;
    SqlArray scenarios;
    for (size_t i = begin; i < std::min(hosts.size(), begin + kHostsPerChunk); ++i) {
      ids.Add(hosts[i]->host_id);
      departments.Add(hosts[i]->department);
      app_codes.Add(hosts[i]->app_code);
      scenarios.Add(hosts[i]->scenario);
    }
    tx.exec_params0(kUpsertHostsSql, ids.Literal(), departments.Literal(), app_codes.Literal(),
                    scenarios.Literal());
  }
}

absl::Status Cancelled() {
  return absl::CancelledError("the ingest stream was cancelled; nothing was written");
}

}  // namespace

void LockFleetWrites(pqxx::transaction_base& tx) {
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kFleetWriteLockKey);
}

absl::StatusOr<IngestOutcome> StoreFleetIngest(pqxx::connection& connection, FleetIngest& ingest,
                                               const IngestAudit& audit,
                                               const std::function<bool()>& cancelled) {
  const std::vector<FleetIngest::Series> series = ingest.SortedSeries();
  const std::vector<const FleetHost*> hosts = ingest.SortedHosts();
  auto release = [&] {
    for (const FleetIngest::Series& s : series) s.log->Clear();
  };
  absl::StatusOr<IngestOutcome> result =
      RunSql<IngestOutcome>("writing an ingest stream", [&]() -> absl::StatusOr<IngestOutcome> {
        IngestOutcome outcome;
        outcome.rows_accepted = ingest.observations();
        pqxx::work tx(connection);
        LockFleetWrites(tx);
        UpsertHosts(tx, hosts);
        outcome.hosts_upserted = static_cast<int64_t>(hosts.size());
        for (size_t begin = 0; begin < series.size(); begin += kSeriesPerChunk) {
          if (cancelled && cancelled()) return Cancelled();
          const size_t end = std::min(series.size(), begin + kSeriesPerChunk);
          absl::Status written =
              WriteChunk(tx, std::span(series).subspan(begin, end - begin), outcome);
          if (!written.ok()) return written;
        }
        tx.exec_params0(kAuditSql, audit.ingest_id, SqlTimestamp(audit.started_at),
                        outcome.rows_accepted, audit.rows_rejected, outcome.hosts_upserted,
                        outcome.series_written);
        if (cancelled && cancelled()) return Cancelled();
        try {
          tx.commit();
        } catch (const pqxx::in_doubt_error& error) {
          return absl::UnavailableError(
              absl::StrCat("the connection was lost while committing the ingest; it may or may "
                           "not have been written: ",
                           error.what()));
        }
        return outcome;
      });
  release();
  return result;
}

}  // namespace horizonscale::db

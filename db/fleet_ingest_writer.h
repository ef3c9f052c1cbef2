// Writing an ingest stream (db/fleet_ingest.h) to fleet_series, fleet_hosts
// and fleet_ingests in one transaction.
//
// Concurrent ingests: each takes a transaction-level advisory lock before it
// reads what is stored, so their writes run one after the other and each
// merges over what the previous one committed (no lost updates). Only the
// write is serialised; streams are received concurrently. Any other writer of
// fleet_series must take the same lock (LockFleetWrites).
//
// Thread safety: the functions keep no state; one connection per call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <pqxx/pqxx>

#include "db/fleet_ingest.h"

namespace horizonscale::db {

// The audit line's facts that the stream's reader knows.
struct IngestAudit {
  std::string ingest_id;  // a UUID
  absl::Time started_at;  // when the stream started
  int64_t rows_rejected = 0;
};

// What a committed ingest wrote.
struct IngestOutcome {
  int64_t rows_accepted = 0;        // observations of the stream (ingest.observations())
  int64_t duplicates_replaced = 0;  // observations replaced by a later one of the same day
  int64_t series_written = 0;       // series rewritten (inserted or updated)
  int64_t hosts_upserted = 0;       // hosts whose metadata was written
};

// Waits for (and within `tx`, holds until it ends) the lock that serialises
// writes of fleet telemetry.
void LockFleetWrites(pqxx::transaction_base& tx);

// Writes `ingest` in one transaction on `connection`: per series, the stored
// observations are read, the stream's merged over them (the stream's last
// observation of a day wins, see MergeObservations) and the series rewritten;
// host metadata is upserted; one fleet_ingests line records the counts;
// then it commits. Series are processed in chunks and each series' buffer is
// freed once written, so memory does not grow beyond the ingest's own.
//
// `cancelled` is polled between chunks and before the commit; when it turns
// true the transaction is rolled back and CANCELLED returned.
// On any error nothing is written: UNAVAILABLE when the connection is lost
// (also when it was lost during the commit, whose outcome is then unknown),
// DATA_LOSS when a stored series is corrupt, INTERNAL for other SQL errors.
// `ingest`'s observation buffers are consumed either way.
absl::StatusOr<IngestOutcome> StoreFleetIngest(pqxx::connection& connection, FleetIngest& ingest,
                                               const IngestAudit& audit,
                                               const std::function<bool()>& cancelled);

}  // namespace horizonscale::db

// Versioned schema migrations, applied in order inside one transaction.
//
// A migration is identified by its version (the NNNN of
// db/migrations/NNNN_name.sql). Applied migrations are recorded in the table
// `schema_migrations` with a checksum of their SQL, so a migration edited
// after it was applied is detected instead of silently skipped.
//
// Thread safety: the functions are re-entrant; concurrent callers on separate
// connections (e.g. several server replicas starting at once) are serialised
// by a PostgreSQL advisory lock held for the transaction.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <pqxx/pqxx>

namespace horizonscale::db {

// One schema change. `sql` may hold several statements.
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// What ApplyMigrations did.
struct MigrationReport {
  std::vector<int> applied;  // versions applied by this call, ascending
  int already_applied = 0;   // versions that were recorded before the call
  // Versions recorded in the database that `migrations` does not contain: the
  // schema is newer than this binary (normal for a moment during a rolling
  // upgrade; worth a warning).
  std::vector<int> unknown_versions;
};

// Stable 64-bit FNV-1a checksum of a migration's SQL, as 16 hex digits.
std::string MigrationChecksum(const Migration& migration);

// Applies every migration of `migrations` not yet recorded, in version order,
// in a single transaction on `connection`, and records each one.
// Returns the report on success. On any failure the transaction is rolled
// back, so the schema is exactly as it was before the call, and the error says
// which migration failed and why:
//   INVALID_ARGUMENT     versions not unique or not positive;
//   FAILED_PRECONDITION  an applied migration's SQL changed;
//   INTERNAL             a migration's SQL failed;
//   UNAVAILABLE          the connection broke.
absl::StatusOr<MigrationReport> ApplyMigrations(pqxx::connection& connection,
                                                std::span<const Migration> migrations);

// The migrations of db/migrations/, embedded into the binary at build time,
// ordered by version.
std::span<const Migration> EmbeddedMigrations();

}  // namespace horizonscale::db

#include "db/migration.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>

namespace horizonscale::db {
namespace {

// Arbitrary constant identifying HorizonScale's migration lock among the
// advisory locks of the database.
constexpr int64_t kMigrationLockKey = 0x4853'4d49'4752'0001;  // "HSMIGR" 1

constexpr const char* kCreateSchemaTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
    version     integer     PRIMARY KEY,
    name        text        NOT NULL,
    checksum    text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
))sql";

absl::Status ValidateVersions(std::span<const Migration> migrations) {
  std::set<int> seen;
  for (const Migration& migration : migrations) {
    if (migration.version <= 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration '", migration.name, "' has non-positive version ", migration.version));
    }
    if (!seen.insert(migration.version).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration version ", migration.version, " appears twice"));
    }
  }
  return absl::OkStatus();
}

std::string Describe(const Migration& migration) {
  char version[16];
  std::snprintf(version, sizeof version, "%04d", migration.version);
  return absl::StrCat(version, "_", migration.name);
}

}  // namespace

std::string MigrationChecksum(const Migration& migration) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char byte : migration.sql) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

absl::StatusOr<MigrationReport> ApplyMigrations(pqxx::connection& connection,
                                                std::span<const Migration> migrations) {
  if (absl::Status valid = ValidateVersions(migrations); !valid.ok()) return valid;
  std::vector<const Migration*> ordered;
  for (const Migration& migration : migrations) ordered.push_back(&migration);
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  const Migration* current = nullptr;
  try {
    pqxx::work tx(connection, "apply_migrations");
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLockKey);
    tx.exec0(kCreateSchemaTable);
    std::map<int, std::string> recorded;  // version -> checksum
    for (const auto& row : tx.exec("SELECT version, checksum FROM schema_migrations")) {
      recorded.emplace(row[0].as<int>(), row[1].as<std::string>());
    }

    MigrationReport report;
    std::set<int> known;
    for (const Migration* migration : ordered) {
      known.insert(migration->version);
      const std::string checksum = MigrationChecksum(*migration);
      if (auto it = recorded.find(migration->version); it != recorded.end()) {
        if (it->second != checksum) {
          return absl::FailedPreconditionError(absl::StrCat(
              "migration ", Describe(*migration),
              " was changed after it was applied (recorded checksum ", it->second, ", now ",
              checksum, "); add a new migration instead of editing an applied one"));
        }
        ++report.already_applied;
        continue;
      }
      current = migration;
      tx.exec0(migration->sql);
      tx.exec_params0("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                      migration->version, migration->name, checksum);
      report.applied.push_back(migration->version);
    }
    current = nullptr;
    for (const auto& [version, checksum] : recorded) {
      if (!known.contains(version)) report.unknown_versions.push_back(version);
    }
    tx.commit();
    return report;
  } catch (const pqxx::broken_connection& error) {
    return absl::UnavailableError(
        absl::StrCat("database connection lost while migrating: ", error.what()));
  } catch (const pqxx::sql_error& error) {
    if (current == nullptr) {
      return absl::InternalError(absl::StrCat("migration bookkeeping failed: ", error.what()));
    }
    return absl::InternalError(absl::StrCat("migration ", Describe(*current),
                                            " failed and was rolled back: ", error.what()));
  }
}

}  // namespace horizonscale::db

// Migrations against a real PostgreSQL (a fresh database per test).
#include "db/migration.h"

#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace horizonscale::db {
namespace {

using horizonscale::testing::TestDatabase;

// Every column of every table of the public schema, one "table.column type"
// per line: a fingerprint of the schema.
std::string SchemaFingerprint(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  std::string out;
  for (const auto& row :
       tx.exec("SELECT table_name, column_name, data_type FROM information_schema.columns "
               "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position")) {
    out += row[0].as<std::string>() + "." + row[1].as<std::string>() + " " +
           row[2].as<std::string>() + "\n";
  }
  return out;
}

bool TableExists(pqxx::connection& connection, const std::string& table) {
  pqxx::nontransaction tx(connection);
  return tx.exec_params1("SELECT to_regclass($1) IS NOT NULL", "public." + table)[0].as<bool>();
}

std::vector<int> RecordedVersions(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  std::vector<int> versions;
  for (const auto& row : tx.exec("SELECT version FROM schema_migrations ORDER BY version")) {
    versions.push_back(row[0].as<int>());
  }
  return versions;
}

const std::vector<Migration> kTwoGood = {
    {1, "alpha", "CREATE TABLE alpha (id integer PRIMARY KEY)"},
    {2, "beta",
     "CREATE TABLE beta (id integer PRIMARY KEY, alpha_id integer REFERENCES alpha);"
     "CREATE INDEX beta_alpha ON beta (alpha_id)"},
};

TEST(Migrations, EmbeddedMigrationsAreOrderedAndNamed) {
  std::span<const Migration> embedded = EmbeddedMigrations();
  ASSERT_FALSE(embedded.empty());
  for (size_t i = 0; i < embedded.size(); ++i) {
    EXPECT_EQ(embedded[i].version, static_cast<int>(i) + 1) << "versions must be 1, 2, 3, ...";
    EXPECT_FALSE(embedded[i].name.empty());
    EXPECT_FALSE(embedded[i].sql.empty());
  }
}

TEST(Migrations, ApplyingTwiceIsANoOp) {
  TestDatabase database;
  pqxx::connection connection(database.url());

  absl::StatusOr<MigrationReport> first = ApplyMigrations(connection, EmbeddedMigrations());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->applied.size(), EmbeddedMigrations().size());
  EXPECT_EQ(first->already_applied, 0);
  const std::string schema_after_first = SchemaFingerprint(connection);
  EXPECT_NE(schema_after_first.find("queues.name text"), std::string::npos) << schema_after_first;

  absl::StatusOr<MigrationReport> second = ApplyMigrations(connection, EmbeddedMigrations());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->applied.empty());
  EXPECT_EQ(second->already_applied, static_cast<int>(EmbeddedMigrations().size()));
  EXPECT_EQ(SchemaFingerprint(connection), schema_after_first);
}

TEST(Migrations, AppliesOnlyTheNewOnesInVersionOrder) {
  TestDatabase database;
  pqxx::connection connection(database.url());
  ASSERT_TRUE(ApplyMigrations(connection, std::span(kTwoGood).first(1)).ok());

  // Given out of order: beta depends on alpha, gamma on beta.
  const std::vector<Migration> all = {
      {3, "gamma", "ALTER TABLE beta ADD COLUMN note text"}, kTwoGood[1], kTwoGood[0]};
  absl::StatusOr<MigrationReport> report = ApplyMigrations(connection, all);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->applied, (std::vector<int>{2, 3}));
  EXPECT_EQ(report->already_applied, 1);
  EXPECT_EQ(RecordedVersions(connection), (std::vector<int>{1, 2, 3}));
}

TEST(Migrations, AFailingMigrationLeavesTheSchemaUnchanged) {
  TestDatabase database;
  pqxx::connection connection(database.url());
  ASSERT_TRUE(ApplyMigrations(connection, std::span(kTwoGood).first(1)).ok());
  const std::string before = SchemaFingerprint(connection);

  std::vector<Migration> with_broken = kTwoGood;
  with_broken.push_back({3, "broken", "CREATE TABLE gamma (x no_such_type)"});
  absl::StatusOr<MigrationReport> report = ApplyMigrations(connection, with_broken);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(std::string(report.status().message()).find("0003_broken"), std::string::npos)
      << report.status();

  // beta (version 2) ran inside the same transaction and was rolled back.
  EXPECT_FALSE(TableExists(connection, "beta"));
  EXPECT_EQ(SchemaFingerprint(connection), before);
  EXPECT_EQ(RecordedVersions(connection), (std::vector<int>{1}));
}

TEST(Migrations, AFailureOnAnEmptyDatabaseLeavesNoTrace) {
  TestDatabase database;
  pqxx::connection connection(database.url());
  std::vector<Migration> with_broken = kTwoGood;
  with_broken.push_back({3, "broken", "THIS IS NOT SQL"});
  ASSERT_FALSE(ApplyMigrations(connection, with_broken).ok());
  EXPECT_FALSE(TableExists(connection, "alpha"));
  EXPECT_FALSE(TableExists(connection, "schema_migrations"));
  EXPECT_EQ(SchemaFingerprint(connection), "");
}

TEST(Migrations, AnEditedAppliedMigrationIsRefused) {
  TestDatabase database;
  pqxx::connection connection(database.url());
  ASSERT_TRUE(ApplyMigrations(connection, kTwoGood).ok());
  std::vector<Migration> edited = kTwoGood;
  edited[0].sql = "CREATE TABLE alpha (id bigint PRIMARY KEY)";
  absl::StatusOr<MigrationReport> report = ApplyMigrations(connection, edited);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(report.status().message()).find("0001_alpha"), std::string::npos);
}

TEST(Migrations, DuplicateOrNonPositiveVersionsAreInvalid) {
  TestDatabase database;
  pqxx::connection connection(database.url());
  const std::vector<Migration> duplicate = {kTwoGood[0], {1, "again", "SELECT 1"}};
  EXPECT_EQ(ApplyMigrations(connection, duplicate).status().code(),
            absl::StatusCode::kInvalidArgument);
  const std::vector<Migration> zero = {{0, "zero", "SELECT 1"}};
  EXPECT_EQ(ApplyMigrations(connection, zero).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(TableExists(connection, "alpha"));
}

TEST(Migrations, VersionsUnknownToTheBinaryAreReported) {
  TestDatabase database;
  pqxx::connection connection(database.url());
  ASSERT_TRUE(ApplyMigrations(connection, kTwoGood).ok());
  absl::StatusOr<MigrationReport> older_binary =
      ApplyMigrations(connection, std::span(kTwoGood).first(1));
  ASSERT_TRUE(older_binary.ok()) << older_binary.status();
  EXPECT_EQ(older_binary->unknown_versions, (std::vector<int>{2}));
}

TEST(Migrations, ConcurrentAppliersApplyEachMigrationOnce) {
  TestDatabase database;
  auto apply = [&database] {
    pqxx::connection connection(database.url());
    return ApplyMigrations(connection, kTwoGood);
  };
  std::future<absl::StatusOr<MigrationReport>> a = std::async(std::launch::async, apply);
  std::future<absl::StatusOr<MigrationReport>> b = std::async(std::launch::async, apply);
  absl::StatusOr<MigrationReport> ra = a.get();
  absl::StatusOr<MigrationReport> rb = b.get();
  ASSERT_TRUE(ra.ok()) << ra.status();
  ASSERT_TRUE(rb.ok()) << rb.status();
  EXPECT_EQ(ra->applied.size() + rb->applied.size(), 2u);
  pqxx::connection connection(database.url());
  EXPECT_EQ(RecordedVersions(connection), (std::vector<int>{1, 2}));
}

}  // namespace
}  // namespace horizonscale::db

// The connection pool against a real PostgreSQL.
#include "db/connection_pool.h"

#include <thread>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace horizonscale::db {
namespace {

using horizonscale::testing::TestDatabase;
using std::chrono::milliseconds;

TEST(ConnectionPool, RejectsAZeroCapacity) {
  EXPECT_EQ(ConnectionPool::Create("", 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ConnectionPool, UnreachableDatabaseIsUnavailableWithTheReason) {
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool =
      ConnectionPool::Create("postgresql://127.0.0.1:1/none?connect_timeout=2", 2);
  ASSERT_FALSE(pool.ok());
  EXPECT_EQ(pool.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(std::string(pool.status().message()).find("127.0.0.1"), std::string::npos)
      << pool.status();
}

TEST(ConnectionPool, GrantsAtMostCapacityConnectionsAndReusesReturnedOnes) {
  TestDatabase database;
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool = ConnectionPool::Create(database.url(), 2);
  ASSERT_TRUE(pool.ok()) << pool.status();

  absl::StatusOr<ConnectionPool::Lease> first = (*pool)->Acquire(milliseconds(100));
  absl::StatusOr<ConnectionPool::Lease> second = (*pool)->Acquire(milliseconds(100));
  ASSERT_TRUE(first.ok() && second.ok());
  const int backend_pid = (*first)->backendpid();
  EXPECT_NE(backend_pid, (*second)->backendpid());

  EXPECT_EQ((*pool)->Acquire(milliseconds(50)).status().code(),
            absl::StatusCode::kResourceExhausted);

  // A lease returned by another thread wakes a waiter.
  std::thread returner([lease = std::move(*first)]() mutable {
    std::this_thread::sleep_for(milliseconds(50));
    auto dropped = std::move(lease);
  });
  absl::StatusOr<ConnectionPool::Lease> third = (*pool)->Acquire(milliseconds(5000));
  returner.join();
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ((*third)->backendpid(), backend_pid);
}

TEST(ConnectionPool, ReplacesAConnectionThatBrokeAndReportsItsLoss) {
  TestDatabase database;
  int lost = 0;
  absl::StatusOr<std::unique_ptr<ConnectionPool>> pool =
      ConnectionPool::Create(database.url(), 1, nullptr, [&lost](const absl::Status& status) {
        EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
        ++lost;
      });
  ASSERT_TRUE(pool.ok()) << pool.status();
  int killed_pid = 0;
  {
    absl::StatusOr<ConnectionPool::Lease> lease = (*pool)->Acquire(milliseconds(100));
    ASSERT_TRUE(lease.ok());
    killed_pid = (*lease)->backendpid();
  }
  {
    pqxx::connection admin(database.url());
    pqxx::nontransaction tx(admin);
    tx.exec_params("SELECT pg_terminate_backend($1)", killed_pid);
  }
  // The first use after the server killed the backend fails and marks the
  // connection broken, which the pool reports; Ping then tries a fresh one.
  EXPECT_EQ(lost, 0);
  ASSERT_TRUE((*pool)->Ping(milliseconds(100)).ok());
  EXPECT_EQ(lost, 1);
  absl::StatusOr<ConnectionPool::Lease> lease = (*pool)->Acquire(milliseconds(100));
  ASSERT_TRUE(lease.ok());
  EXPECT_NE((*lease)->backendpid(), killed_pid);
}

}  // namespace
}  // namespace horizonscale::db

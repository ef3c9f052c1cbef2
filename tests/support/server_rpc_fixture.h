// A fixture for end-to-end tests of one gRPC service of the server: the real
// server binary (HS_SERVER_BINARY, defined by the test target) on a loopback
// port with its own PostgreSQL database (one per test), SERVING before the
// test talks to it through `stub_`, drained and checked for a clean exit
// after it.
#pragma once

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/test_database.h"

namespace horizonscale::testing {

// `Service` is a generated gRPC service class (e.g. v1::FleetService).
template <class Service>
class ServerRpcFixture : public ::testing::Test {
 protected:
  // `exit_timeout`: how long TearDown waits for the server to exit after
  // SIGTERM.
  explicit ServerRpcFixture(std::chrono::milliseconds exit_timeout = std::chrono::seconds(30))
      : exit_timeout_(exit_timeout) {}

  // Starts the server on a loopback port of the kernel's choosing against `database_` with a 2 s
  // drain timeout and `extra_flags`, connects `channel_` and waits until the
  // server is SERVING (a fatal failure with the server's log if it never
  // is), then makes `stub_`. Call once per test, from SetUp or the test.
  void StartServer(const std::vector<std::string>& extra_flags = {}) {
    std::vector<std::string> flags = {"--listen=127.0.0.1:0", "--database_url=" + database_.url(),
                                      "--drain_timeout=2s"};
    flags.insert(flags.end(), extra_flags.begin(), extra_flags.end());
    server_ = std::make_unique<ServerProcess>(HS_SERVER_BINARY, flags);
    const std::optional<int> port = server_->ListeningPort(std::chrono::seconds(60));
    ASSERT_TRUE(port.has_value()) << "the server never listened\n" << server_->Log();
    port_ = *port;
    channel_ = ConnectTo(port_);
    auto health = grpc::health::v1::Health::NewStub(channel_);
    ASSERT_EQ(WaitForHealth(*health, "", grpc::health::v1::HealthCheckResponse::SERVING),
              grpc::health::v1::HealthCheckResponse::SERVING)
        << server_->Log();
    stub_ = Service::NewStub(channel_);
  }

  // Closes the client's connection (an idle sync client does not answer the
  // server's GOAWAY), sends SIGTERM to a server that still runs, and expects
  // the server to have exited with 0 within `exit_timeout_`. Nothing to do
  // when no server was started.
  void TearDown() override {
    if (server_ == nullptr) return;
    stub_.reset();
    channel_.reset();
    if (server_->Running()) server_->Signal(SIGTERM);
    EXPECT_EQ(server_->WaitForExit(exit_timeout_), std::optional<int>(0)) << server_->Log();
  }

  // The single integer that `sql` selects from the test's database.
  int64_t Count(const std::string& sql) {
    pqxx::connection connection(database_.url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  TestDatabase database_;
  int port_ = 0;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<typename Service::Stub> stub_;

 private:
  std::chrono::milliseconds exit_timeout_;
};

}  // namespace horizonscale::testing

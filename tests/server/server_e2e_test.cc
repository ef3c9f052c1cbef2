// End to end: the real horizonscale-server binary on a free loopback port,
// against a throwaway PostgreSQL database, spoken to through generated stubs.
#include <signal.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/test_database.h"

namespace horizonscale {
namespace {

using grpc::health::v1::Health;
using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;
using testing::ConnectTo;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::ServerProcess;
using testing::TestDatabase;
using testing::WaitForHealth;
using namespace std::chrono_literals;

constexpr const char* kPlanner = "horizonscale.v1.CapacityPlannerService";
constexpr const char* kFleet = "horizonscale.v1.FleetService";

HealthCheckResponse::ServingStatus CheckHealth(Health::Stub& health, const std::string& service) {
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  auto context = ContextWithDeadline(5s);
  const grpc::Status status = health.Check(context.get(), request, &response);
  EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
  return response.status();
}

std::vector<std::string> ListServicesByReflection(grpc::Channel& channel) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
  auto context = ContextWithDeadline(5s);
  auto stream = stub->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  EXPECT_TRUE(stream->Write(request));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  std::vector<std::string> names;
  while (stream->Read(&response)) {
    for (const auto& service : response.list_services_response().service()) {
      names.push_back(service.name());
    }
  }
  EXPECT_TRUE(stream->Finish().ok());
  return names;
}

std::vector<std::string> ServerArgs(int port, const std::string& database_url,
                                    const std::string& drain_timeout) {
  return {"--listen=127.0.0.1:" + std::to_string(port), "--database_url=" + database_url,
          "--drain_timeout=" + drain_timeout, "--db_check_interval=200ms", "--log_level=debug"};
}

TEST(ServerEndToEnd, ServesProbesAndDrainsOnSigterm) {
  TestDatabase database;
  const int port = testing::FreeLoopbackPort();
  ServerProcess server(HS_SERVER_BINARY, ServerArgs(port, database.url(), "10s"));
  auto channel = ConnectTo(port);
  auto health = Health::NewStub(channel);

  // Health: SERVING overall and per service once the database is migrated.
  ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::SERVING), HealthCheckResponse::SERVING)
      << server.Log();
  EXPECT_EQ(CheckHealth(*health, kPlanner), HealthCheckResponse::SERVING);
  EXPECT_EQ(CheckHealth(*health, kFleet), HealthCheckResponse::SERVING);
  {
    HealthCheckRequest request;
    request.set_service("no.such.Service");
    HealthCheckResponse response;
    auto context = ContextWithDeadline(5s);
    EXPECT_EQ(health->Check(context.get(), request, &response).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  // The migrations really ran against the database.
  {
    pqxx::connection connection(database.url());
    pqxx::nontransaction tx(connection);
    EXPECT_GE(tx.exec1("SELECT count(*) FROM schema_migrations")[0].as<int>(), 1);
  }

  // Reflection lists both services and the health service.
  const std::vector<std::string> services = ListServicesByReflection(*channel);
  for (const char* expected : {kPlanner, kFleet, "grpc.health.v1.Health"}) {
    EXPECT_NE(std::find(services.begin(), services.end(), expected), services.end()) << expected;
  }

  // A report of a fleet that has never been scored says so, with an
  // ErrorInfo.
  {
    auto fleet = v1::FleetService::NewStub(channel);
    v1::GetRiskReportResponse response;
    auto context = ContextWithDeadline(5s);
    const grpc::Status status =
        fleet->GetRiskReport(context.get(), v1::GetRiskReportRequest(), &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_NE(status.error_message().find("RunCompetition"), std::string::npos);
    EXPECT_EQ(ErrorInfoReason(status), "horizonscale/NOT_FOUND");
  }

  // An open Watch stream sees SERVING now and NOT_SERVING when draining, then
  // ends: open calls finish instead of holding the shutdown up.
  const auto signalled = std::chrono::steady_clock::now();
  {
    grpc::ClientContext watch_context;
    HealthCheckRequest watch_request;
    auto watch = health->Watch(&watch_context, watch_request);
    HealthCheckResponse update;
    ASSERT_TRUE(watch->Read(&update));
    EXPECT_EQ(update.status(), HealthCheckResponse::SERVING);

    server.Signal(SIGTERM);
    ASSERT_TRUE(watch->Read(&update));
    EXPECT_EQ(update.status(), HealthCheckResponse::NOT_SERVING);
    EXPECT_FALSE(watch->Read(&update));
    const grpc::Status watch_end = watch->Finish();
    EXPECT_EQ(watch_end.error_code(), grpc::StatusCode::UNAVAILABLE) << watch_end.error_message();
  }
  // An idle sync client does not answer the server's GOAWAY; close the
  // connection as a real client going away would.
  health.reset();
  channel.reset();

  // Nothing is left in flight, so the drain ends well before its timeout.
  const std::optional<int> exit_code = server.WaitForExit(15s);
  ASSERT_TRUE(exit_code.has_value()) << "still running after the drain timeout\n" << server.Log();
  EXPECT_EQ(*exit_code, 0) << server.Log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 5s) << server.Log();

  const std::string log = server.Log();
  for (const char* line : {"listening", "database_ready", "draining signal=SIGTERM", "stopped",
                           "rpc method=/horizonscale.v1.FleetService/GetRiskReport "
                           "code=NOT_FOUND"}) {
    EXPECT_NE(log.find(line), std::string::npos) << line << "\n" << log;
  }
}

TEST(ServerEndToEnd, UnreachableDatabaseMeansNotServingNotACrash) {
  const int port = testing::FreeLoopbackPort();
  const int closed_port = testing::FreeLoopbackPort();
  ServerProcess server(
      HS_SERVER_BINARY,
      ServerArgs(port, "postgresql://127.0.0.1:" + std::to_string(closed_port) + "/none", "2s"));
  auto channel = ConnectTo(port);
  auto health = Health::NewStub(channel);

  ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::NOT_SERVING),
            HealthCheckResponse::NOT_SERVING)
      << server.Log();
  EXPECT_EQ(CheckHealth(*health, kPlanner), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(CheckHealth(*health, kFleet), HealthCheckResponse::NOT_SERVING);

  // It keeps retrying rather than exiting, and says why it is not serving.
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(server.Running()) << server.Log();
  EXPECT_EQ(CheckHealth(*health, ""), HealthCheckResponse::NOT_SERVING);
  const std::string log = server.Log();
  EXPECT_NE(log.find("database_unreachable"), std::string::npos) << log;
  EXPECT_NE(log.find("127.0.0.1"), std::string::npos) << log;

  server.Signal(SIGTERM);
  const std::optional<int> exit_code = server.WaitForExit(10s);
  ASSERT_TRUE(exit_code.has_value()) << server.Log();
  EXPECT_EQ(*exit_code, 0) << server.Log();
}

TEST(ServerEndToEnd, JsonLogsAreOneObjectPerLine) {
  TestDatabase database;
  const int port = testing::FreeLoopbackPort();
  std::vector<std::string> args = ServerArgs(port, database.url(), "2s");
  args.push_back("--log_format=json");
  ServerProcess server(HS_SERVER_BINARY, args);
  auto channel = ConnectTo(port);
  auto health = Health::NewStub(channel);
  ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::SERVING), HealthCheckResponse::SERVING)
      << server.Log();
  health.reset();
  channel.reset();
  server.Signal(SIGINT);
  ASSERT_EQ(server.WaitForExit(10s), std::optional<int>(0)) << server.Log();

  std::istringstream lines(server.Log());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    EXPECT_TRUE(line.starts_with("{\"time\":\"") && line.ends_with("}")) << line;
  }
  EXPECT_GE(count, 3);
  EXPECT_NE(server.Log().find(R"("event":"draining","signal":"SIGINT")"), std::string::npos)
      << server.Log();
}

TEST(ServerEndToEnd, BadFlagsExitWithUsageErrorAndBusyPortWithFailure) {
  ServerProcess bad_flag(HS_SERVER_BINARY, {"--drain_timeout=forever"});
  EXPECT_EQ(bad_flag.WaitForExit(30s), std::optional<int>(2));
  EXPECT_NE(bad_flag.Log().find("--drain_timeout"), std::string::npos) << bad_flag.Log();

  const int port = testing::FreeLoopbackPort();
  ServerProcess first(HS_SERVER_BINARY, ServerArgs(port, "postgresql://127.0.0.1:1/x", "1s"));
  auto channel = ConnectTo(port);
  auto health = Health::NewStub(channel);
  ASSERT_EQ(WaitForHealth(*health, "", HealthCheckResponse::NOT_SERVING),
            HealthCheckResponse::NOT_SERVING);
  ServerProcess second(HS_SERVER_BINARY, ServerArgs(port, "postgresql://127.0.0.1:1/x", "1s"));
  EXPECT_EQ(second.WaitForExit(30s), std::optional<int>(1)) << second.Log();
  EXPECT_NE(second.Log().find("listen_failed"), std::string::npos) << second.Log();
  first.Signal(SIGTERM);
  EXPECT_EQ(first.WaitForExit(10s), std::optional<int>(0));
}

}  // namespace
}  // namespace horizonscale

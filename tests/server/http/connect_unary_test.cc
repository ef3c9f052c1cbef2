// The Connect protocol's pieces of the JSON bridge: codes and HTTP statuses
// as the Connect specification lists them, error bodies with the ErrorInfo
// and BadRequest details, and --http_listen addresses.
#include "server/http/connect_unary.h"

#include <gtest/gtest.h>

#include "server/common/errors.h"
#include "server/http/http_server.h"

namespace horizonscale::server {
namespace {

TEST(ConnectUnary, CodesAndStatusesFollowTheConnectSpecification) {
  struct Row {
    grpc::StatusCode code;
    std::string_view name;
    int http;
  };
  // connectrpc.com/docs/protocol, "Error Codes".
  const Row rows[] = {
      {grpc::StatusCode::CANCELLED, "canceled", 499},
      {grpc::StatusCode::UNKNOWN, "unknown", 500},
      {grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
      {grpc::StatusCode::NOT_FOUND, "not_found", 404},
      {grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
      {grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
      {grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition", 400},
      {grpc::StatusCode::ABORTED, "aborted", 409},
      {grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
      {grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
      {grpc::StatusCode::INTERNAL, "internal", 500},
      {grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
      {grpc::StatusCode::DATA_LOSS, "data_loss", 500},
      {grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ConnectCodeName(row.code), row.name);
    EXPECT_EQ(HttpStatusOf(row.code), row.http) << row.name;
  }
}

TEST(ConnectUnary, ErrorBodiesCarryTheDetailsEncodedAndReadable) {
  const grpc::Status status =
      MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidRequest,
                "queue must not be \"empty\"", {{"queue", "must not be empty"}});
  const std::string body = ConnectErrorBody(status);
  EXPECT_EQ(body.rfind(R"({"code":"invalid_argument","message":"queue must not be \"empty\"",)", 0),
            0u)
      << body;
  EXPECT_NE(body.find(R"({"type":"google.rpc.ErrorInfo","value":")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("debug":{"reason":"INVALID_REQUEST","domain":"horizonscale"})"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"("fieldViolations":[{"field":"queue","description":"must not be empty"}])"),
            std::string::npos)
      << body;
  // Without details: code and message only.
  EXPECT_EQ(ConnectErrorBody(grpc::Status(grpc::StatusCode::NOT_FOUND, "no plan\n")),
            R"({"code":"not_found","message":"no plan\n"})");
}

TEST(HttpListen, AddressesAreHostAndPort) {
  EXPECT_EQ(*ParseHttpListen("127.0.0.1:8080"), std::make_pair(std::string("127.0.0.1"), 8080));
  EXPECT_EQ(*ParseHttpListen("[::1]:0"), std::make_pair(std::string("::1"), 0));
  EXPECT_EQ(*ParseHttpListen("0.0.0.0:65535"), std::make_pair(std::string("0.0.0.0"), 65535));
  for (const char* bad : {"8080", ":8080", "localhost:", "localhost:http", "h:65536", "h:-1"}) {
    absl::StatusOr<std::pair<std::string, int>> parsed = ParseHttpListen(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_NE(parsed.status().message().find("--http_listen"), std::string::npos);
  }
}

}  // namespace
}  // namespace horizonscale::server

// Database failures as the API reports them: the code and reason say whether
// the database is unavailable; the message carries only a correlation id.
#include "server/common/database_lease.h"

#include <string>

#include <absl/status/status.h>
#include <gtest/gtest.h>

#include "tests/support/grpc_client.h"

namespace horizonscale::server {
namespace {

using testing::ErrorInfoReason;

TEST(DatabaseFailure, AnUnreachableDatabaseIsUnavailable) {
  for (const absl::Status& cause :
       {absl::UnavailableError("storing: database connection lost: server closed it"),
        absl::ResourceExhaustedError("all 8 database connections stayed busy for 2000 ms")}) {
    const grpc::Status status = DatabaseFailure(cause);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(ErrorInfoReason(status), "horizonscale/DATABASE_UNAVAILABLE");
    EXPECT_EQ(status.error_message().find("server closed"), std::string::npos);
    EXPECT_NE(status.error_message().find("error id "), std::string::npos);
  }
}

TEST(DatabaseFailure, AFailedStatementIsInternalAndItsTextStaysInTheLog) {
  const grpc::Status status = DatabaseFailure(absl::InternalError(
      "storing a batch of plans: malformed array literal: {\"other-client-id\""));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/INTERNAL");
  EXPECT_EQ(status.error_message().find("other-client-id"), std::string::npos);
  EXPECT_EQ(status.error_message().find("malformed"), std::string::npos);
  // A fresh id per failure.
  const std::string::size_type at = status.error_message().find("error id ");
  ASSERT_NE(at, std::string::npos) << status.error_message();
  const std::string id = status.error_message().substr(at + 9, 36);
  EXPECT_EQ(DatabaseFailure(absl::InternalError("x")).error_message().find(id), std::string::npos);
}

}  // namespace
}  // namespace horizonscale::server

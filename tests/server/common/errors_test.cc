#include "server/common/errors.h"

#include <gtest/gtest.h>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace horizonscale::server {
namespace {

TEST(Errors, CarryErrorInfoAndFieldViolationsAsGoogleRpcStatus) {
  const grpc::Status status =
      MakeError(grpc::StatusCode::INVALID_ARGUMENT, reason::kInvalidMetrics,
                "current_metrics.utilization must be in [0, 1], got 1.5",
                {{"current_metrics.utilization", "must be in [0, 1], got 1.5"}});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(), "current_metrics.utilization must be in [0, 1], got 1.5");

  google::rpc::Status detail;
  ASSERT_TRUE(detail.ParseFromString(status.error_details()));
  EXPECT_EQ(detail.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_EQ(detail.message(), status.error_message());
  ASSERT_EQ(detail.details_size(), 2);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(detail.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "INVALID_METRICS");
  EXPECT_EQ(info.domain(), "horizonscale");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(detail.details(1).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "current_metrics.utilization");
}

TEST(Errors, FromAbslKeepsTheCanonicalCode) {
  const grpc::Status status =
      FromAbsl(absl::FailedPreconditionError("cooldown until 12:05"), reason::kCooldownActive);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "cooldown until 12:05");
  EXPECT_TRUE(FromAbsl(absl::OkStatus(), reason::kInternal).ok());
}

}  // namespace
}  // namespace horizonscale::server

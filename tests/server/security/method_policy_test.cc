// The policy table against the services the server serves: every method of
// every service has a row (a method added without one would ask for admin,
// closed by default, and this test names it), no row names a method that
// does not exist, and the roles read as the README's table.
#include "server/security/method_policy.h"

#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>

#include "externalscaler/externalscaler.pb.h"
#include "grpc/health/v1/health.pb.h"
#include "horizonscale/v1/fleet_service.pb.h"
#include "horizonscale/v1/planner_service.pb.h"

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;

TEST(MethodPolicy, EveryServedMethodHasARow) {
  const pb::FileDescriptor* files[] = {v1::GeneratePlanRequest::descriptor()->file(),
                                       v1::GetLeaderboardRequest::descriptor()->file(),
                                       externalscaler::ScaledObjectRef::descriptor()->file(),
                                       grpc::health::v1::HealthCheckRequest::descriptor()->file()};
  int methods = 0;
  for (const pb::FileDescriptor* file : files) {
    for (int s = 0; s < file->service_count(); ++s) {
      const pb::ServiceDescriptor& service = *file->service(s);
      for (int m = 0; m < service.method_count(); ++m) {
        const std::string path = "/" + service.full_name() + "/" + service.method(m)->name();
        EXPECT_TRUE(PolicyOf(path).has_value()) << path << " has no row in method_policy.cc";
        ++methods;
      }
    }
  }
  EXPECT_EQ(methods, 22);  // 10 planner, 5 fleet, 5 KEDA, 2 health: the table's rows
}

TEST(MethodPolicy, RolesFollowTheDocumentedTable) {
  const std::string planner = "/horizonscale.v1.CapacityPlannerService/";
  EXPECT_EQ(PolicyOf(planner + "GetPlan")->role, Role::kReader);
  EXPECT_EQ(PolicyOf(planner + "ListQueues")->role, Role::kReader);
  EXPECT_EQ(PolicyOf(planner + "GeneratePlan")->role, Role::kPlanner);
  EXPECT_EQ(PolicyOf(planner + "UpdateQueue")->role, Role::kPlanner);
  EXPECT_EQ(PolicyOf(planner + "ResetQueue")->role, Role::kAdmin);
  EXPECT_EQ(PolicyOf(planner + "Simulate")->method_class, MethodClass::kCompute);
  EXPECT_EQ(PolicyOf("/horizonscale.v1.FleetService/IngestTelemetry")->role, Role::kAdmin);
  EXPECT_EQ(PolicyOf("/horizonscale.v1.FleetService/RunCompetition")->method_class,
            MethodClass::kCompute);
  EXPECT_EQ(PolicyOf("/horizonscale.v1.FleetService/GetRiskReport")->role, Role::kReader);
  EXPECT_EQ(PolicyOf("/externalscaler.ExternalScaler/GetMetrics")->role, Role::kPlanner);
  EXPECT_EQ(PolicyOf("/grpc.health.v1.Health/Check")->method_class, MethodClass::kOpen);
  EXPECT_FALSE(PolicyOf("/horizonscale.v1.CapacityPlannerService/DeleteEverything").has_value());
  EXPECT_FALSE(PolicyOf("").has_value());
}

TEST(MethodPolicy, NamesReadBack) {
  for (Role role : {Role::kReader, Role::kPlanner, Role::kAdmin}) {
    EXPECT_EQ(ParseRole(RoleName(role)), role);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
  EXPECT_FALSE(ParseRole("none").has_value());
  for (MethodClass c : {MethodClass::kRead, MethodClass::kPlan, MethodClass::kCompute}) {
    EXPECT_EQ(ParseClass(ClassName(c)), c);
  }
  EXPECT_FALSE(ParseClass("open").has_value());
}

}  // namespace
}  // namespace horizonscale::server

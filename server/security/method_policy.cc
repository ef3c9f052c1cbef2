#include "server/security/method_policy.h"

#include <array>

namespace horizonscale::server {
namespace {

struct Row {
  std::string_view method;
  MethodPolicy policy;
};

constexpr MethodPolicy kOpenCall{Role::kNone, MethodClass::kOpen};
constexpr MethodPolicy kReadCall{Role::kReader, MethodClass::kRead};
constexpr MethodPolicy kPlanCall{Role::kPlanner, MethodClass::kPlan};
constexpr MethodPolicy kComputeCall{Role::kPlanner, MethodClass::kCompute};
constexpr MethodPolicy kAdminCall{Role::kAdmin, MethodClass::kPlan};
constexpr MethodPolicy kAdminComputeCall{Role::kAdmin, MethodClass::kCompute};

// Every method the server serves (tests/server/security/method_policy_test.cc
// checks the table against the services' descriptors).
constexpr std::array kTable = {
    Row{"/grpc.health.v1.Health/Check", kOpenCall},
    Row{"/grpc.health.v1.Health/Watch", kOpenCall},
    Row{"/horizonscale.v1.CapacityPlannerService/GeneratePlan", kPlanCall},
    Row{"/horizonscale.v1.CapacityPlannerService/Simulate", kComputeCall},
    Row{"/horizonscale.v1.CapacityPlannerService/GetForecasts", kComputeCall},
    Row{"/horizonscale.v1.CapacityPlannerService/EvaluateQueue", kPlanCall},
    Row{"/horizonscale.v1.CapacityPlannerService/GetPlan", kReadCall},
    Row{"/horizonscale.v1.CapacityPlannerService/ListPlans", kReadCall},
    Row{"/horizonscale.v1.CapacityPlannerService/GetQueue", kReadCall},
    Row{"/horizonscale.v1.CapacityPlannerService/ListQueues", kReadCall},
    Row{"/horizonscale.v1.CapacityPlannerService/UpdateQueue", kPlanCall},
    Row{"/horizonscale.v1.CapacityPlannerService/ResetQueue", kAdminCall},
    Row{"/horizonscale.v1.FleetService/IngestTelemetry", kAdminComputeCall},
    Row{"/horizonscale.v1.FleetService/RunCompetition", kAdminComputeCall},
    Row{"/horizonscale.v1.FleetService/GetLeaderboard", kReadCall},
    Row{"/horizonscale.v1.FleetService/GetHostForecast", kReadCall},
    Row{"/horizonscale.v1.FleetService/GetRiskReport", kReadCall},
    Row{"/externalscaler.ExternalScaler/IsActive", kPlanCall},
    Row{"/externalscaler.ExternalScaler/StreamIsActive", kPlanCall},
    Row{"/externalscaler.ExternalScaler/GetMetricSpec", kPlanCall},
    Row{"/externalscaler.ExternalScaler/GetMetrics", kPlanCall},
    Row{"/externalscaler.ExternalScaler/StreamMetricSpec", kPlanCall},
};

}  // namespace

std::optional<MethodPolicy> PolicyOf(std::string_view method) {
  for (const Row& row : kTable) {
    if (row.method == method) return row.policy;
  }
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kReader:
      return "reader";
    case Role::kPlanner:
      return "planner";
    case Role::kAdmin:
      return "admin";
    case Role::kNone:
      break;
  }
  return "none";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kReader, Role::kPlanner, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

std::string_view ClassName(MethodClass method_class) {
  switch (method_class) {
    case MethodClass::kOpen:
      return "open";
    case MethodClass::kRead:
      return "read";
    case MethodClass::kPlan:
      return "plan";
    case MethodClass::kCompute:
      return "compute";
  }
  return "compute";
}

std::optional<MethodClass> ParseClass(std::string_view name) {
  for (MethodClass method_class : {MethodClass::kRead, MethodClass::kPlan, MethodClass::kCompute}) {
    if (ClassName(method_class) == name) return method_class;
  }
  return std::nullopt;
}

}  // namespace horizonscale::server

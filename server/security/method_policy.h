// Who may call what: the role each RPC needs and the class its rate limit
// is counted in (README "Access control" shows the same table).
#pragma once

#include <optional>
#include <string_view>

namespace horizonscale::server {

// Roles are ordered: admin includes planner, planner includes reader.
enum class Role { kNone = 0, kReader = 1, kPlanner = 2, kAdmin = 3 };

// The class a call's rate and concurrency limits are counted in.
enum class MethodClass {
  kOpen,     // health: never limited, never authenticated
  kRead,     // Get*, List*, reports
  kPlan,     // GeneratePlan, EvaluateQueue, queue updates, KEDA's calls
  kCompute,  // Simulate, GetForecasts, RunCompetition, IngestTelemetry: concurrency-limited too
};

struct MethodPolicy {
  Role role = Role::kAdmin;
  MethodClass method_class = MethodClass::kCompute;
};

// The policy of `method` ("/package.Service/Method"); nullopt for a method
// the table does not list (the gate then asks for admin: closed by default).
std::optional<MethodPolicy> PolicyOf(std::string_view method);

// "reader", "planner", "admin" ("none" for kNone).
std::string_view RoleName(Role role);

// The role named `name`; nullopt when it is none of the three.
std::optional<Role> ParseRole(std::string_view name);

// "open", "read", "plan", "compute".
std::string_view ClassName(MethodClass method_class);

// The class named `name` ("read", "plan", "compute"); nullopt otherwise.
std::optional<MethodClass> ParseClass(std::string_view name);

}  // namespace horizonscale::server

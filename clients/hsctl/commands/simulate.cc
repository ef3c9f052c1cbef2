// hsctl simulate: a plan replayed against traffic scenarios by
// discrete-event simulation (CapacityPlannerService.Simulate), from a
// SimulateRequest in YAML/JSON (--plan_id uses a stored plan instead of the
// file's).
#include <iostream>

#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/message_file.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct SimulateFlags {
  std::string file;
  std::string plan_id;
  uint64_t seed = 0;
};

void RunSimulate(const SimulateFlags& flags, CliContext& context) {
  v1::SimulateRequest request;
  if (absl::Status read = ReadMessageFile(flags.file, request); !read.ok()) {
    throw UsageError{std::string(read.message())};
  }
  if (!flags.plan_id.empty()) request.set_plan_id(flags.plan_id);
  if (flags.seed != 0) request.set_seed(flags.seed);
  v1::SimulateResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->Simulate(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  Table summary({"scenario", "SLO met", "p50", "p95", "p99", "max backlog", "jobs", "cost"});
  for (const v1::ScenarioResult& result : response.results()) {
    const v1::SimulationSummary& s = result.summary();
    summary.Add({result.scenario_name(), FormatShare(s.slo_achievement()),
                 FormatSeconds(s.p50_latency_seconds()), FormatSeconds(s.p95_latency_seconds()),
                 FormatSeconds(s.p99_latency_seconds()), std::to_string(s.max_backlog()),
                 fmt::format("{}/{}", s.jobs_completed(), s.jobs_arrived()),
                 FormatMoney(s.total_cost())});
  }
  summary.Print(std::cout);
  for (const v1::ScenarioResult& result : response.results()) {
    if (result.violations_size() == 0) continue;
    std::cout << "\nSLO violations in " << result.scenario_name() << ":\n";
    Table violations({"from", "for", "kind"});
    for (const v1::ViolationPeriod& violation : result.violations()) {
      violations.Add({FormatTime(violation.start_time()), FormatDuration(violation.duration()),
                      EnumLabel(v1::ViolationType_Name(violation.type()), "VIOLATION_TYPE_")});
    }
    violations.Print(std::cout);
  }
}

}  // namespace

void AddSimulateCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<SimulateFlags>();
  CLI::App* command = app.add_subcommand(
      "simulate", "Replay a plan against traffic scenarios (a SimulateRequest in YAML/JSON)");
  command->add_option("-f,--file", flags->file, "the SimulateRequest (- : stdin)")->required();
  command->add_option("--plan_id", flags->plan_id, "simulate this stored plan");
  command->add_option("--seed", flags->seed, "random seed (same seed, same answer)");
  command->callback([flags, &context] { RunSimulate(*flags, context); });
}

}  // namespace horizonscale::hsctl

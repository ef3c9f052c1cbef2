// hsctl plan: a plan for one pool (CapacityPlannerService.GeneratePlan),
// from flags or from a YAML/JSON file holding a GeneratePlanRequest (flags
// given beside a file override its fields).
#include <iostream>

#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/commands/plan_view.h"
#include "clients/hsctl/message_file.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct PlanFlags {
  std::string file;
  std::string queue;
  std::optional<double> arrival_rate;
  std::optional<double> service_time;
  std::optional<int> workers;
  std::optional<double> utilization;
  std::optional<int64_t> backlog;
  std::optional<double> p95;
  std::optional<int> max_workers;
  std::string request_id;
};

void RunPlan(const PlanFlags& flags, CliContext& context) {
  v1::GeneratePlanRequest request;
  if (!flags.file.empty()) {
    if (absl::Status read = ReadMessageFile(flags.file, request); !read.ok()) {
      throw UsageError{std::string(read.message())};
    }
  }
  if (!flags.queue.empty()) request.set_queue(flags.queue);
  v1::QueueMetrics& metrics = *request.mutable_current_metrics();
  if (flags.arrival_rate) metrics.set_arrival_rate_per_second(*flags.arrival_rate);
  if (flags.service_time) metrics.set_mean_service_time_seconds(*flags.service_time);
  if (flags.workers) metrics.set_current_workers(*flags.workers);
  if (flags.utilization) metrics.set_utilization(*flags.utilization);
  if (flags.backlog) metrics.set_backlog(*flags.backlog);
  if (flags.p95) request.mutable_slo()->set_p95_latency_seconds(*flags.p95);
  if (flags.max_workers) request.mutable_config()->set_max_workers(*flags.max_workers);
  if (!flags.request_id.empty()) request.set_request_id(flags.request_id);

  v1::GeneratePlanResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->GeneratePlan(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  PrintPlan(response.plan(), std::cout);
  if (response.anomaly().detected()) {
    std::cout << "\nanomaly: " << response.anomaly().description() << "\n";
  }
  if (response.alternatives_size() > 0) {
    std::cout << "\n";
    Table alternatives({"strategy", "workers", "utilization", "cost/h", "SLO"});
    for (const v1::PlanAlternative& alternative : response.alternatives()) {
      alternatives.Add({EnumLabel(v1::PlanStrategy_Name(alternative.strategy()), "PLAN_STRATEGY_"),
                        std::to_string(alternative.target_workers()),
                        FormatShare(alternative.target_utilization()),
                        FormatMoney(alternative.cost_per_hour()),
                        alternative.slo_achievable() ? "met" : "missed"});
    }
    alternatives.Print(std::cout);
  }
}

}  // namespace

void AddPlanCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<PlanFlags>();
  CLI::App* command = app.add_subcommand(
      "plan", "A capacity plan for a pool, from flags or a GeneratePlanRequest in YAML/JSON");
  command->add_option("-f,--file", flags->file, "GeneratePlanRequest as YAML or JSON (- : stdin)");
  command->add_option("--queue", flags->queue, "the pool's queue name");
  command->add_option("--arrival_rate", flags->arrival_rate, "jobs per second now");
  command->add_option("--service_time", flags->service_time, "mean service time, seconds");
  command->add_option("--workers", flags->workers, "workers now");
  command->add_option("--utilization", flags->utilization, "utilization now, 0 to 1");
  command->add_option("--backlog", flags->backlog, "jobs waiting now");
  command->add_option("--p95", flags->p95, "SLO: response time P95, seconds");
  command->add_option("--max_workers", flags->max_workers, "the most workers the pool may have");
  command->add_option("--request_id", flags->request_id,
                      "idempotency key: a retry with it answers the stored plan");
  command->callback([flags, &context] { RunPlan(*flags, context); });
}

}  // namespace horizonscale::hsctl

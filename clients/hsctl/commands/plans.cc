// hsctl plans list|get: a queue's stored plans, newest first, and one plan
// by id (CapacityPlannerService.ListPlans, GetPlan).
#include <iostream>

#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/commands/plan_view.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct PlansFlags {
  std::string queue;
  int page_size = 20;
  std::string page_token;
  std::string plan_id;
};

void RunList(const PlansFlags& flags, CliContext& context) {
  v1::ListPlansRequest request;
  request.set_queue(flags.queue);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  v1::ListPlansResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->ListPlans(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  Table table({"plan", "made", "workers", "confidence", "SLO", "urgency"});
  for (const v1::CapacityPlan& plan : response.plans()) {
    table.Add({plan.plan_id(), FormatTime(plan.generate_time()),
               fmt::format("{} -> {}", plan.current_workers(), plan.target_workers()),
               FormatShare(plan.confidence()), plan.slo_achievable() ? "met" : "missed",
               EnumLabel(v1::PlanUrgency_Name(plan.urgency()), "PLAN_URGENCY_")});
  }
  table.Print(std::cout);
  if (!response.next_page_token().empty()) {
    std::cout << "more: --page_token=" << response.next_page_token() << "\n";
  }
}

void RunGet(const PlansFlags& flags, CliContext& context) {
  v1::GetPlanRequest request;
  request.set_plan_id(flags.plan_id);
  v1::GetPlanResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->GetPlan(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  PrintPlan(response.plan(), std::cout);
}

}  // namespace

void AddPlansCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<PlansFlags>();
  CLI::App* plans = app.add_subcommand("plans", "A queue's stored plans");
  plans->require_subcommand(1);
  CLI::App* list = plans->add_subcommand("list", "A queue's plans, newest first");
  list->add_option("queue", flags->queue, "queue name")->required();
  list->add_option("--page_size", flags->page_size, "plans per page")->capture_default_str();
  list->add_option("--page_token", flags->page_token, "the page after a previous list's");
  list->callback([flags, &context] { RunList(*flags, context); });
  CLI::App* get = plans->add_subcommand("get", "One plan by id");
  get->add_option("plan_id", flags->plan_id, "plan id")->required();
  get->callback([flags, &context] { RunGet(*flags, context); });
}

}  // namespace horizonscale::hsctl

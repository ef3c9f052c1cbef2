#include "clients/hsctl/commands/plan_view.h"

#include <ostream>

#include <fmt/core.h>

#include "clients/hsctl/output.h"

namespace horizonscale::hsctl {

namespace v1 = horizonscale::v1;

void PrintPlan(const v1::CapacityPlan& plan, std::ostream& out) {
  out << fmt::format("plan {} for queue {} ({})\n", plan.plan_id(), plan.queue(),
                     FormatTime(plan.generate_time()));
  out << fmt::format("  workers       {} -> {} ({:+d}), urgency {}\n", plan.current_workers(),
                     plan.target_workers(), plan.worker_delta(),
                     EnumLabel(v1::PlanUrgency_Name(plan.urgency()), "PLAN_URGENCY_"));
  out << fmt::format(
      "  confidence    {}{}\n", FormatShare(plan.confidence()),
      plan.auto_apply_recommended() ? ", safe to apply automatically" : ", review before applying");
  out << fmt::format("  SLO           {}\n",
                     plan.slo_achievable() ? "achievable" : "NOT achievable");
  if (plan.has_cost_impact()) {
    const v1::CostImpact& cost = plan.cost_impact();
    out << fmt::format(
        "  cost          {}/h -> {}/h ({} a month)\n", FormatMoney(cost.current_cost_per_hour()),
        FormatMoney(cost.projected_cost_per_hour()), FormatMoney(cost.monthly_cost_delta()));
  }
  if (plan.has_planned_utilization()) {
    out << fmt::format("  utilization   {} mean, {} max\n",
                       FormatShare(plan.planned_utilization().mean()),
                       FormatShare(plan.planned_utilization().max()));
  }
  if (!plan.rationale().empty()) out << "  why           " << plan.rationale() << "\n";
  for (const v1::PlanWarning& warning : plan.warnings()) {
    out << fmt::format("  warning       {}: {}\n", warning.reason(), warning.message());
  }
  if (plan.steps_size() > 0) {
    out << "\n";
    Table steps({"#", "when", "action", "workers", "cost/h", "confidence", "why"});
    for (const v1::ScalingStep& step : plan.steps()) {
      steps.Add({std::to_string(step.sequence()), FormatTime(step.schedule_time()),
                 EnumLabel(v1::ScalingAction_Name(step.action()), "SCALING_ACTION_"),
                 fmt::format("{} -> {}", step.from_workers(), step.to_workers()),
                 FormatMoney(step.estimated_cost_per_hour()), FormatShare(step.confidence()),
                 step.rationale()});
    }
    steps.Print(out);
  }
}

}  // namespace horizonscale::hsctl

// A capacity plan for people: the decision, its confidence and cost, the
// warnings and the steps (used by `plan` and `plans get`).
#pragma once

#include <iosfwd>

#include "horizonscale/v1/plan.pb.h"

namespace horizonscale::hsctl {

void PrintPlan(const horizonscale::v1::CapacityPlan& plan, std::ostream& out);

}  // namespace horizonscale::hsctl

// MissProbability and FindCostOptimalWorkers: how likely a pool is to miss
// its response or backlog target, and the worker count that balances worker
// cost against the expected cost of missing it.
#include <algorithm>
#include <cmath>
#include <limits>

#include <absl/strings/str_cat.h>

#include "queueing/internal/erlang.h"
#include "queueing/internal/erlang_c_family.h"
#include "queueing/internal/mmck.h"
#include "queueing/internal/validate.h"
#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

using internal::ErlangBStepper;

// MissProbability of the validated `pool` at `servers` workers, given Erlang
// B advanced to `servers`.
double MissProbabilityAt(const PoolSpec& pool, const CapacityTarget& target, int servers,
                         const ErlangBStepper& erlang_b) {
  const bool response = target.response_p95 > 0 && std::isfinite(target.response_p95);
  const bool backlog = target.max_backlog >= 0 && std::isfinite(target.max_backlog);
  const bool infinite_queue = pool.model != Model::kMMcK;
  if (infinite_queue && pool.arrival_rate * pool.mean_service_time >= servers) return 1;
  if (!response && !backlog) return 0;
  // P(Nq > max_backlog) = P(Nq > floor(max_backlog)): Nq is an integer.
  const double backlog_floor =
      std::floor(std::min(target.max_backlog, static_cast<double>(kMaxSystemCapacity)));
  double miss = 0;
  if (!infinite_queue) {
    const internal::MMcKModel model(pool.arrival_rate, pool.mean_service_time, servers,
                                    pool.system_capacity, erlang_b);
    if (backlog) miss = model.QueueTail(static_cast<int64_t>(backlog_floor));
    if (response) miss = std::max(miss, model.ResponseSurvival(target.response_p95));
    return std::clamp(miss, 0.0, 1.0);
  }
  const internal::ErlangCFamilyModel model = pool.model == Model::kMGc
                                                 ? internal::MakeMGcModel(pool, servers, erlang_b)
                                                 : internal::MakeMMcModel(pool, servers, erlang_b);
  if (backlog) miss = model.erlang_c * std::exp((backlog_floor + 1) * model.log_queue_ratio);
  if (response) miss = std::max(miss, internal::ResponseSurvival(model, target.response_p95));
  return std::clamp(miss, 0.0, 1.0);
}

}  // namespace

// Contract: see queueing.h.
double MissProbability(const PoolSpec& pool, const CapacityTarget& target) {
  if (!internal::ValidatePool(pool, /*check_workers=*/true).ok() ||
      !internal::ValidateTarget(target).ok()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  ErlangBStepper stepper(pool.arrival_rate * pool.mean_service_time);
  stepper.AdvanceTo(pool.workers);
  return MissProbabilityAt(pool, target, pool.workers, stepper);
}

// Contract: see queueing.h.
absl::StatusOr<CostOptimum> FindCostOptimalWorkers(const PoolSpec& pool,
                                                   const CapacityTarget& target,
                                                   double worker_cost_per_hour,
                                                   double violation_cost_per_hour) {
  if (absl::Status status = internal::ValidatePool(pool, /*check_workers=*/false); !status.ok()) {
    return status;
  }
  if (absl::Status status = internal::ValidateTarget(target); !status.ok()) return status;
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"worker_cost_per_hour", worker_cost_per_hour},
        {"violation_cost_per_hour", violation_cost_per_hour}}) {
    if (!(value >= 0) || !std::isfinite(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, " must be finite and >= 0, got ", value));
    }
  }
  int c_max = target.max_workers;
  if (pool.model == Model::kMM1) c_max = 1;
  if (pool.model == Model::kMMcK) {
    c_max = static_cast<int>(std::min<int64_t>(c_max, pool.system_capacity));
  }
  const double offered_load = pool.arrival_rate * pool.mean_service_time;
  int c = 1;
  if (pool.model != Model::kMMcK && offered_load >= 1) {
    const double least_stable = std::floor(offered_load) + 1;
    if (least_stable > c_max) {
      return CostOptimum{c_max, 1, c_max * worker_cost_per_hour + violation_cost_per_hour};
    }
    c = static_cast<int>(least_stable);
  }
  ErlangBStepper stepper(offered_load);
  CostOptimum best;
  best.expected_cost_per_hour = std::numeric_limits<double>::infinity();
  for (; c <= c_max; ++c) {
    const double worker_cost = c * worker_cost_per_hour;
    if (worker_cost >= best.expected_cost_per_hour) break;  // no larger c can be cheaper
    stepper.AdvanceTo(c);
    const double miss = MissProbabilityAt(pool, target, c, stepper);
    const double total = worker_cost + violation_cost_per_hour * miss;
    if (total < best.expected_cost_per_hour) {
      best.workers = c;
      best.miss_probability = miss;
      best.expected_cost_per_hour = total;
    }
    if (miss == 0) break;  // only worker cost grows from here
  }
  return best;
}

}  // namespace horizonscale::queueing

// FindMinimumWorkers: the least worker count meeting a capacity target.
//
// Every figure the target constrains is non-increasing in c (for kMMcK with
// K held fixed), so the feasible set is [c*, c_max]. Search:
//  1. c_max = max_workers (1 for kMM1, min(max_workers, K) for kMMcK).
//  2. A response target below the service time's (1 − tail) quantile alone
//     is impossible (T >= S): reported at once, without searching.
//  3. Lower bound c0 = max(1, floor(a) + 1, ceil(a / max_utilization)) for
//     the infinite-queue models (stability and utilization are closed form),
//     1 for kMMcK (its utilization depends on blocking).
//  4. Exponential search c0, c0+1, c0+3, c0+7, ... then binary search in the
//     last gap. Erlang B is advanced incrementally and restarted from the
//     last failing point, so it costs ~c* + 2 (c* − c0) steps in all; the
//     target is checked O(log(c* − c0)) times, each O(1) for the Erlang-C
//     family (the response check is P(T > target) <= tail, one CDF value,
//     no root finding).
//  5. One full Evaluate at the answer (or at c_max when not achievable).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/strings/string_view.h>

#include "queueing/internal/erlang.h"
#include "queueing/internal/erlang_c_family.h"
#include "queueing/internal/evaluate.h"
#include "queueing/internal/mmck.h"
#include "queueing/internal/validate.h"
#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

using internal::ErlangBStepper;

// Bits of the constraints a worker count fails.
enum Failure : unsigned {
  kUnstable = 1U << 0,
  kUtilization = 1U << 1,
  kBacklog = 1U << 2,
  kResponse = 1U << 3,
  kBlocking = 1U << 4,
};

// "p95" for 0.95, "p99.9" for 0.999: the percentile a quantile level names.
std::string PercentileName(double level) {
  return absl::StrCat("p", absl::StrFormat("%.6g", level * 100));
}

// Appends the pieces to `out`, after `separator` unless `out` is empty.
template <class... Pieces>
void Append(std::string& out, absl::string_view separator, const Pieces&... pieces) {
  if (!out.empty()) absl::StrAppend(&out, separator);
  absl::StrAppend(&out, pieces...);
}

class TargetChecker {
 public:
  TargetChecker(const PoolSpec& pool, const CapacityTarget& target)
      : pool_(pool),
        target_(target),
        offered_load_(pool.arrival_rate * pool.mean_service_time),
        check_response_(target.response_p95 > 0 && std::isfinite(target.response_p95)),
        check_backlog_(target.max_backlog >= 0 && std::isfinite(target.max_backlog)),
        check_blocking_(pool.model == Model::kMMcK && target.max_blocking < 1) {}

  bool checks_response() const { return check_response_; }

  // The (1 − tail) quantile of the service time alone: a lower bound of the
  // response time's for any c.
  double ServiceQuantile() const {
    const double p = 1 - target_.tail;
    if (pool_.model == Model::kMGc) {
      const double cv = pool_.service_time_stddev / pool_.mean_service_time;
      return internal::ServiceDistribution::WithMeanAndCv(pool_.mean_service_time, cv).Quantile(p);
    }
    return internal::ServiceDistribution::Exponential(pool_.mean_service_time).Quantile(p);
  }

  // Failures decidable in closed form (stability, utilization) for the
  // infinite-queue models; 0 for kMMcK.
  unsigned CheapFailures(int c) const {
    if (pool_.model == Model::kMMcK) return 0;
    unsigned failures = 0;
    if (offered_load_ >= c) failures |= kUnstable;
    if (offered_load_ / c > target_.max_utilization) failures |= kUtilization;
    return failures;
  }

  // Least c that passes CheapFailures, capped at c_max + 1.
  int LowerBound(int c_max) const {
    if (pool_.model == Model::kMMcK) return 1;
    const double a = offered_load_;
    const double bound = std::max({1.0, std::floor(a) + 1, std::ceil(a / target_.max_utilization)});
    int c0 = bound > c_max ? c_max + 1 : static_cast<int>(bound);
    // The double arithmetic above may be off by one at exact boundaries:
    // align with the predicate that defines the answer.
    while (c0 > 1 && CheapFailures(c0 - 1) == 0) --c0;
    while (c0 <= c_max && CheapFailures(c0) != 0) ++c0;
    return c0;
  }

  // Every failed constraint at c, given Erlang B advanced to c.
  unsigned Failures(int c, const ErlangBStepper& erlang_b) const {
    if (pool_.model == Model::kMMcK) {
      const internal::MMcKModel model(pool_.arrival_rate, pool_.mean_service_time, c,
                                      pool_.system_capacity, erlang_b);
      unsigned failures = 0;
      if (model.utilization() > target_.max_utilization) failures |= kUtilization;
      if (check_blocking_ && model.blocking() > target_.max_blocking) failures |= kBlocking;
      if (check_backlog_ && model.QueueQuantile(1 - target_.tail) > target_.max_backlog) {
        failures |= kBacklog;
      }
      if (check_response_ && model.ResponseSurvival(target_.response_p95) > target_.tail) {
        failures |= kResponse;
      }
      return failures;
    }
    unsigned failures = CheapFailures(c);
    if (failures & kUnstable) {
      if (check_backlog_) failures |= kBacklog;
      if (check_response_) failures |= kResponse;
      return failures;
    }
    const internal::ErlangCFamilyModel model = pool_.model == Model::kMGc
                                                   ? internal::MakeMGcModel(pool_, c, erlang_b)
                                                   : internal::MakeMMcModel(pool_, c, erlang_b);
    if (check_backlog_ &&
        internal::GeometricQueueQuantile(model.erlang_c, model.log_queue_ratio, 1 - target_.tail) >
            target_.max_backlog) {
      failures |= kBacklog;
    }
    if (check_response_ && internal::ResponseSurvival(model, target_.response_p95) > target_.tail) {
      failures |= kResponse;
    }
    return failures;
  }

  // Names of the failed constraints with the target values, e.g.
  // "response_p95 (target 0.2 s)".
  std::string Names(unsigned failures) const {
    std::string out;
    if (failures & kUnstable) Append(out, ", ", "stability (offered load ", offered_load_, ")");
    if (failures & kUtilization) {
      Append(out, ", ", "max_utilization (", target_.max_utilization, ")");
    }
    if (failures & kBacklog) Append(out, ", ", "max_backlog (", target_.max_backlog, ")");
    if (failures & kResponse) {
      Append(out, ", ", "response_p95 (target ", target_.response_p95, " s)");
    }
    if (failures & kBlocking) Append(out, ", ", "max_blocking (", target_.max_blocking, ")");
    return out;
  }

  // The failed constraints with the figures at c, e.g.
  // "response_p95 0.31 s > target 0.2 s".
  std::string Details(unsigned failures, const QueueMetrics& metrics) const {
    std::string out;
    if (failures & kUnstable) {
      Append(out, "; ", "unstable (offered load ", offered_load_, " >= ", metrics.workers,
             " workers)");
    }
    if (failures & kUtilization) {
      Append(out, "; ", "utilization ", metrics.utilization, " > max_utilization ",
             target_.max_utilization);
    }
    // The metrics hold 95th percentiles: other tails are named by level.
    const bool p95 = target_.tail == 0.05;
    if (failures & kBacklog) {
      if (p95) {
        Append(out, "; ", "queue_length_p95 ", metrics.queue_length_p95, " > max_backlog ",
               target_.max_backlog);
      } else {
        Append(out, "; ", "queue length ", PercentileName(1 - target_.tail), " > max_backlog ",
               target_.max_backlog);
      }
    }
    if (failures & kResponse) {
      if (p95) {
        Append(out, "; ", "response_p95 ", metrics.response_p95, " s > target ",
               target_.response_p95, " s");
      } else {
        Append(out, "; ", "response ", PercentileName(1 - target_.tail), " > target ",
               target_.response_p95, " s");
      }
    }
    if (failures & kBlocking) {
      Append(out, "; ", "blocking_probability ", metrics.blocking_probability, " > max_blocking ",
             target_.max_blocking);
    }
    return out;
  }

 private:
  const PoolSpec& pool_;
  const CapacityTarget& target_;
  double offered_load_;
  bool check_response_;
  bool check_backlog_;
  bool check_blocking_;
};

}  // namespace

// Contract: see queueing.h (and the file comment for the search).
absl::StatusOr<CapacityResult> FindMinimumWorkers(const PoolSpec& pool,
                                                  const CapacityTarget& target,
                                                  ResultDetail detail) {
  if (absl::Status status = internal::ValidatePool(pool, /*check_workers=*/false); !status.ok()) {
    return status;
  }
  if (absl::Status status = internal::ValidateTarget(target); !status.ok()) return status;

  int c_max = target.max_workers;
  if (pool.model == Model::kMM1) c_max = 1;
  if (pool.model == Model::kMMcK) {
    c_max = static_cast<int>(std::min<int64_t>(c_max, pool.system_capacity));
  }
  const TargetChecker checker(pool, target);
  ErlangBStepper stepper(pool.arrival_rate * pool.mean_service_time);

  CapacityResult result;
  // Not achievable: `workers` = c_max and the metrics there.
  auto not_achievable = [&](const QueueMetrics& metrics_at_max, std::string reason) {
    result.achievable = false;
    result.workers = c_max;
    result.metrics = metrics_at_max;
    result.reason = std::move(reason);
    return result;
  };
  auto metrics_at_max = [&] {
    stepper.AdvanceTo(c_max);
    if (detail == ResultDetail::kWorkersOnly) {
      QueueMetrics metrics;
      metrics.workers = c_max;
      return metrics;
    }
    return internal::EvaluateAt(pool, c_max, stepper);
  };
  auto not_achievable_at_max = [&](unsigned failures) {
    const QueueMetrics metrics = metrics_at_max();
    return not_achievable(
        metrics, absl::StrCat("not achievable within ", c_max, " workers",
                              pool.model == Model::kMMcK ? " (capped at K)" : "", ": at ", c_max,
                              " workers ", checker.Details(failures, metrics)));
  };

  if (checker.checks_response()) {
    const double service_quantile = checker.ServiceQuantile();
    if (target.response_p95 < service_quantile) {
      return not_achievable(
          metrics_at_max(),
          absl::StrCat("response_p95 target ", target.response_p95, " s is below the ",
                       PercentileName(1 - target.tail), " of the service time alone (",
                       service_quantile, " s): no worker count can meet it"));
    }
  }

  const int c0 = checker.LowerBound(c_max);
  if (c0 > c_max) {
    stepper.AdvanceTo(c_max);
    return not_achievable_at_max(checker.Failures(c_max, stepper));
  }
  stepper.AdvanceTo(c0);
  unsigned failures = checker.Failures(c0, stepper);
  int hi = c0;
  ErlangBStepper hi_state = stepper;
  unsigned below_failures = c0 > 1 ? checker.CheapFailures(c0 - 1) : 0;
  if (failures != 0) {
    // Exponential search: lo fails, look for a passing hi.
    int lo = c0;
    ErlangBStepper lo_state = stepper;
    unsigned lo_failures = failures;
    for (int64_t step = 1;; step *= 2) {
      if (lo == c_max) return not_achievable_at_max(lo_failures);
      const int candidate = static_cast<int>(std::min<int64_t>(c_max, lo + step));
      stepper.AdvanceTo(candidate);
      failures = checker.Failures(candidate, stepper);
      if (failures == 0) {
        hi = candidate;
        hi_state = stepper;
        break;
      }
      lo = candidate;
      lo_state = stepper;
      lo_failures = failures;
    }
    // Binary search in (lo, hi]: lo fails, hi passes.
    while (hi - lo > 1) {
      const int mid = lo + (hi - lo) / 2;
      ErlangBStepper mid_state = lo_state;
      mid_state.AdvanceTo(mid);
      failures = checker.Failures(mid, mid_state);
      if (failures == 0) {
        hi = mid;
        hi_state = mid_state;
      } else {
        lo = mid;
        lo_state = mid_state;
        lo_failures = failures;
      }
    }
    below_failures = lo_failures;
  }
  result.achievable = true;
  result.workers = hi;
  if (detail == ResultDetail::kWithMetrics) {
    result.metrics = internal::EvaluateAt(pool, hi, hi_state);
  } else {
    result.metrics.workers = hi;
  }
  result.reason = hi == 1 ? "1 worker meets every target"
                          : absl::StrCat(hi, " workers meet every target; binding at ", hi - 1,
                                         " workers: ", checker.Names(below_failures));
  return result;
}

// Contract: see queueing.h.
bool MeetsTarget(const PoolSpec& pool, const CapacityTarget& target) {
  if (!internal::ValidatePool(pool, /*check_workers=*/true).ok() ||
      !internal::ValidateTarget(target).ok()) {
    return false;
  }
  const TargetChecker checker(pool, target);
  ErlangBStepper stepper(pool.arrival_rate * pool.mean_service_time);
  stepper.AdvanceTo(pool.workers);
  return checker.Failures(pool.workers, stepper) == 0;
}

}  // namespace horizonscale::queueing

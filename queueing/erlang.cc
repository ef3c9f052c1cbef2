// Erlang B and C: the public functions and the incremental stepper.
#include <cmath>
#include <limits>

#include "queueing/internal/erlang.h"
#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace internal {

// Starts at k = 0 (B = 1) for offered load a >= 0.
ErlangBStepper::ErlangBStepper(double offered_load)
    : a_(offered_load), inv_a_(offered_load > 0 ? 1 / offered_load : HUGE_VAL) {}

// Advances B to `servers` (no-op when already there or beyond); O(servers − k).
void ErlangBStepper::AdvanceTo(int servers) {
  if (servers <= k_) return;
  if (a_ == 0) {  // B(k) = 0 for every k >= 1.
    k_ = servers;
    reciprocal_ = HUGE_VAL;
    excess_ = HUGE_VAL;
    return;
  }
  // One fused multiply-add per server, always the same operation for the
  // same k: the result does not depend on where a previous AdvanceTo stopped,
  // so FindMinimumWorkers (which resumes from intermediate counts) and
  // Evaluate produce bit-identical figures.
  double r = reciprocal_;
  for (int k = k_ + 1; k < servers; ++k) r = std::fma(k * inv_a_, r, 1.0);
  const double alpha = servers * inv_a_;
  excess_ = alpha * r;  // 1/B − 1, kept for 1 − B without cancellation
  reciprocal_ = std::fma(alpha, r, 1.0);
  k_ = servers;
}

double ErlangBStepper::blocking() const { return 1 / reciprocal_; }

// 1 − B(a, k) as (1/B − 1)/(1/B): no cancellation when B ≈ 1; 1 once B underflowed.
double ErlangBStepper::complement() const {
  if (k_ == 0) return 0;
  if (std::isinf(reciprocal_)) return 1;
  return excess_ / reciprocal_;
}

// C = c B / ((c − a) + a B), or 1 when a >= c (see internal/erlang.h).
double ErlangCFromB(double offered_load, int servers, double erlang_b) {
  if (offered_load >= servers) return 1;
  const double c = servers;
  return c * erlang_b / ((c - offered_load) + offered_load * erlang_b);
}

}  // namespace internal

// Contract: see queueing.h. NaN for a NaN/negative load or negative c;
// B = 1 for c = 0 and for a = +inf; B = 0 for a = 0 and c >= 1.
double ErlangB(double offered_load, int servers) {
  if (!(offered_load >= 0) || servers < 0) return std::numeric_limits<double>::quiet_NaN();
  if (servers == 0 || std::isinf(offered_load)) return 1;
  internal::ErlangBStepper stepper(offered_load);
  stepper.AdvanceTo(servers);
  return stepper.blocking();
}

// Contract: see queueing.h. NaN for a NaN/negative load or negative c;
// 1 when a >= c (including c = 0).
double ErlangC(double offered_load, int servers) {
  if (!(offered_load >= 0) || servers < 0) return std::numeric_limits<double>::quiet_NaN();
  if (offered_load >= servers) return 1;
  return internal::ErlangCFromB(offered_load, servers, ErlangB(offered_load, servers));
}

}  // namespace horizonscale::queueing

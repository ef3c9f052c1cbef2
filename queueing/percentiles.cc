// Percentiles of the Erlang-C family (M/M/1, M/M/c, M/G/c): waiting time,
// response time and queue length.
#include <algorithm>
#include <cmath>

#include "queueing/internal/erlang_c_family.h"
#include "queueing/internal/root_finding.h"

namespace horizonscale::queueing::internal {

// ln(C/(1 − p))/ν, 0 when C <= 1 − p, +inf when unstable.
double WaitQuantile(const ErlangCFamilyModel& model, double p) {
  if (!model.stable) return HUGE_VAL;
  const double tail = 1 - p;
  if (model.erlang_c <= tail) return 0;
  return std::log(model.erlang_c / tail) / model.tail_rate;
}

// P(T > t) = P(S > t) + C · ExpSumExcess(t, ν); 1 when unstable.
double ResponseSurvival(const ErlangCFamilyModel& model, double t) {
  if (!model.stable) return 1;
  if (t <= 0) return 1;
  const double service_tail = model.service.Survival(t);
  if (model.erlang_c == 0) return service_tail;
  return std::min(1.0,
                  service_tail + model.erlang_c * model.service.ExpSumExcess(t, model.tail_rate));
}

// p-quantile of T by Brent (closed form for deterministic service).
double ResponseQuantile(const ErlangCFamilyModel& model, double p) {
  if (!model.stable) return HUGE_VAL;
  const ServiceDistribution& service = model.service;
  if (model.erlang_c == 0) return service.Quantile(p);
  // T = s + W exactly when the service time is the constant s.
  if (service.kind() == ServiceDistribution::Kind::kDeterministic) {
    return service.mean() + WaitQuantile(model, p);
  }
  const double tail = 1 - p;
  auto excess = [&](double t) { return ResponseSurvival(model, t) - tail; };
  const double wait_quantile = WaitQuantile(model, p);
  if (service.kind() == ServiceDistribution::Kind::kExponential) {
    // T >= W and T >= S give the lower end; P(W + S > w + s) <= P(W > w) +
    // P(S > s) with both at (1 − p)/2 gives the upper end.
    const double lo = std::max(wait_quantile, service.Quantile(p));
    const double half = 1 - tail / 2;
    const double hi = WaitQuantile(model, half) + service.Quantile(half);
    const double f_lo = excess(lo);
    if (f_lo <= 0) return lo;
    return BrentZero(excess, lo, hi, f_lo, excess(hi));
  }
  return SurvivalQuantile([&](double t) { return ResponseSurvival(model, t); }, p, wait_quantile,
                          service.mean());
}

// Smallest integer k >= 0 with C e^{(k+1) log_ratio} <= 1 − p.
double GeometricQueueQuantile(double erlang_c, double log_ratio, double p) {
  const double tail = 1 - p;
  // P(Nq > k) > 1 − p ? Decreasing in k.
  auto exceeds = [&](double k) { return erlang_c * std::exp((k + 1) * log_ratio) > tail; };
  if (erlang_c == 0 || !exceeds(0)) return 0;
  if (!(log_ratio < 0)) return HUGE_VAL;
  // The closed-form estimate is off by a step or two from rounding. Beyond
  // 2^52 doubles no longer hold every integer (k − 1 == k), so the estimate
  // is the answer there; below, the exact integer is bracketed and bisected:
  // a bounded number of steps however close to 1 the utilization is.
  constexpr double kExactBelow = 4503599627370496.0;  // 2^52
  const double estimate = std::max(1.0, std::ceil(std::log(tail / erlang_c) / log_ratio - 1));
  if (!(estimate < kExactBelow)) return estimate;
  double hi = estimate;  // the answer is <= hi once !exceeds(hi)
  for (double step = 1; exceeds(hi); step *= 2) {
    hi += step;
    if (!(hi < kExactBelow)) return hi;
  }
  double lo = hi;  // the answer is > lo once exceeds(lo); exceeds(0) holds
  for (double step = 1; lo > 0 && !exceeds(lo); step *= 2) {
    hi = lo;
    lo = std::max(0.0, lo - step);
  }
  while (hi - lo > 1) {
    const double mid = std::floor(lo + (hi - lo) / 2);
    (exceeds(mid) ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace horizonscale::queueing::internal

#include "planner/availability.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace horizonscale::planner {
namespace {

// P(F <= k) for F ~ Binomial(n, q), 0 < q < 1: the terms in log space by
// their ratio, summed with a running log-sum-exp (no underflow).
double BinomialCdf(int n, double q, int k) {
  const double log_odds = std::log(q) - std::log1p(-q);
  double log_term = n * std::log1p(-q);  // ln P(F = 0)
  double max_log = log_term;
  double scaled_sum = 1;  // Σ exp(log_term_j − max_log)
  const int last = std::min(k, n);
  for (int j = 0; j < last; ++j) {
    log_term += std::log(static_cast<double>(n - j)) - std::log(j + 1.0) + log_odds;
    if (log_term > max_log) {
      scaled_sum = scaled_sum * std::exp(max_log - log_term) + 1;
      max_log = log_term;
    } else {
      scaled_sum += std::exp(log_term - max_log);
    }
  }
  return std::min(1.0, std::exp(max_log + std::log(scaled_sum)));
}

}  // namespace

// Contract: see availability.h.
std::optional<int> SpareWorkers(int required, double worker_availability, double target,
                                int max_spares) {
  if (required <= 0 || worker_availability >= 1) return 0;
  const double q = 1 - worker_availability;
  auto enough = [&](int spares) { return BinomialCdf(required + spares, q, spares) >= target; };
  if (enough(0)) return 0;
  // Doubling, then bisection: P(at least `required` up) grows with spares.
  int lo = 0, hi = 1;  // !enough(lo)
  while (!enough(hi)) {
    if (hi >= max_spares) return std::nullopt;
    lo = hi;
    hi = std::min(max_spares, hi * 2);
  }
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    (enough(mid) ? hi : lo) = mid;
  }
  return hi;
}

}  // namespace horizonscale::planner

// Independent reference values and assertions shared by the queueing tests.
#pragma once

#include <cmath>

#include <gtest/gtest.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing::reference {

// Erlang C by the textbook factorial formula in long double (small c only):
// C(a, c) = (a^c/c! · c/(c−a)) / (Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)).
inline long double FactorialErlangC(long double a, int c) {
  long double term = 1;
  long double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const long double waiting = term * c / (c - a);
  return waiting / (sum + waiting);
}

// |actual − expected| <= rel · |expected| (plus a floor for subnormal values).
inline void ExpectRelativelyNear(double actual, long double expected, double rel) {
  EXPECT_NEAR(actual, static_cast<double>(expected),
              rel * std::fabs(static_cast<double>(expected)) + 1e-300)
      << "expected " << static_cast<double>(expected);
}

// Evaluate(pool), failing the test (and returning defaults) on an error.
inline QueueMetrics MustEvaluate(const PoolSpec& pool) {
  absl::StatusOr<QueueMetrics> metrics = Evaluate(pool);
  EXPECT_TRUE(metrics.ok()) << metrics.status();
  return metrics.ok() ? *metrics : QueueMetrics{};
}

}  // namespace horizonscale::queueing::reference

// Interval coverage on simulated series: fit a model to the start of many
// simulated paths and count how often the next values fall inside its 80 %
// and 95 % intervals. Shared by the exponential-smoothing tests.
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <random>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/model.h"

namespace horizonscale::forecast::testing {

struct Coverage {
  int draws = 0;
  int inside80 = 0;
  int inside95 = 0;
  double rate80() const { return static_cast<double>(inside80) / draws; }
  double rate95() const { return static_cast<double>(inside95) / draws; }
};

inline void Count(const ForecastValue& at80, const ForecastValue& at95, double actual,
                  Coverage& coverage) {
  ++coverage.draws;
  coverage.inside80 += at80.lower <= actual && actual <= at80.upper;
  coverage.inside95 += at95.lower <= actual && actual <= at95.upper;
}

// ETS(A,A,N) / (A,N,N) simulation: y_t = ℓ + b + ε, ℓ ← ℓ + b + α ε,
// b ← b + β_ets ε, ε ~ N(0, σ²).
inline std::vector<double> SimulateLocalTrend(std::mt19937_64& random, int length, double alpha,
                                              double beta_ets, double slope, double sigma) {
  std::normal_distribution<double> noise(0, sigma);
  std::vector<double> values;
  double level = 100;
  double trend = slope;
  for (int t = 0; t < length; ++t) {
    const double error = noise(random);
    values.push_back(level + trend + error);
    level += trend + alpha * error;
    trend += beta_ets * error;
  }
  return values;
}

// Fits `kind` to the first `history` values of `draws` simulated series and
// counts how often the value `h` steps after the history falls inside the
// 80 % and 95 % intervals, for each h in `horizons`.
template <typename Simulate>
std::vector<Coverage> MeasureCoverage(ModelKind kind, const ModelOptions& options, int history,
                                      const std::vector<int>& horizons, int draws,
                                      Simulate simulate) {
  std::mt19937_64 random(20240611);
  const int horizon = *std::max_element(horizons.begin(), horizons.end());
  std::vector<Coverage> coverage(horizons.size());
  for (int draw = 0; draw < draws; ++draw) {
    const std::vector<double> values = simulate(random, history + horizon);
    absl::StatusOr<std::unique_ptr<FittedModel>> model =
        FitModel(kind, std::span<const double>(values.data(), history), options);
    if (!model.ok()) {
      ADD_FAILURE() << model.status();
      return coverage;
    }
    const std::vector<ForecastValue> at80 = (*model)->Predict(horizon, 0.80);
    const std::vector<ForecastValue> at95 = (*model)->Predict(horizon, 0.95);
    for (size_t i = 0; i < horizons.size(); ++i) {
      const int h = horizons[i];
      Count(at80[h - 1], at95[h - 1], values[history + h - 1], coverage[i]);
    }
  }
  return coverage;
}

inline void ExpectNominalCoverage(const std::vector<Coverage>& coverage,
                                  const std::vector<int>& horizons) {
  for (size_t i = 0; i < coverage.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "h = " << horizons[i]);
    EXPECT_NEAR(coverage[i].rate80(), 0.80, 0.04);
    EXPECT_NEAR(coverage[i].rate95(), 0.95, 0.04);
    std::printf("h = %d: 80%% interval covers %.3f, 95%% interval covers %.3f (%d draws)\n",
                horizons[i], coverage[i].rate80(), coverage[i].rate95(), coverage[i].draws);
  }
}

}  // namespace horizonscale::forecast::testing

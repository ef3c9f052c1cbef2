// ETS fits on series simulated from known members: recovery of noise-free
// processes and of α, and the coverage of the analytic 80 % intervals
// (classes 1, 2 via ETS(A,N,N), ETS(A,Ad,N), class 3 via ETS(M,N,M)).
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/model.h"
#include "forecast/numerics/xoshiro256.h"

namespace horizonscale::forecast {
namespace {

// A simulated ETS member in the textbook form (Hyndman et al. 2008, Table
// 2.3), written out here independently of forecast/ets/.
struct Simulated {
  char error = 'A';  // 'A' or 'M'
  bool trend = false;
  double phi = 1;
  bool multiplicative_season = false;
  int period = 1;
  double alpha = 0.3, beta = 0, gamma = 0;
  double level = 100, slope = 0;
  double sigma = 1;  // of ε (relative for 'M')
};

std::vector<double> Simulate(const Simulated& s, int n, uint64_t seed) {
  auto rng = numerics::Xoshiro256StarStar::FromSplitMix64(seed);
  numerics::PolarNormal normal;
  double level = s.level;
  double slope = s.slope;
  std::vector<double> seasonals(s.period);
  for (int k = 0; k < s.period; ++k) {
    seasonals[k] =
        s.multiplicative_season ? 1 + 0.3 * std::sin(2 * std::numbers::pi * k / s.period) : 0.0;
  }
  std::vector<double> y(n);
  for (int t = 0; t < n; ++t) {
    const double e = s.sigma * normal.Next(rng);
    const double q = level + (s.trend ? s.phi * slope : 0.0);
    double& season = seasonals[t % s.period];
    const double mean = s.multiplicative_season ? q * season : q;
    if (s.error == 'A') {
      y[t] = mean + e;
      level = q + s.alpha * e;
      slope = s.phi * slope + s.beta * e;
    } else {
      y[t] = mean * (1 + e);
      level = q * (1 + s.alpha * e);
      slope = s.phi * slope + s.beta * q * e;
      if (s.multiplicative_season) season *= 1 + s.gamma * e;
    }
  }
  return y;
}

// A series without noise is forecast exactly: ETS(A,A,A) through a line
// plus a fixed seasonal pattern, ETS(A,N,N) through a constant.
TEST(EtsSimulation, NoiseFreeProcessesAreRecovered) {
  std::vector<double> aaa(96);
  const double pattern[4] = {5, -3, 1, -3};
  for (int t = 0; t < 96; ++t) aaa[t] = 20 + 0.5 * t + pattern[t % 4];
  ModelOptions options;
  options.seasonal_period = 4;
  options.ets_model = "AAA";
  options.damped = false;
  auto model = FitModel(ModelKind::kEts, aaa, options);
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<ForecastValue> forecast = (*model)->Predict(8, 0.8);
  for (int h = 0; h < 8; ++h) {
    const int t = 96 + h;
    EXPECT_NEAR(forecast[h].value, 20 + 0.5 * t + pattern[t % 4], 1e-3) << "h " << h + 1;
  }
  options.seasonal_period = 0;
  options.ets_model = "ANN";
  options.damped.reset();
  model = FitModel(ModelKind::kEts, std::vector<double>(50, 42.5), options);
  ASSERT_TRUE(model.ok());
  EXPECT_NEAR((*model)->Predict(1, 0.8)[0].value, 42.5, 1e-9);
}

// With modest noise the smoothing parameter is recovered: ETS(A,N,N) with
// α = 0.3 over 600 values, five seeds.
TEST(EtsSimulation, AlphaIsRecovered) {
  Simulated s;
  s.alpha = 0.3;
  s.sigma = 2;
  ModelOptions options;
  options.ets_model = "ANN";
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    auto model = FitModel(ModelKind::kEts, Simulate(s, 600, seed), options);
    ASSERT_TRUE(model.ok());
    EXPECT_NEAR((*model)->parameters()[0].second, 0.3, 0.08) << "seed " << seed;
  }
}

// Pooled coverage of the 80 % interval over h = 1 … 12 on 300 simulated
// series per member (3600 pairs: the binomial standard error is 0.7 %).
double Coverage(const Simulated& s, const std::string& member, std::optional<bool> damped) {
  constexpr int kSeries = 300;
  constexpr int kLength = 120;
  constexpr int kHorizon = 12;
  int inside = 0;
  int total = 0;
  for (int i = 0; i < kSeries; ++i) {
    const std::vector<double> y = Simulate(s, kLength + kHorizon, 1000 + i);
    ModelOptions options;
    options.seasonal_period = s.period;
    options.ets_model = member;
    options.damped = damped;
    auto model = FitModel(ModelKind::kEts, std::span(y).first(kLength), options);
    EXPECT_TRUE(model.ok()) << model.status();
    if (!model.ok()) continue;
    const std::vector<ForecastValue> forecast = (*model)->Predict(kHorizon, 0.8);
    for (int h = 0; h < kHorizon; ++h) {
      const double actual = y[kLength + h];
      inside += actual >= forecast[h].lower && actual <= forecast[h].upper;
      ++total;
    }
  }
  return static_cast<double>(inside) / total;
}

TEST(EtsSimulation, IntervalCoverage) {
  Simulated ann;
  ann.alpha = 0.3;
  ann.sigma = 5;
  const double ann_coverage = Coverage(ann, "ANN", std::nullopt);
  Simulated aadn;
  aadn.trend = true;
  aadn.phi = 0.9;
  aadn.alpha = 0.5;
  aadn.beta = 0.1;
  aadn.slope = 1;
  aadn.sigma = 3;
  const double aadn_coverage = Coverage(aadn, "AAN", true);
  Simulated mnm;
  mnm.error = 'M';
  mnm.multiplicative_season = true;
  mnm.period = 12;
  mnm.alpha = 0.2;
  mnm.gamma = 0.1;
  mnm.sigma = 0.05;
  const double mnm_coverage = Coverage(mnm, "MNM", std::nullopt);
  std::printf("80%% interval coverage: ETS(A,N,N) %.3f, ETS(A,Ad,N) %.3f, ETS(M,N,M) %.3f\n",
              ann_coverage, aadn_coverage, mnm_coverage);
  for (double coverage : {ann_coverage, aadn_coverage, mnm_coverage}) {
    EXPECT_GE(coverage, 0.75);
    EXPECT_LE(coverage, 0.85);
  }
}

}  // namespace
}  // namespace horizonscale::forecast

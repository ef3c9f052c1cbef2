// Arrival counts per window against the rate integrated analytically (the
// documented profiles and shapes), within Poisson noise: a window with
// expected count m must be within 4.5·√m, and the Pearson statistic
// Σ (n − m)² / m over the W windows must stay below W + 5·√(2W) (its mean is
// W, its standard deviation √(2W)). Plus noise dispersion and common random
// numbers across plans.
#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "tests/simulator/fixtures.h"

namespace horizonscale::simulator {
namespace {

using testing::Config;
using testing::ConstantScenario;
using testing::FixedPlan;
using testing::MustSimulate;

// Arrivals only matter here: many fast workers keep the run cheap.
RunResult RunArrivals(const Scenario& scenario, uint64_t seed = 11) {
  return MustSimulate(scenario, FixedPlan(1000),
                      Config(ServiceDistribution::kDeterministic, 1e-3, 0, seed));
}

// Checks each window's count against `expected(a, b)`, the expected
// arrivals in [a, b) seconds since the start.
void ExpectCountsMatch(const RunResult& result, const Scenario& scenario,
                       const std::function<double(double, double)>& expected) {
  const double g = absl::ToDoubleSeconds(scenario.granularity);
  const double end = absl::ToDoubleSeconds(scenario.duration);
  double pearson = 0;
  const auto windows = static_cast<double>(result.timeline.size());
  for (size_t k = 0; k < result.timeline.size(); ++k) {
    const double a = g * static_cast<double>(k);
    const double m = expected(a, std::min(end, a + g));
    const auto n = static_cast<double>(result.timeline[k].arrivals);
    EXPECT_LE(std::fabs(n - m), 4.5 * std::sqrt(m) + 1) << "window " << k << " expected " << m;
    if (m > 0) pearson += (n - m) * (n - m) / m;
  }
  EXPECT_LT(pearson, windows + 5 * std::sqrt(2 * windows));
}

// ∫_0^x shape(u) du for a spike of duration D (documented shapes).
double ShapeIntegral(SpikeShape shape, double x, double d) {
  switch (shape) {
    case SpikeShape::kInstant:
      return x;
    case SpikeShape::kLinear:
      return x <= d / 2 ? x * x / d : 2 * x - x * x / d - d / 2;
    case SpikeShape::kExp: {
      const double tau = d / 5;
      return tau * (1 - std::exp(-x / tau));
    }
    case SpikeShape::kBell: {
      const double sigma = d / 6;
      const double s2 = sigma * std::numbers::sqrt2;
      return sigma * std::sqrt(std::numbers::pi / 2) *
             (std::erf((x - d / 2) / s2) - std::erf(-d / 2 / s2));
    }
  }
  return 0;
}

class SpikeShapeTest : public ::testing::TestWithParam<SpikeShape> {};

TEST_P(SpikeShapeTest, ArrivalCountsFollowTheShape) {
  // 20/s for an hour; a ×4 spike over [1200, 2400) s.
  constexpr double kRate = 20;
  constexpr double kStart = 1200;
  constexpr double kDuration = 1200;
  constexpr double kMagnitude = 4;
  Scenario scenario = ConstantScenario(kRate, absl::Hours(1));
  scenario.traffic.kind = PatternKind::kSpiky;
  scenario.traffic.spikes.push_back(
      {absl::Seconds(kStart), absl::Seconds(kDuration), kMagnitude, GetParam()});
  const RunResult result = RunArrivals(scenario);
  const SpikeShape shape = GetParam();
  ExpectCountsMatch(result, scenario, [&](double a, double b) {
    double count = kRate * (b - a);
    const double lo = std::max(a, kStart);
    const double hi = std::min(b, kStart + kDuration);
    if (hi > lo) {
      count += kRate * (kMagnitude - 1) *
               (ShapeIntegral(shape, hi - kStart, kDuration) -
                ShapeIntegral(shape, lo - kStart, kDuration));
    }
    return count;
  });
}

INSTANTIATE_TEST_SUITE_P(Shapes, SpikeShapeTest,
                         ::testing::Values(SpikeShape::kInstant, SpikeShape::kLinear,
                                           SpikeShape::kExp, SpikeShape::kBell));

TEST(TrafficTest, InstantAndBellSpikesDifferWhereExpected) {
  // First spike minute: instant is at ×4 already, bell still near ×1.
  Scenario scenario = ConstantScenario(20, absl::Hours(1));
  scenario.traffic.spikes.push_back(
      {absl::Seconds(1200), absl::Seconds(1200), 4, SpikeShape::kInstant});
  const RunResult instant = RunArrivals(scenario);
  scenario.traffic.spikes[0].shape = SpikeShape::kBell;
  const RunResult bell = RunArrivals(scenario);
  EXPECT_GT(instant.timeline[20].arrivals, 3 * bell.timeline[20].arrivals);
  // At mid-spike both are at the peak (×4 = 4800 per minute).
  EXPECT_NEAR(static_cast<double>(bell.timeline[29].arrivals), 4700, 300);
  EXPECT_NEAR(static_cast<double>(instant.timeline[29].arrivals), 4800, 300);
}

// Documented daily profile d(h) at whole UTC hours.
constexpr double kDaily[24] = {-0.60, -0.75, -0.85, -0.95, -1.00, -0.90, -0.70, -0.40,
                               -0.10, 0.20,  0.40,  0.55,  0.60,  0.70,  0.85,  1.00,
                               0.95,  0.70,  0.50,  0.30,  0.10,  0.00,  -0.20, -0.40};

// Knot value of the weekly/daily cycle at hour-of-week h (h = 0: Monday 00:00).
double Knot(int64_t h, double amplitude, bool weekly) {
  const int64_t hour = ((h % 168) + 168) % 168;
  const double day = weekly && hour >= 120 ? 0.6 : 1.0;
  return day * (1 + amplitude * kDaily[hour % 24]);
}

// ∫ of the piecewise-linear cycle over [a, b] seconds of the week.
double CycleIntegral(double a, double b, double amplitude, bool weekly) {
  double total = 0;
  for (double t = a; t < b;) {
    const double hour = std::floor(t / 3600);
    const double next = std::min(b, (hour + 1) * 3600);
    const auto h = static_cast<int64_t>(hour);
    const double v0 = Knot(h, amplitude, weekly);
    const double v1 = Knot(h + 1, amplitude, weekly);
    auto value = [&](double x) { return v0 + (v1 - v0) * (x - hour * 3600) / 3600; };
    total += (next - t) * (value(t) + value(next)) / 2;
    t = next;
  }
  return total;
}

TEST(TrafficTest, DailyProfileFollowsTheWallClock) {
  // Start at 10:30 UTC: windows straddle the hourly knots.
  constexpr double kBase = 3;
  constexpr double kAmplitude = 0.8;
  Scenario scenario = ConstantScenario(kBase, absl::Hours(24), absl::Hours(1));
  scenario.traffic.kind = PatternKind::kDaily;
  scenario.traffic.amplitude = kAmplitude;
  scenario.start = testing::MondayMidnight() + absl::Minutes(10 * 60 + 30);
  const double offset = 10.5 * 3600;
  const RunResult result = RunArrivals(scenario);
  ExpectCountsMatch(result, scenario, [&](double a, double b) {
    return kBase * CycleIntegral(offset + a, offset + b, kAmplitude, false);
  });
  // Quietest hour around 04:00 UTC (window 17 covers 03:30-04:30), busiest
  // around 15:00 (window 4 covers 14:30-15:30).
  EXPECT_GT(result.timeline[4].arrivals, 5 * result.timeline[17].arrivals);
}

TEST(TrafficTest, WeeklyProfileQuietensTheWeekend) {
  // Friday 12:00 UTC to Monday 12:00 UTC.
  constexpr double kBase = 1;
  constexpr double kAmplitude = 0.5;
  Scenario scenario = ConstantScenario(kBase, absl::Hours(72), absl::Hours(1));
  scenario.traffic.kind = PatternKind::kWeekly;
  scenario.traffic.amplitude = kAmplitude;
  scenario.start = testing::MondayMidnight() + absl::Hours(4 * 24 + 12);
  const double offset = (4 * 24 + 12) * 3600.0;
  const RunResult result = RunArrivals(scenario);
  ExpectCountsMatch(result, scenario, [&](double a, double b) {
    return kBase * CycleIntegral(offset + a, offset + b, kAmplitude, true);
  });
}

TEST(TrafficTest, SinusoidalRate) {
  constexpr double kBase = 5;
  constexpr double kAmplitude = 0.5;
  constexpr double kPeriod = 7200;
  Scenario scenario = ConstantScenario(kBase, absl::Hours(4), absl::Minutes(10));
  scenario.traffic.kind = PatternKind::kSinusoidal;
  scenario.traffic.amplitude = kAmplitude;
  scenario.traffic.period = absl::Seconds(kPeriod);
  const RunResult result = RunArrivals(scenario);
  const double w = 2 * std::numbers::pi / kPeriod;
  ExpectCountsMatch(result, scenario, [&](double a, double b) {
    return kBase * ((b - a) + kAmplitude / w * (std::cos(w * a) - std::cos(w * b)));
  });
}

TEST(TrafficTest, LinearRateStopsAtZero) {
  // 10/s falling by 5/s per hour: zero from 2 h on.
  Scenario scenario = ConstantScenario(10, absl::Hours(3), absl::Minutes(5));
  scenario.traffic.kind = PatternKind::kLinear;
  scenario.traffic.trend_per_hour = -5;
  const RunResult result = RunArrivals(scenario);
  ExpectCountsMatch(result, scenario, [](double a, double b) {
    auto integral = [](double t) {
      t = std::min(t, 7200.0);
      return 10 * t - 5.0 / 3600 * t * t / 2;
    };
    return integral(b) - integral(a);
  });
  for (size_t k = 24; k < result.timeline.size(); ++k) EXPECT_EQ(result.timeline[k].arrivals, 0);
}

// Sample variance of the window counts.
double CountVariance(const RunResult& result, double* mean) {
  double sum = 0;
  double squares = 0;
  const auto n = static_cast<double>(result.timeline.size());
  for (const Window& w : result.timeline) sum += static_cast<double>(w.arrivals);
  *mean = sum / n;
  for (const Window& w : result.timeline) {
    squares +=
        (static_cast<double>(w.arrivals) - *mean) * (static_cast<double>(w.arrivals) - *mean);
  }
  return squares / (n - 1);
}

TEST(TrafficTest, NoiseMultipliesEachWindowsRate) {
  // 10/s, 60-s windows (m = 600): without noise the counts are Poisson
  // (variance m); with noise 0.2 the variance is m + (0.2 m)² = 15 000.
  // 360 windows: the sample variance is within ±25 % (> 3 standard errors).
  Scenario scenario = ConstantScenario(10, absl::Hours(6));
  double mean = 0;
  const double plain = CountVariance(RunArrivals(scenario), &mean);
  EXPECT_NEAR(mean, 600, 6);
  EXPECT_NEAR(plain / 600, 1, 0.25);
  scenario.traffic.noise = 0.2;
  const double noisy = CountVariance(RunArrivals(scenario), &mean);
  EXPECT_NEAR(mean, 600, 20);
  EXPECT_NEAR(noisy / 15'000, 1, 0.25);
}

TEST(TrafficTest, ArrivalsDoNotDependOnThePlanOrService) {
  // Common random numbers: same scenario and seed, different plan and service.
  Scenario scenario = ConstantScenario(5, absl::Hours(1));
  scenario.traffic.noise = 0.3;
  scenario.traffic.spikes.push_back({absl::Minutes(20), absl::Minutes(10), 3, SpikeShape::kBell});
  PoolPlan small = FixedPlan(2);
  small.steps.push_back({scenario.start + absl::Minutes(30), 9});
  const RunResult a =
      MustSimulate(scenario, small, Config(ServiceDistribution::kExponential, 1, 1, 42));
  const RunResult b =
      MustSimulate(scenario, FixedPlan(50), Config(ServiceDistribution::kGamma, 0.2, 0.5, 42));
  ASSERT_EQ(a.timeline.size(), b.timeline.size());
  for (size_t k = 0; k < a.timeline.size(); ++k) {
    EXPECT_EQ(a.timeline[k].arrivals, b.timeline[k].arrivals) << "window " << k;
  }
}

// A replayed forecast: 5-minute steps of 10, 40, 25 jobs/s (then 25 holds),
// counted in one-minute windows.
TEST(PiecewiseTraffic, ArrivalCountsFollowTheSteps) {
  Scenario scenario = ConstantScenario(0, absl::Minutes(20));
  scenario.traffic.kind = PatternKind::kPiecewise;
  scenario.traffic.piecewise_rates = {10, 40, 25};
  scenario.traffic.piecewise_step = absl::Minutes(5);
  const RunResult result = RunArrivals(scenario);
  ASSERT_EQ(result.timeline.size(), 20u);
  const auto rate_at = [](double t) { return t < 300 ? 10.0 : t < 600 ? 40.0 : 25.0; };
  ExpectCountsMatch(result, scenario, [&](double a, double b) { return rate_at(a) * (b - a); });
  EXPECT_NEAR(static_cast<double>(EstimateEvents(scenario)), 2 * (10 + 40 + 25 * 2) * 300.0, 2);

  Scenario empty = scenario;
  empty.traffic.piecewise_rates.clear();
  EXPECT_EQ(ValidateScenario(empty, Config(ServiceDistribution::kExponential, 1, 1, 1)).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace horizonscale::simulator

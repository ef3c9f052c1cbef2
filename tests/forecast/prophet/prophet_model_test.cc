// Tests of the Prophet-style model (forecast/prophet/prophet_model.cc and its parts)
// against independently known values: synthetic series with a known trend
// changepoint and known seasonal amplitudes, exact lines and constants,
// Prophet's changepoint grid worked by hand, the optimality conditions of the
// MAP estimate, and interval coverage on simulated series.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/model.h"
#include "forecast/prophet/internal/prophet_design.h"
#include "forecast/prophet/internal/prophet_fit.h"
#include "forecast/prophet/internal/prophet_map.h"
#include "forecast/prophet/internal/prophet_simulation.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast {
namespace {

using internal::FitProphet;
using internal::MakeProphetLayout;
using internal::ProphetFit;
using internal::ProphetLayout;

constexpr double kTwoPi = 2 * std::numbers::pi;
// 2022-01-01 in days since the Unix epoch.
constexpr double kOrigin = 18993;

double Parameter(const FittedModel& model, const std::string& name) {
  for (const auto& [key, value] : model.parameters()) {
    if (key == name) return value;
  }
  ADD_FAILURE() << "no parameter " << name;
  return std::numeric_limits<double>::quiet_NaN();
}

ModelOptions DailyOptions() {
  ModelOptions options;
  options.origin_days = kOrigin;
  options.step_days = 1;
  return options;
}

// ---------------------------------------------------------------------------
// Layout: Prophet's changepoint grid and auto seasonality rule.

TEST(ProphetLayoutTest, ChangepointsAtProphetsGrid) {
  // n = 100: hist_size = floor(100·0.8) = 80, 25 changepoints at
  // round(i·79/25) = round(3.16·i), i = 1..25 (worked by hand).
  const ProphetLayout layout = MakeProphetLayout(100, DailyOptions());
  const std::vector<int> expected = {3,  6,  9,  13, 16, 19, 22, 25, 28, 32, 35, 38, 41,
                                     44, 47, 51, 54, 57, 60, 63, 66, 70, 73, 76, 79};
  EXPECT_EQ(layout.changepoint_index, expected);
  ASSERT_EQ(layout.changepoint_count(), 25);
  EXPECT_DOUBLE_EQ(layout.changepoint_t[0], 3.0 / 99);
  EXPECT_DOUBLE_EQ(layout.changepoint_t[24], 79.0 / 99);
}

TEST(ProphetLayoutTest, ShortHistoryHasFewerChangepoints) {
  // n = 10: hist_size = 8, so 7 changepoints at linspace(0, 7, 8)[1:].
  EXPECT_EQ(MakeProphetLayout(10, DailyOptions()).changepoint_index,
            (std::vector<int>{1, 2, 3, 4, 5, 6, 7}));
  // n = 2: hist_size = 1, none.
  EXPECT_EQ(MakeProphetLayout(2, DailyOptions()).changepoint_count(), 0);
  // changepoints = 0: none.
  ModelOptions options = DailyOptions();
  options.prophet.changepoints = 0;
  EXPECT_EQ(MakeProphetLayout(500, options).changepoint_count(), 0);
}

TEST(ProphetLayoutTest, GridRoundsHalfToEvenLikeNumpy) {
  // n = 8: hist_size = floor(6.4) = 6; two changepoints at
  // round(linspace(0, 5, 3)) = round([0, 2.5, 5]) = [0, 2, 5] → {2, 5}.
  ModelOptions options = DailyOptions();
  options.prophet.changepoints = 2;
  EXPECT_EQ(MakeProphetLayout(8, options).changepoint_index, (std::vector<int>{2, 5}));
}

TEST(ProphetLayoutTest, ChangepointRangeMovesTheGrid) {
  // n = 101, range 0.5: hist_size = 50, 7 changepoints at round(7·i) → 7..49.
  ModelOptions options = DailyOptions();
  options.prophet.changepoints = 7;
  options.prophet.changepoint_range = 0.5;
  EXPECT_EQ(MakeProphetLayout(101, options).changepoint_index,
            (std::vector<int>{7, 14, 21, 28, 35, 42, 49}));
}

TEST(ProphetLayoutTest, AutoSeasonalityFollowsProphetsRule) {
  ModelOptions daily = DailyOptions();
  // Yearly from a span of 730 days: 731 daily values span 730.
  EXPECT_EQ(MakeProphetLayout(730, daily).yearly_order, 0);
  EXPECT_EQ(MakeProphetLayout(731, daily).yearly_order, 10);
  // Weekly from a span of 14 days with a step under a week.
  EXPECT_EQ(MakeProphetLayout(14, daily).weekly_order, 0);
  EXPECT_EQ(MakeProphetLayout(15, daily).weekly_order, 3);
  ModelOptions weekly_steps = DailyOptions();
  weekly_steps.step_days = 7;
  const ProphetLayout weekly_layout = MakeProphetLayout(200, weekly_steps);
  EXPECT_EQ(weekly_layout.weekly_order, 0);
  EXPECT_EQ(weekly_layout.yearly_order, 10);
  // Explicit orders win.
  ModelOptions explicit_orders = DailyOptions();
  explicit_orders.prophet.yearly_order = 4;
  explicit_orders.prophet.weekly_order = 0;
  const ProphetLayout layout = MakeProphetLayout(20, explicit_orders);
  EXPECT_EQ(layout.yearly_order, 4);
  EXPECT_EQ(layout.weekly_order, 0);
  EXPECT_EQ(layout.coefficient_count(), 2 + layout.changepoint_count() + 8);
}

TEST(ProphetLayoutTest, FourierTermsMatchDirectTrigonometry) {
  double terms[2 * 10];
  const double day = 19876.25;
  internal::FourierTerms(day, internal::kYearlyPeriodDays, 10, terms);
  for (int r = 1; r <= 10; ++r) {
    EXPECT_NEAR(terms[2 * r - 2], std::sin(kTwoPi * r * day / 365.25), 1e-11) << r;
    EXPECT_NEAR(terms[2 * r - 1], std::cos(kTwoPi * r * day / 365.25), 1e-11) << r;
  }
}

// ---------------------------------------------------------------------------
// The MAP solver: the result satisfies the optimality conditions.

// Negative log posterior of FitLinearMap's model.
double NegativeLogPosterior(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                            const internal::LinearMapPriors& priors, const Eigen::VectorXd& theta,
                            double sigma) {
  const double rss = (y - x * theta).squaredNorm();
  double value = static_cast<double>(y.size()) * std::log(sigma) + rss / (2 * sigma * sigma) +
                 sigma * sigma / (2 * priors.sigma_scale * priors.sigma_scale);
  for (int j = 0; j < theta.size(); ++j) {
    value += priors.normal_precision[j] * theta[j] * theta[j] / 2 +
             priors.laplace_rate[j] * std::abs(theta[j]);
  }
  return value;
}

// A small problem with an intercept, a slope, hinge columns under a Laplace
// prior and two ridge-penalised columns, Prophet-like.
struct SmallProblem {
  Eigen::MatrixXd x;
  Eigen::VectorXd y;
  internal::LinearMapPriors priors;

  internal::LinearMapFit Fit(const internal::LinearMapSettings& settings = {}) const {
    return internal::FitLinearMap(
        internal::MakeLinearMapData(x, y),
        [this](const Eigen::VectorXd& theta) { return (y - x * theta).squaredNorm(); }, priors,
        settings);
  }
};

SmallProblem MakeSmallProblem() {
  std::mt19937_64 random(7);
  std::normal_distribution<double> noise(0, 0.05);
  const int n = 120;
  const int p = 8;
  SmallProblem problem;
  problem.x.resize(n, p);
  problem.y.resize(n);
  for (int i = 0; i < n; ++i) {
    const double t = i / (n - 1.0);
    problem.x(i, 0) = t;
    problem.x(i, 1) = 1;
    for (int j = 0; j < 4; ++j) problem.x(i, 2 + j) = std::max(t - 0.15 * (j + 1), 0.0);
    problem.x(i, 6) = std::sin(kTwoPi * i / 7);
    problem.x(i, 7) = std::cos(kTwoPi * i / 7);
    problem.y[i] =
        0.3 + 0.2 * t + 0.8 * std::max(t - 0.3, 0.0) + 0.1 * problem.x(i, 6) + noise(random);
  }
  problem.priors.normal_precision = Eigen::VectorXd::Zero(p);
  problem.priors.laplace_rate = Eigen::VectorXd::Zero(p);
  problem.priors.normal_precision.head(2).setConstant(1 / 25.0);
  problem.priors.laplace_rate.segment(2, 4).setConstant(1 / 0.05);
  problem.priors.normal_precision.tail(2).setConstant(1 / 100.0);
  return problem;
}

TEST(LinearMapTest, NoCoordinatePerturbationLowersThePosterior) {
  const SmallProblem problem = MakeSmallProblem();
  const auto& [x, y, priors] = problem;
  const internal::LinearMapFit fit = problem.Fit();
  ASSERT_TRUE(fit.converged);
  EXPECT_EQ(fit.descent_fallbacks, 0);
  // The L1 prior makes the estimate sparse: some hinge is exactly 0.
  EXPECT_GT((fit.theta.segment(2, 4).array() == 0).count(), 0);
  const double best = NegativeLogPosterior(x, y, priors, fit.theta, fit.sigma);
  for (const double step : {1e-4, -1e-4, 1e-6, -1e-6}) {
    for (int j = 0; j < x.cols(); ++j) {
      Eigen::VectorXd moved = fit.theta;
      moved[j] += step;
      EXPECT_GE(NegativeLogPosterior(x, y, priors, moved, fit.sigma), best - 1e-12)
          << "coefficient " << j << " step " << step;
    }
    EXPECT_GE(NegativeLogPosterior(x, y, priors, fit.theta, fit.sigma * (1 + step)), best - 1e-12);
  }
  // σ is the closed-form optimum for its residuals: n/σ − RSS/σ³ + σ/0.25 = 0.
  const auto n = static_cast<double>(y.size());
  const double rss = (y - x * fit.theta).squaredNorm();
  EXPECT_NEAR(n / fit.sigma - rss / std::pow(fit.sigma, 3) + fit.sigma / 0.25, 0,
              1e-6 * n / fit.sigma);
}

TEST(LinearMapTest, ActiveSetAndCoordinateDescentAgree) {
  const SmallProblem problem = MakeSmallProblem();
  const internal::LinearMapFit exact = problem.Fit();
  internal::LinearMapSettings descent_only;
  descent_only.use_active_set = false;
  descent_only.cd_tolerance = 1e-13;
  descent_only.max_sweeps = 1000000;
  const internal::LinearMapFit descent = problem.Fit(descent_only);
  ASSERT_TRUE(exact.converged && descent.converged);
  EXPECT_GT(descent.sweeps, 0);
  EXPECT_NEAR(exact.sigma, descent.sigma, 1e-9);
  for (int j = 0; j < exact.theta.size(); ++j) {
    EXPECT_NEAR(exact.theta[j], descent.theta[j], 1e-6) << j;
  }
}

// ---------------------------------------------------------------------------
// Recovery of known components.

// Three years of daily values: slope 0.05/day until day 500, 0.2/day after,
// Gaussian noise of σ = 0.5.
std::vector<double> KinkedSeries(int length, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::normal_distribution<double> noise(0, 0.5);
  std::vector<double> values;
  for (int d = 0; d < length; ++d) {
    const double trend = d < 500 ? 100 + 0.05 * d : 125 + 0.2 * (d - 500);
    values.push_back(trend + noise(random));
  }
  return values;
}

TEST(ProphetModelTest, RecoversTrendChangepoint) {
  const std::vector<double> values = KinkedSeries(1095, 11);
  absl::StatusOr<ProphetFit> fit = FitProphet(values, DailyOptions());
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_TRUE(fit->converged);
  // Slopes of the fitted trend well away from the kink, per day.
  const double before = (fit->Trend(450) - fit->Trend(50)) / 400;
  const double after = (fit->Trend(1050) - fit->Trend(550)) / 500;
  EXPECT_NEAR(before, 0.05, 0.03 * 0.05);
  EXPECT_NEAR(after, 0.2, 0.03 * 0.2);
  // The largest rate change sits at the grid point nearest day 500 (grid
  // spacing 875/25 = 35 days).
  const auto largest =
      std::max_element(fit->delta.begin(), fit->delta.end(),
                       [](double a, double b) { return std::abs(a) < std::abs(b); });
  const int at = fit->layout.changepoint_index[largest - fit->delta.begin()];
  EXPECT_LE(std::abs(at - 500), 35) << "largest rate change at day " << at;
  EXPECT_GT(*largest, 0);
  // Through the public interface: the final rate and a forecast that
  // continues the second slope.
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_NEAR(Parameter(**model, "trend_rate_last"), 0.2, 0.03 * 0.2);
  const std::vector<ForecastValue> forecast = (*model)->Predict(100, 0.8);
  ASSERT_EQ(forecast.size(), 100U);
  const double truth_at_100 = 125 + 0.2 * (1094 + 100 - 500);
  EXPECT_NEAR(forecast[99].value, truth_at_100, 2.5);
}

TEST(ProphetModelTest, RecoversSeasonalAmplitudes) {
  // Level 100 + weekly 10·sin + yearly 20·sin in absolute calendar time,
  // noise σ = 1, three years of daily values.
  std::mt19937_64 random(5);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> values;
  for (int i = 0; i < 1095; ++i) {
    const double day = kOrigin + i;
    values.push_back(100 + 10 * std::sin(kTwoPi * day / 7) + 20 * std::sin(kTwoPi * day / 365.25) +
                     noise(random));
  }
  absl::StatusOr<ProphetFit> fit = FitProphet(values, DailyOptions());
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_NEAR(fit->WeeklyAmplitude(), 10, 0.05 * 10);
  EXPECT_NEAR(fit->YearlyAmplitude(), 20, 0.05 * 20);
  // The components line up with the calendar.
  for (const int i : {3, 100, 700, 1094}) {
    const double day = kOrigin + i;
    EXPECT_NEAR(fit->Weekly(i), 10 * std::sin(kTwoPi * day / 7), 0.5) << i;
    EXPECT_NEAR(fit->Yearly(i), 20 * std::sin(kTwoPi * day / 365.25), 1.5) << i;
  }
  EXPECT_NEAR(fit->sigma * fit->y_scale, 1, 0.1);

  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_NEAR(Parameter(**model, "weekly_amplitude"), 10, 0.5);
  EXPECT_NEAR(Parameter(**model, "yearly_amplitude"), 20, 1);
  // The forecast carries the seasonality into the future.
  const std::vector<ForecastValue> forecast = (*model)->Predict(60, 0.8);
  for (int h = 1; h <= 60; ++h) {
    const double day = kOrigin + 1094 + h;
    const double truth =
        100 + 10 * std::sin(kTwoPi * day / 7) + 20 * std::sin(kTwoPi * day / 365.25);
    EXPECT_NEAR(forecast[h - 1].value, truth, 2) << h;
  }
}

// ---------------------------------------------------------------------------
// Exact series.

TEST(ProphetModelTest, PureLineForecastContinuesTheLine) {
  std::vector<double> values;
  for (int i = 0; i < 200; ++i) values.push_back(5 + 0.3 * i);
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<ForecastValue> forecast = (*model)->Predict(50, 0.8);
  for (int h = 1; h <= 50; ++h) {
    const double line = 5 + 0.3 * (199 + h);
    EXPECT_NEAR(forecast[h - 1].value, line, 1e-6 * line) << h;
    EXPECT_LE(forecast[h - 1].lower, forecast[h - 1].value + 1e-9);
    EXPECT_GE(forecast[h - 1].upper, forecast[h - 1].value - 1e-9);
    EXPECT_LT(forecast[h - 1].upper - forecast[h - 1].lower, 1e-4 * line) << h;
  }
  EXPECT_NEAR(Parameter(**model, "trend_rate_last"), 0.3, 1e-6);
  EXPECT_NEAR(Parameter(**model, "k"), 0.3, 1e-6);
  EXPECT_NEAR(Parameter(**model, "m"), 5, 1e-5);
}

TEST(ProphetModelTest, ConstantSeriesGivesConstantForecastAndTightInterval) {
  for (const double level : {42.0, -3.0, 0.0}) {
    const std::vector<double> values(100, level);
    absl::StatusOr<std::unique_ptr<FittedModel>> model =
        FitModel(ModelKind::kProphet, values, DailyOptions());
    ASSERT_TRUE(model.ok()) << model.status();
    const std::vector<ForecastValue> forecast = (*model)->Predict(30, 0.8);
    for (const ForecastValue& point : forecast) {
      EXPECT_DOUBLE_EQ(point.value, level);
      EXPECT_NEAR(point.lower, level, 1e-6 * (1 + std::abs(level)));
      EXPECT_NEAR(point.upper, level, 1e-6 * (1 + std::abs(level)));
      EXPECT_LE(point.lower, point.upper);
    }
    EXPECT_EQ(Parameter(**model, "changepoints_used"), 0);
  }
}

TEST(ProphetModelTest, TwoPointsGiveTheLineThroughThem) {
  const std::vector<double> values = {10, 12};
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<ForecastValue> forecast = (*model)->Predict(3, 0.8);
  EXPECT_NEAR(forecast[0].value, 14, 1e-6);
  EXPECT_NEAR(forecast[2].value, 18, 1e-6);
}

// ---------------------------------------------------------------------------
// Intervals.

TEST(ProphetModelTest, IntervalCoverageIsNearNominal) {
  // Series on a fixed line with Gaussian noise; the share of fresh future
  // values inside the 80 % interval, over 30 steps of 100 series.
  std::mt19937_64 random(2024);
  std::normal_distribution<double> noise(0, 2);
  const int length = 365;
  const int horizon = 30;
  int inside = 0;
  int total = 0;
  for (int series = 0; series < 100; ++series) {
    std::vector<double> values;
    for (int i = 0; i < length; ++i) values.push_back(50 + 0.05 * i + noise(random));
    ModelOptions options = DailyOptions();
    options.prophet.seed = static_cast<uint64_t>(series);
    absl::StatusOr<std::unique_ptr<FittedModel>> model =
        FitModel(ModelKind::kProphet, values, options);
    ASSERT_TRUE(model.ok()) << model.status();
    const std::vector<ForecastValue> forecast = (*model)->Predict(horizon, 0.8);
    for (int h = 1; h <= horizon; ++h) {
      const double actual = 50 + 0.05 * (length - 1 + h) + noise(random);
      inside += forecast[h - 1].lower <= actual && actual <= forecast[h - 1].upper;
      ++total;
    }
  }
  const double coverage = static_cast<double>(inside) / total;
  EXPECT_GE(coverage, 0.75);
  EXPECT_LE(coverage, 0.85);
}

TEST(ProphetModelTest, IntervalWidensWithTrendUncertainty) {
  // A series with real changepoints has a larger mean |δ|, so its simulated
  // futures fan out: the interval grows with the horizon.
  const std::vector<double> values = KinkedSeries(1095, 3);
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_TRUE(model.ok()) << model.status();
  const std::vector<ForecastValue> forecast = (*model)->Predict(365, 0.8);
  const double first = forecast[0].upper - forecast[0].lower;
  const double last = forecast[364].upper - forecast[364].lower;
  EXPECT_GT(last, first);
  // The first step is nearly noise only: 2·1.2816·σ with σ ≈ 0.5.
  EXPECT_NEAR(first, 2 * 1.2816 * 0.5, 0.25);
  EXPECT_TRUE((*model)->analytic_interval());
}

TEST(ProphetSimulationTest, NoiseOnlyQuantilesAreNormalQuantiles) {
  // No changepoints: the deviations are σ·z, so the 10 % / 90 % quantiles of
  // many paths approach ∓1.2816·σ.
  internal::FutureSimulationSpec spec;
  spec.paths = 100000;
  spec.step_t = 0.001;
  spec.noise_sigma = 2;
  spec.seed = 9;
  const internal::DeviationQuantiles quantiles =
      internal::SimulateDeviationQuantiles(spec, 5, 0.1, 0.9);
  ASSERT_EQ(quantiles.lower.size(), 5U);
  for (int h = 0; h < 5; ++h) {
    EXPECT_NEAR(quantiles.lower[h], -1.2816 * 2, 0.03);
    EXPECT_NEAR(quantiles.upper[h], 1.2816 * 2, 0.03);
  }
}

TEST(ProphetSimulationTest, CertainChangeEveryStepGivesKnownSpread) {
  // change_probability 1 and no noise: every step has a change c_j ~
  // Laplace(0, λ), and the deviation at step h is dt·Σ_j c_j (h − j + ½);
  // at h = 1 it is dt·c_1/2, a Laplace(0, dt·λ/2) variable whose 90 %
  // quantile is dt·λ/2·ln(5).
  internal::FutureSimulationSpec spec;
  spec.paths = 100000;
  spec.step_t = 0.01;
  spec.change_probability = 1;
  spec.rate_change_scale = 3;
  spec.seed = 4;
  const internal::DeviationQuantiles quantiles =
      internal::SimulateDeviationQuantiles(spec, 2, 0.1, 0.9);
  const double expected = 0.01 * 3 / 2 * std::log(5.0);
  EXPECT_NEAR(quantiles.upper[0], expected, 0.02 * expected);
  EXPECT_NEAR(quantiles.lower[0], -expected, 0.02 * expected);
}

TEST(ProphetModelTest, SameSeedSameForecast) {
  const std::vector<double> values = KinkedSeries(800, 8);
  ModelOptions options = DailyOptions();
  options.prophet.seed = 77;
  auto first = FitModel(ModelKind::kProphet, values, options);
  auto second = FitModel(ModelKind::kProphet, values, options);
  ASSERT_TRUE(first.ok() && second.ok());
  const std::vector<ForecastValue> a = (*first)->Predict(90, 0.8);
  const std::vector<ForecastValue> b = (*second)->Predict(90, 0.8);
  const std::vector<ForecastValue> again = (*first)->Predict(90, 0.8);
  for (int h = 0; h < 90; ++h) {
    EXPECT_EQ(a[h].value, b[h].value);
    EXPECT_EQ(a[h].lower, b[h].lower);
    EXPECT_EQ(a[h].upper, b[h].upper);
    EXPECT_EQ(a[h].lower, again[h].lower);
    EXPECT_EQ(a[h].upper, again[h].upper);
  }
  options.prophet.seed = 78;
  auto other = FitModel(ModelKind::kProphet, values, options);
  ASSERT_TRUE(other.ok());
  const std::vector<ForecastValue> c = (*other)->Predict(90, 0.8);
  bool differs = false;
  for (int h = 0; h < 90; ++h) {
    EXPECT_EQ(a[h].value, c[h].value);
    differs = differs || a[h].upper != c[h].upper;
  }
  EXPECT_TRUE(differs);
}

// ---------------------------------------------------------------------------
// Extend, parameters, description.

TEST(ProphetModelTest, ExtendRefitsOnTheLongerSeries) {
  const std::vector<double> values = KinkedSeries(900, 21);
  const std::span<const double> all(values);
  auto head = FitModel(ModelKind::kProphet, all.first(850), DailyOptions());
  auto whole = FitModel(ModelKind::kProphet, all, DailyOptions());
  ASSERT_TRUE(head.ok() && whole.ok());
  const std::unique_ptr<FittedModel> extended = (*head)->Extend(all.subspan(850));
  const std::vector<ForecastValue> a = extended->Predict(20, 0.9);
  const std::vector<ForecastValue> b = (*whole)->Predict(20, 0.9);
  for (int h = 0; h < 20; ++h) {
    EXPECT_EQ(a[h].value, b[h].value);
    EXPECT_EQ(a[h].lower, b[h].lower);
    EXPECT_EQ(a[h].upper, b[h].upper);
  }
}

TEST(ProphetModelTest, ParametersAndDescription) {
  const std::vector<double> values = KinkedSeries(1095, 13);
  auto model = FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->kind(), ModelKind::kProphet);
  std::vector<std::string> names;
  for (const auto& [name, value] : (*model)->parameters()) {
    names.push_back(name);
    EXPECT_TRUE(std::isfinite(value)) << name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"k", "m", "sigma", "trend_rate_last", "changepoints",
                                             "changepoints_used", "yearly_order", "weekly_order",
                                             "yearly_amplitude", "weekly_amplitude"}));
  EXPECT_EQ(Parameter(**model, "changepoints"), 25);
  EXPECT_NEAR(Parameter(**model, "k"), 0.05, 0.1 * 0.05);
  EXPECT_NEAR(Parameter(**model, "m"), 100, 1);
  EXPECT_NEAR(Parameter(**model, "sigma"), 0.5, 0.05);
  const int used = static_cast<int>(Parameter(**model, "changepoints_used"));
  EXPECT_EQ((*model)->description(),
            "Prophet-style: piecewise-linear trend with 25 changepoints (" + std::to_string(used) +
                " active), yearly order 10, weekly order 3");
}

// ---------------------------------------------------------------------------
// Errors.

TEST(ProphetModelTest, EveryOptionIsValidated) {
  const std::vector<double> values = KinkedSeries(100, 1);
  struct Case {
    const char* name;
    void (*apply)(ModelOptions&);
  };
  const Case cases[] = {
      {"prophet.changepoints", [](ModelOptions& o) { o.prophet.changepoints = -1; }},
      {"prophet.changepoint_range", [](ModelOptions& o) { o.prophet.changepoint_range = 0; }},
      {"prophet.changepoint_range", [](ModelOptions& o) { o.prophet.changepoint_range = 1.5; }},
      {"prophet.changepoint_range",
       [](ModelOptions& o) { o.prophet.changepoint_range = std::nan(""); }},
      {"prophet.changepoint_prior_scale",
       [](ModelOptions& o) { o.prophet.changepoint_prior_scale = 0; }},
      {"prophet.changepoint_prior_scale",
       [](ModelOptions& o) {
         o.prophet.changepoint_prior_scale = std::numeric_limits<double>::infinity();
       }},
      {"prophet.seasonality_prior_scale",
       [](ModelOptions& o) { o.prophet.seasonality_prior_scale = -1; }},
      {"prophet.seasonality_prior_scale",
       [](ModelOptions& o) { o.prophet.seasonality_prior_scale = std::nan(""); }},
      {"prophet.yearly_order", [](ModelOptions& o) { o.prophet.yearly_order = -1; }},
      {"prophet.yearly_order", [](ModelOptions& o) { o.prophet.yearly_order = 51; }},
      {"prophet.weekly_order", [](ModelOptions& o) { o.prophet.weekly_order = -2; }},
      {"prophet.weekly_order", [](ModelOptions& o) { o.prophet.weekly_order = 1000; }},
      {"prophet.uncertainty_samples", [](ModelOptions& o) { o.prophet.uncertainty_samples = 0; }},
      {"prophet.uncertainty_samples",
       [](ModelOptions& o) { o.prophet.uncertainty_samples = 100001; }},
      {"step_days", [](ModelOptions& o) { o.step_days = 0; }},
      {"step_days", [](ModelOptions& o) { o.step_days = std::nan(""); }},
      {"origin_days",
       [](ModelOptions& o) { o.origin_days = std::numeric_limits<double>::infinity(); }},
  };
  for (const Case& c : cases) {
    ModelOptions options = DailyOptions();
    c.apply(options);
    auto model = FitModel(ModelKind::kProphet, values, options);
    ASSERT_FALSE(model.ok()) << c.name;
    EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(model.status().message().find(c.name), std::string::npos) << model.status().message();
  }
  // The bounds themselves are accepted.
  ModelOptions edge = DailyOptions();
  edge.prophet.changepoints = 0;
  edge.prophet.changepoint_range = 1;
  edge.prophet.yearly_order = 50;
  edge.prophet.weekly_order = 0;
  edge.prophet.uncertainty_samples = 1;
  EXPECT_TRUE(FitModel(ModelKind::kProphet, values, edge).ok());
}

TEST(ProphetModelTest, RejectsNonFiniteValuesAndShortHistory) {
  std::vector<double> values = KinkedSeries(50, 2);
  values[17] = std::nan("");
  auto model = FitModel(ModelKind::kProphet, values, DailyOptions());
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(model.status().message().find("17"), std::string::npos);

  EXPECT_EQ(MinimumLength(ModelKind::kProphet, DailyOptions()), 2);
  const std::vector<double> one = {3};
  auto short_model = FitModel(ModelKind::kProphet, one, DailyOptions());
  ASSERT_FALSE(short_model.ok());
  EXPECT_EQ(short_model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(short_model.status()), "INSUFFICIENT_HISTORY");
  // FitProphet checks too, when reached directly.
  auto direct = FitProphet(one, DailyOptions());
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(ReasonOf(direct.status()), "INSUFFICIENT_HISTORY");
}

TEST(ProphetModelTest, EmptyHorizonGivesEmptyForecast) {
  auto model = FitModel(ModelKind::kProphet, KinkedSeries(60, 4), DailyOptions());
  ASSERT_TRUE(model.ok());
  EXPECT_TRUE((*model)->Predict(0, 0.8).empty());
  EXPECT_TRUE((*model)->Predict(-3, 0.8).empty());
}

}  // namespace
}  // namespace horizonscale::forecast

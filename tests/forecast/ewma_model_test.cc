// Tests of the EWMA model behind FitModel (forecast/ewma.cc): the same
// forecasts as FitEwma / PredictEwma, its Extend, its option checks and its
// interval coverage on a simulated local-level process.
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/forecast.h"
#include "forecast/model.h"
#include "tests/forecast/support/interval_coverage.h"
#include "tests/forecast/support/model_fitting.h"

namespace horizonscale::forecast {
namespace {

using testing::Coverage;
using testing::ExpectNominalCoverage;
using testing::FitOrDie;
using testing::MeasureCoverage;
using testing::Parameter;
using testing::SimulateLocalTrend;

TEST(EwmaModel, EqualsFitEwmaAndPredictEwma) {
  const std::vector<double> values = {10, 12, 11, 15, 14, 13, 17, 16, 18, 17};
  for (const double alpha : {0.0, 0.4, 1.0}) {
    SCOPED_TRACE(alpha);
    ModelOptions options;
    if (alpha > 0) options.alpha = alpha;
    const std::unique_ptr<FittedModel> model = FitOrDie(ModelKind::kEwma, values, options);
    ASSERT_NE(model, nullptr);
    const absl::StatusOr<EwmaFit> direct = FitEwma(values, alpha);
    ASSERT_TRUE(direct.ok());
    EXPECT_EQ(model->kind(), ModelKind::kEwma);
    EXPECT_TRUE(model->analytic_interval());
    EXPECT_EQ(Parameter(*model, "alpha"), direct->alpha);
    const std::vector<ForecastValue> expected = PredictEwma(*direct, 4, 0.9);
    const std::vector<ForecastValue> actual = model->Predict(4, 0.9);
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) {
      EXPECT_EQ(actual[i].value, expected[i].value);
      EXPECT_EQ(actual[i].lower, expected[i].lower);
      EXPECT_EQ(actual[i].upper, expected[i].upper);
    }
  }
}

TEST(EwmaModel, ExtendRunsTheLevelRecursionWithTheFittedAlpha) {
  ModelOptions options;
  options.alpha = 0.5;
  const std::vector<double> values = {10, 12, 11, 15};  // level 13, σ = sqrt(20/3)
  const std::unique_ptr<FittedModel> model = FitOrDie(ModelKind::kEwma, values, options);
  ASSERT_NE(model, nullptr);
  const std::vector<double> more = {17, 9};  // 13 → 15 → 12
  const std::unique_ptr<FittedModel> extended = model->Extend(more);
  const std::vector<ForecastValue> forecast = extended->Predict(2, 0.95);
  const double half = 1.959963984540054 * std::sqrt(20.0 / 3);
  EXPECT_DOUBLE_EQ(forecast[0].value, 12);
  EXPECT_NEAR(forecast[0].upper - 12, half, 1e-9);  // σ kept as fitted
  EXPECT_NEAR(forecast[1].upper - 12, half * std::sqrt(1.25), 1e-9);
}

TEST(EwmaModel, RejectsAlphaOutsideTheUnitInterval) {
  const std::vector<double> values = {1, 2, 3};
  for (const double alpha : {0.0, -0.1, 1.5, static_cast<double>(NAN)}) {
    ModelOptions options;
    options.alpha = alpha;
    EXPECT_EQ(FitModel(ModelKind::kEwma, values, options).status().code(),
              absl::StatusCode::kInvalidArgument)
        << alpha;
  }
  ModelOptions options;
  options.alpha = 1.0;
  EXPECT_TRUE(FitModel(ModelKind::kEwma, values, options).ok());
}

TEST(IntervalCoverage, EwmaCoversALocalLevelProcessAtTheNominalRate) {
  const std::vector<int> horizons = {1, 5, 10};
  const std::vector<Coverage> coverage = MeasureCoverage(
      ModelKind::kEwma, ModelOptions{}, 120, horizons, 3000, [](std::mt19937_64& random, int n) {
        return SimulateLocalTrend(random, n, 0.3, 0.0, 0.0, 2.0);
      });
  ExpectNominalCoverage(coverage, horizons);
}

}  // namespace
}  // namespace horizonscale::forecast

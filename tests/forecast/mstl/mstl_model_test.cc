// The MSTL model through FitModel(ModelKind::kMstl): R's seasonal forecast
// (forecast.stl repeats each component's last cycle), noise-free recovery,
// Extend, parameters, errors and robustness on awkward inputs.
#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/model.h"
#include "forecast/mstl/internal/mstl.h"
#include "forecast/status_reason.h"
#include "tests/forecast/mstl/r_mstl_reference.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast {
namespace {

namespace t = horizonscale::forecast::testing;

ModelOptions WithPeriods(std::vector<int> periods) {
  ModelOptions options;
  options.seasonal_periods = std::move(periods);
  return options;
}

ModelOptions WithPeriod(int period) {
  ModelOptions options;
  options.seasonal_period = period;
  return options;
}

std::unique_ptr<FittedModel> FitOrDie(std::span<const double> y, const ModelOptions& options) {
  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitModel(ModelKind::kMstl, y, options);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? std::move(*model) : nullptr;
}

// The model the MSTL model fits to the seasonally adjusted series: ETS.
std::unique_ptr<FittedModel> FitAdjusted(std::span<const double> adjusted) {
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kEts, adjusted, ModelOptions{});
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? std::move(*model) : nullptr;
}

void ExpectFinite(const std::vector<ForecastValue>& forecast) {
  for (const ForecastValue& f : forecast) {
    EXPECT_TRUE(std::isfinite(f.value));
    EXPECT_TRUE(std::isfinite(f.lower));
    EXPECT_TRUE(std::isfinite(f.upper));
    EXPECT_LE(f.lower, f.value);
    EXPECT_GE(f.upper, f.value);
  }
}

// stlf adds the last cycle of R's seasonal component (mstl(USAccDeaths)) to
// the adjusted model's forecast and interval.
TEST(MstlModelTest, SeasonalForecastIsRsLastCycleOnUSAccDeaths) {
  std::unique_ptr<FittedModel> model = FitOrDie(t::kUSAccDeaths, WithPeriod(12));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->kind(), ModelKind::kMstl);
  EXPECT_TRUE(model->analytic_interval());
  const std::vector<int> periods = {12};
  absl::StatusOr<internal::MstlResult> parts = internal::Mstl(t::kUSAccDeaths, periods);
  ASSERT_TRUE(parts.ok()) << parts.status();
  std::vector<double> adjusted(72);
  for (int i = 0; i < 72; ++i) adjusted[i] = parts->trend[i] + parts->remainder[i];
  std::unique_ptr<FittedModel> adjusted_model = FitAdjusted(adjusted);
  ASSERT_NE(adjusted_model, nullptr);

  const std::vector<ForecastValue> forecast = model->Predict(24, 0.95);
  const std::vector<ForecastValue> base = adjusted_model->Predict(24, 0.95);
  ASSERT_EQ(forecast.size(), 24u);
  for (int h = 0; h < 24; ++h) {
    const double seasonal = t::kUSAccDeathsSeasonal[60 + h % 12];
    EXPECT_NEAR(forecast[h].value - base[h].value, seasonal, 1e-8) << h;
    EXPECT_NEAR(forecast[h].lower - base[h].lower, seasonal, 1e-8) << h;
    EXPECT_NEAR(forecast[h].upper - base[h].upper, seasonal, 1e-8) << h;
  }
  // R's stlf(USAccDeaths, h = 24, method = "ets") chose ETS(A,N,N) for the
  // adjusted series; its figures apply only when ours made the same choice.
  if (model->description().find("ETS(A,N,N)") != std::string::npos) {
    for (int h = 0; h < 24; ++h) {
      EXPECT_NEAR(forecast[h].value, t::kStlfMean[h], 1e-4 * t::kStlfMean[h]) << h;
      EXPECT_NEAR(forecast[h].lower, t::kStlfLower95[h], 1e-3 * t::kStlfMean[h]) << h;
      EXPECT_NEAR(forecast[h].upper, t::kStlfUpper95[h], 1e-3 * t::kStlfMean[h]) << h;
    }
  }
}

TEST(MstlModelTest, DescribesPeriodsAndReportsSeasonalStrengths) {
  std::unique_ptr<FittedModel> model = FitOrDie(t::ktaylor, WithPeriods({48, 336}));
  ASSERT_NE(model, nullptr);
  const std::string description = model->description();
  EXPECT_EQ(description.rfind("MSTL (periods 48, 336) + ", 0), 0u) << description;
  EXPECT_NE(description.find(" on the seasonally adjusted series"), std::string::npos);
  double strength48 = -1;
  double strength336 = -1;
  for (const auto& [name, value] : model->parameters()) {
    if (name == "seasonal_strength_48") strength48 = value;
    if (name == "seasonal_strength_336") strength336 = value;
  }
  // Half-hourly electricity demand: both cycles are strong.
  EXPECT_GT(strength48, 0.9);
  EXPECT_LE(strength48, 1.0);
  EXPECT_GT(strength336, 0.5);
  EXPECT_LE(strength336, 1.0);
  ExpectFinite(model->Predict(336, 0.9));
}

// The largest |forecast - truth| over `horizon` steps of a model fitted to
// the first n values of `truth`.
template <typename Truth>
double WorstForecastError(Truth truth, int n, int horizon, const ModelOptions& options) {
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i) y[i] = truth(i);
  std::unique_ptr<FittedModel> model = FitOrDie(y, options);
  if (model == nullptr) return INFINITY;
  const std::vector<ForecastValue> forecast = model->Predict(horizon, 0.95);
  double worst = 0;
  for (int h = 0; h < horizon; ++h) {
    worst = std::max(worst, std::abs(forecast[h].value - truth(n + h)));
  }
  return worst;
}

// One noise-free cycle on a level: STL recovers it exactly, and so the
// forecast is exact.
TEST(MstlModelTest, ForecastsANoiseFreeCycleExactly) {
  auto truth = [](int i) { return 50 + 8 * std::sin(2 * std::numbers::pi * i / 12); };
  EXPECT_LT(WorstForecastError(truth, 120, 24, WithPeriod(12)), 1e-9);
}

// Two noise-free cycles, on a level and on a line. MSTL with R's defaults
// (two passes; s.window 11 and 15 of degree 0) does not split them exactly
// (mstl_test.cc; R's mstl gives the same components), and on a line the
// local-constant seasonal smoother is biased at the series' end, which the
// seasonal-naive forecast of the last cycle carries forward. Measured: 0.004
// on a level and 0.52 on a line (0.03% and 3.5% of the seasonal amplitude 15).
TEST(MstlModelTest, ForecastsNoiseFreeTwoCyclesClosely) {
  auto cycles = [](int i) {
    return 10 * std::sin(2 * std::numbers::pi * i / 24) +
           5 * std::cos(2 * std::numbers::pi * i / 168);
  };
  const ModelOptions options = WithPeriods({24, 168});
  EXPECT_LT(WorstForecastError([&](int i) { return 100 + cycles(i); }, 24 * 7 * 8, 168, options),
            0.01);
  EXPECT_LT(WorstForecastError([&](int i) { return 100 + 0.05 * i + cycles(i); }, 24 * 7 * 8, 168,
                               options),
            0.6);
}

TEST(MstlModelTest, ExtendContinuesTheSeasonalCycles) {
  const int n = 12 * 8;
  auto truth = [](int i) { return 50 + 8 * std::sin(2 * std::numbers::pi * i / 12); };
  std::vector<double> y(n + 17);
  for (int i = 0; i < n + 17; ++i) y[i] = truth(i);
  std::unique_ptr<FittedModel> model =
      FitOrDie(std::span<const double>(y).first(n), WithPeriod(12));
  ASSERT_NE(model, nullptr);
  // Extending by nothing changes nothing.
  const std::vector<ForecastValue> before = model->Predict(5, 0.8);
  const std::vector<ForecastValue> same = model->Extend({})->Predict(5, 0.8);
  for (int h = 0; h < 5; ++h) EXPECT_DOUBLE_EQ(same[h].value, before[h].value);
  // Absorbing the true continuation in two pieces keeps the forecast on it.
  const std::span<const double> more = std::span<const double>(y).subspan(n);
  std::unique_ptr<FittedModel> extended = model->Extend(more.first(5))->Extend(more.subspan(5));
  EXPECT_EQ(extended->kind(), ModelKind::kMstl);
  EXPECT_EQ(extended->description(), model->description());
  const std::vector<ForecastValue> forecast = extended->Predict(30, 0.8);
  for (int h = 0; h < 30; ++h) EXPECT_NEAR(forecast[h].value, truth(n + 17 + h), 1e-6) << h;
  ExpectFinite(forecast);
}

TEST(MstlModelTest, MinimumLengthIsTwoCyclesOfTheShortestPeriodPlusOne) {
  EXPECT_EQ(MinimumLength(ModelKind::kMstl, WithPeriod(12)), 25);
  EXPECT_EQ(MinimumLength(ModelKind::kMstl, WithPeriods({24, 168})), 49);
  const std::vector<double> y(t::kUSAccDeaths.begin(), t::kUSAccDeaths.begin() + 24);
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitModel(ModelKind::kMstl, y, WithPeriod(12));
  EXPECT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(HasReason(model.status(), reason::kInsufficientHistory));
}

TEST(MstlModelTest, RejectsMissingOrBadPeriods) {
  absl::StatusOr<std::unique_ptr<FittedModel>> none =
      FitModel(ModelKind::kMstl, t::kUSAccDeaths, ModelOptions{});
  EXPECT_EQ(none.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("seasonal_period"), std::string::npos);
  EXPECT_EQ(FitModel(ModelKind::kMstl, t::kUSAccDeaths, WithPeriods({12, 6})).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FitModel(ModelKind::kMstl, t::kUSAccDeaths, WithPeriods({1, 12})).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MstlModelTest, DropsPeriodsLongerThanHalfTheSeries) {
  std::unique_ptr<FittedModel> model = FitOrDie(t::kUSAccDeaths, WithPeriods({12, 36}));
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->description().rfind("MSTL (period 12) + ", 0), 0u) << model->description();
  int strengths = 0;
  for (const auto& [name, value] : model->parameters()) {
    if (name.rfind("seasonal_strength_", 0) == 0) ++strengths;
  }
  EXPECT_EQ(strengths, 1);
}

TEST(MstlModelTest, StopsWhenCancelled) {
  ModelOptions options = WithPeriods({48, 336});
  options.cancelled = [] { return true; };
  EXPECT_EQ(FitModel(ModelKind::kMstl, t::ktaylor, options).status().code(),
            absl::StatusCode::kCancelled);
}

TEST(MstlModelTest, StaysFiniteOnAwkwardInputs) {
  std::vector<std::vector<double>> inputs;
  inputs.emplace_back(t::kUSAccDeaths.begin(), t::kUSAccDeaths.begin() + 25);  // shortest
  inputs.emplace_back(60, 42.0);                                               // constant
  std::vector<double> trending(60);
  for (int i = 0; i < 60; ++i) trending[i] = 3.0 * i;
  inputs.push_back(trending);
  std::vector<double> intermittent(60, 0.0);
  for (int i = 0; i < 60; i += 7) intermittent[i] = 5;
  inputs.push_back(intermittent);
  inputs.emplace_back(t::kAirPassengers.begin(), t::kAirPassengers.end());  // seasonal
  for (const std::vector<double>& y : inputs) {
    std::unique_ptr<FittedModel> model = FitOrDie(y, WithPeriod(12));
    ASSERT_NE(model, nullptr);
    ExpectFinite(model->Predict(24, 0.95));
    ExpectFinite(model->Extend(std::span<const double>(y).first(13))->Predict(24, 0.95));
    for (const auto& [name, value] : model->parameters()) EXPECT_TRUE(std::isfinite(value)) << name;
  }
}

}  // namespace
}  // namespace horizonscale::forecast

// FitModel(kEts): options, member restrictions, degenerate inputs, the
// FittedModel contract (parameters, description, Extend, cancellation) and
// long seasonal periods.
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/model.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast {
namespace {

double Parameter(const FittedModel& model, const std::string& name) {
  for (const auto& [key, value] : model.parameters()) {
    if (key == name) return value;
  }
  ADD_FAILURE() << "no parameter " << name;
  return NAN;
}

void ExpectFiniteForecasts(const FittedModel& model, int horizon) {
  const std::vector<ForecastValue> forecast = model.Predict(horizon, 0.9);
  ASSERT_EQ(forecast.size(), static_cast<size_t>(horizon));
  for (const ForecastValue& f : forecast) {
    EXPECT_TRUE(std::isfinite(f.value) && std::isfinite(f.lower) && std::isfinite(f.upper));
    EXPECT_LE(f.lower, f.value);
    EXPECT_GE(f.upper, f.value);
  }
}

absl::StatusOr<std::unique_ptr<FittedModel>> Fit(std::span<const double> values, int period,
                                                 const std::string& model = "ZZZ") {
  ModelOptions options;
  options.seasonal_period = period;
  options.ets_model = model;
  return FitModel(ModelKind::kEts, values, options);
}

TEST(EtsModel, RejectsInvalidModelStrings) {
  const std::vector<double> values(testing::kAirPassengers.begin(), testing::kAirPassengers.end());
  for (const char* bad : {"", "ZZ", "ZZZZ", "XNN", "AMN", "ANX", "ann", "AAM", "ZNZ "}) {
    auto model = Fit(values, 12, bad);
    EXPECT_EQ(model.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(model.status().message().find("ets_model"), std::string::npos) << bad;
  }
  // A season without a period, multiplicative parts on non-positive data,
  // damping without trend, a season contradicting `seasonality`.
  EXPECT_EQ(Fit(values, 0, "ANA").status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<double> with_zero = values;
  with_zero[5] = 0;
  EXPECT_EQ(Fit(with_zero, 12, "MNN").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Fit(with_zero, 12, "ZZM").status().code(), absl::StatusCode::kInvalidArgument);
  ModelOptions options;
  options.seasonal_period = 12;
  options.ets_model = "ANN";
  options.damped = true;
  EXPECT_EQ(FitModel(ModelKind::kEts, values, options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.ets_model = "MAM";
  options.damped.reset();
  options.seasonality = Seasonality::kAdditive;
  EXPECT_EQ(FitModel(ModelKind::kEts, values, options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EtsModel, OptionsNarrowTheSearch) {
  const std::vector<double> values(testing::kAirPassengers.begin(), testing::kAirPassengers.end());
  ModelOptions options;
  options.seasonal_period = 12;
  options.seasonality = Seasonality::kAdditive;
  options.damped = true;
  auto model = FitModel(ModelKind::kEts, values, options);
  ASSERT_TRUE(model.ok()) << model.status();
  const std::string description = (*model)->description();
  EXPECT_NE(description.find("Ad,A)"), std::string::npos) << description;
  options.ets_model = "ANN";
  options.damped.reset();
  options.seasonality = Seasonality::kAuto;
  model = FitModel(ModelKind::kEts, values, options);
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->description(), "ETS(A,N,N)");
}

TEST(EtsModel, ParametersAndDescription) {
  auto model = Fit(testing::kAirPassengers, 12, "MAM");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ((*model)->kind(), ModelKind::kEts);
  EXPECT_EQ((*model)->description(), "ETS(M,A,M), period 12");
  EXPECT_TRUE((*model)->analytic_interval());
  std::vector<std::string> names;
  for (const auto& [name, value] : (*model)->parameters()) {
    names.push_back(name);
    EXPECT_TRUE(std::isfinite(value)) << name;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"alpha", "beta", "gamma", "sigma2", "loglik", "aicc"}));
  const double alpha = Parameter(**model, "alpha");
  const double beta = Parameter(**model, "beta");
  const double gamma = Parameter(**model, "gamma");
  EXPECT_GE(alpha, 1e-4);
  EXPECT_LE(alpha, 0.9999);
  EXPECT_LE(beta, alpha);
  EXPECT_LE(gamma, 1 - alpha + 1e-12);
}

// A yearly series (no period) fits the non-seasonal members.
TEST(EtsModel, NonSeasonalSeries) {
  auto model = Fit(testing::kNile, 0);
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_EQ((*model)->description().find("period"), std::string::npos);
  ExpectFiniteForecasts(**model, 10);
}

TEST(EtsModel, DegenerateInputsGiveFiniteForecasts) {
  const std::vector<std::vector<double>> inputs = {
      {5.0},
      {3.0, 4.0},
      {3.0, 4.0, 6.0},
      {10.0, 12.0, 11.0, 13.0, 12.5},
      std::vector<double>(40, 7.0),
      {0, 0, 0, 5, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 4, 0, 0, 0},
      std::vector<double>(30, 0.0),
  };
  for (int period : {0, 4, 12}) {
    for (const std::vector<double>& values : inputs) {
      auto model = Fit(values, period);
      ASSERT_TRUE(model.ok()) << model.status() << " n=" << values.size();
      ExpectFiniteForecasts(**model, 12);
    }
  }
  // A constant series forecasts the constant with a zero-width interval.
  auto constant = Fit(std::vector<double>(40, 7.0), 12);
  ASSERT_TRUE(constant.ok());
  const ForecastValue first = (*constant)->Predict(3, 0.9)[2];
  EXPECT_NEAR(first.value, 7.0, 1e-9);
  EXPECT_NEAR(first.upper - first.lower, 0.0, 1e-6);
}

TEST(EtsModel, TrendingAndSeasonalInputs) {
  std::vector<double> trending(60);
  std::vector<double> seasonal(96);
  for (size_t t = 0; t < trending.size(); ++t) trending[t] = 50 + 2.0 * t + (t % 3 == 0 ? 1 : -1);
  for (size_t t = 0; t < seasonal.size(); ++t) {
    seasonal[t] =
        100 + 20 * std::sin(2 * std::numbers::pi * t / 12) + 0.3 * t + ((t * 7919) % 13) / 13.0;
  }
  auto trend_model = Fit(trending, 0);
  ASSERT_TRUE(trend_model.ok());
  ExpectFiniteForecasts(**trend_model, 24);
  EXPECT_GT((*trend_model)->Predict(10, 0.8)[9].value, trending.back() + 10);
  auto seasonal_model = Fit(seasonal, 12);
  ASSERT_TRUE(seasonal_model.ok());
  ExpectFiniteForecasts(**seasonal_model, 24);
  EXPECT_NE((*seasonal_model)->description().find("period 12"), std::string::npos);
}

// Extend runs the recursions with the parameters fixed: extending a fit on
// the first 120 values by the last 24 forecasts what a model with those
// parameters forecasts after all 144 (the point forecasts of the extended
// model continue from the state after value 144).
TEST(EtsModel, ExtendContinuesTheState) {
  const std::span<const double> all = testing::kAirPassengers;
  auto model = Fit(all.first(120), 12, "MAM");
  ASSERT_TRUE(model.ok());
  const std::unique_ptr<FittedModel> extended = (*model)->Extend(all.subspan(120));
  EXPECT_EQ(extended->parameters(), (*model)->parameters());
  const std::vector<ForecastValue> before = (*model)->Predict(36, 0.8);
  const std::vector<ForecastValue> after = extended->Predict(12, 0.8);
  // Fitted on 1949–1958, the extended model forecasts 1961 near the 1959-60
  // level and not where the unextended one would (its 1961 is 25–36 steps
  // ahead).
  EXPECT_NEAR(after[6].value, all[143 - 5] * 1.08, 0.15 * all[143 - 5]);
  EXPECT_NE(after[0].value, before[24].value);
  ExpectFiniteForecasts(*extended, 12);
  // Extending in two pieces is extending at once.
  const std::unique_ptr<FittedModel> twice =
      (*model)->Extend(all.subspan(120, 10))->Extend(all.subspan(130));
  EXPECT_NEAR(twice->Predict(12, 0.8)[11].value, after[11].value, 1e-9 * after[11].value);
  // Extending by nothing changes nothing.
  const std::unique_ptr<FittedModel> same = (*model)->Extend({});
  EXPECT_EQ(same->Predict(5, 0.8)[4].value, (*model)->Predict(5, 0.8)[4].value);
}

TEST(EtsModel, Cancellation) {
  ModelOptions options;
  options.seasonal_period = 12;
  options.cancelled = [] { return true; };
  auto model = FitModel(ModelKind::kEts, testing::kAirPassengers, options);
  EXPECT_EQ(model.status().code(), absl::StatusCode::kCancelled);
}

// Periods beyond R's limit of 24: half-hourly data with a daily cycle (48)
// and hourly data with a weekly one (168).
TEST(EtsModel, LongSeasonalPeriods) {
  auto taylor = Fit(testing::ktaylor, 48);
  ASSERT_TRUE(taylor.ok()) << taylor.status();
  EXPECT_NE((*taylor)->description().find("period 48"), std::string::npos)
      << (*taylor)->description();
  ExpectFiniteForecasts(**taylor, 96);
  std::vector<double> hourly(1000);
  for (size_t t = 0; t < hourly.size(); ++t) {
    const double day = std::sin(2 * std::numbers::pi * (t % 24) / 24.0);
    const double weekend = (t / 24) % 7 >= 5 ? 0.6 : 1.0;
    hourly[t] = 200 * weekend * (1 + 0.4 * day) + 0.01 * t + ((t * 7919) % 17);
  }
  auto weekly = Fit(hourly, 168);
  ASSERT_TRUE(weekly.ok()) << weekly.status();
  EXPECT_NE((*weekly)->description().find("period 168"), std::string::npos)
      << (*weekly)->description();
  ExpectFiniteForecasts(**weekly, 336);
}

}  // namespace
}  // namespace horizonscale::forecast

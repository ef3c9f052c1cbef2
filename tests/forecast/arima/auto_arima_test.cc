// forecast::auto.arima's choices on R's classic series (internal/auto_arima.h)
// and the differencing tests behind them (internal/unit_root_tests.h).
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bench/forecast/hourly_series.h"
#include "forecast/arima/internal/arima_estimation.h"
#include "forecast/arima/internal/auto_arima.h"
#include "forecast/arima/internal/unit_root_tests.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast::internal {
namespace {

namespace data = horizonscale::forecast::testing;

template <size_t N>
std::vector<double> Values(const std::array<double, N>& values, bool log = false) {
  std::vector<double> out(values.begin(), values.end());
  if (log) {
    for (double& value : out) value = std::log(value);
  }
  return out;
}

struct Expected {
  const char* name;
  std::vector<double> values;
  int period;
  const char* model;  // R's arima.string
  double aicc;        // R's fit$aicc
};

// R 4.2, forecast 8.20, for each series y:
//   fit <- auto.arima(y); forecast:::arima.string(fit); fit$aicc
// (y = log(AirPassengers) for the second row).
std::vector<Expected> MatchingSeries() {
  return {
      {"AirPassengers", Values(data::kAirPassengers), 12, "ARIMA(2,1,1)(0,1,0)[12]", 1018.165165},
      {"logAirPassengers", Values(data::kAirPassengers, true), 12, "ARIMA(0,1,1)(0,1,1)[12]",
       -483.210085},
      {"USAccDeaths", Values(data::kUSAccDeaths), 12, "ARIMA(0,1,1)(0,1,1)[12]", 857.316351},
      {"WWWusage", Values(data::kWWWusage), 1, "ARIMA(1,1,1)", 514.552103},
      {"lynx", Values(data::klynx), 1, "ARIMA(2,0,2) with non-zero mean", 1876.952497},
      {"Nile", Values(data::kNile), 1, "ARIMA(1,1,1)", 1267.507395},
      {"austres", Values(data::kaustres), 4, "ARIMA(0,2,1)(1,0,0)[4]", 652.153705},
      {"UKgas", Values(data::kUKgas), 4, "ARIMA(0,1,1)(0,1,0)[4]", 1030.794780},
      {"ldeaths", Values(data::kldeaths), 12, "ARIMA(0,0,2)(2,1,0)[12] with drift", 848.258880},
      {"JohnsonJohnson", Values(data::kJohnsonJohnson), 4, "ARIMA(3,1,1)(0,1,0)[4]", 96.837157},
      {"woolyrnq", Values(data::kwoolyrnq), 4, "ARIMA(1,0,0)(0,1,1)[4]", 1722.214306},
  };
}

// Same orders as R and an AICc within 0.01 (R's likelihood uses a diffuse
// prior of variance 1e6 on the differencing states, ours is exact for the
// differenced series: the log-likelihoods differ by ~1e-3).
TEST(AutoArimaTest, ChoosesROrdersOnClassicSeries) {
  for (const Expected& expected : MatchingSeries()) {
    SCOPED_TRACE(expected.name);
    const absl::StatusOr<ArimaFit> fit = AutoArima(expected.values, expected.period, {});
    ASSERT_TRUE(fit.ok()) << fit.status();
    EXPECT_EQ(ArimaDescription(fit->spec), expected.model);
    EXPECT_NEAR(fit->aicc, expected.aicc, 0.01);
  }
}

// Where the stepwise search ends elsewhere than R's: R's orders fitted by us
// give R's AICc (so the difference is the search path, not the criterion).
//   LakeHuron: auto.arima -> ARIMA(0,1,0), aicc 220.257865; we find
//     ARIMA(0,1,4) with AICc 215.84 (lower: R rejects it on its Hessian check,
//     which we do not reproduce).
// (wineind, R: ARIMA(1,1,2)(0,1,1)[12], aicc 3004.485; we stop at
// ARIMA(1,1,1)(0,1,1)[12], AICc 3004.999: our CSS-ML of R's orders runs into
// an MA unit root from its CSS start and is rejected, a known weakness.)
TEST(AutoArimaTest, ROrdersFittedByUsGiveRsAicc) {
  const std::vector<double> values = Values(data::kLakeHuron);
  const ArimaSpec spec{.p = 0, .d = 1, .q = 0, .period = 1};
  const std::optional<ArimaFit> fit =
      FitArima(Difference(values, 1, 0, 1), spec, ArimaMethod::kCssMl, 0);
  ASSERT_TRUE(fit.has_value());
  EXPECT_NEAR(fit->aicc, 220.257865, 0.01);
  const absl::StatusOr<ArimaFit> chosen = AutoArima(values, 1, {});
  ASSERT_TRUE(chosen.ok());
  EXPECT_LE(chosen->aicc, fit->aicc);
  EXPECT_EQ(ArimaDescription(chosen->spec), "ARIMA(0,1,4)");
}

// approximation = TRUE on a short series (R's default is exact there):
// R: auto.arima(log(AirPassengers), approximation = TRUE) is
// ARIMA(0,1,1)(2,1,1)[12], forecast 6.110686 one month ahead (exact search:
// ARIMA(0,1,1)(0,1,1)[12]).
TEST(AutoArimaTest, ApproximationOnAShortSeriesMatchesR) {
  const std::vector<double> values = Values(data::kAirPassengers, true);
  const absl::StatusOr<ArimaFit> exact = AutoArima(values, 12, {});
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(ArimaDescription(exact->spec), "ARIMA(0,1,1)(0,1,1)[12]");
  const absl::StatusOr<ArimaFit> approximate = AutoArima(values, 12, {}, true);
  ASSERT_TRUE(approximate.ok());
  EXPECT_EQ(ArimaDescription(approximate->spec), "ARIMA(0,1,1)(2,1,1)[12]");
  EXPECT_TRUE(approximate->exact);  // the chosen orders are fitted by CSS-ML
}

// A deterministic daily cycle, over-differenced by D = 1: every candidate
// with a seasonal MA term goes to the unit circle in its CSS-ML refit. After
// two such rejections the others are skipped (kMaxSeasonalMaRejections);
// the choice is the one refitting all 16 of them gave, the first accepted
// candidate without a seasonal MA term.
TEST(AutoArimaTest, OverDifferencedSeasonSkipsTheSeasonalMaRefits) {
  const std::vector<double> values = bench::HourlySeries();
  const absl::StatusOr<ArimaFit> chosen =
      AutoArima(std::span<const double>(values).first(800), 24, {}, true);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(ArimaDescription(chosen->spec), "ARIMA(2,0,1)(2,1,0)[24] with drift");
  EXPECT_TRUE(chosen->exact);
}

// wineind: R's choice, ARIMA(1,1,2)(0,1,1)[12] (aicc 3004.485), is not
// reached; ours is within 1 of it.
// The rule that defers a refit: an MA(1) root is 1/|θ|; a seasonal MA(1)
// root z = 1/|Θ| gives roots of modulus z^(1/m) in B.
TEST(AutoArimaTest, NearUnitMaRootsAreMeasuredInB) {
  const ArimaSpec ma1{.d = 1, .q = 1, .period = 1};
  EXPECT_TRUE(MaRootNearUnitCircle(ma1, std::vector<double>{-0.97}));  // 1.031
  EXPECT_TRUE(MaRootNearUnitCircle(ma1, std::vector<double>{0.97}));   // 1.031
  EXPECT_FALSE(MaRootNearUnitCircle(ma1, std::vector<double>{-0.9}));  // 1.111
  EXPECT_FALSE(MaRootNearUnitCircle(ma1, std::vector<double>{}));      // no estimate
  const ArimaSpec airline{.d = 1, .q = 1, .seasonal_d = 1, .seasonal_q = 1, .period = 12};
  // Θ = −0.9: z = 1.111, in B 1.111^(1/12) = 1.0088 < 1.015.
  EXPECT_TRUE(MaRootNearUnitCircle(airline, std::vector<double>{-0.4, -0.9}));
  // Θ = −0.5: z = 2, in B 2^(1/12) = 1.059.
  EXPECT_FALSE(MaRootNearUnitCircle(airline, std::vector<double>{-0.4, -0.5}));
  // Θ = −0.8 at m = 4: z = 1.25, in B 1.057; at m = 24: 1.0093.
  const ArimaSpec quarterly{.q = 1, .seasonal_q = 1, .period = 4};
  const ArimaSpec hourly{.q = 1, .seasonal_q = 1, .period = 24};
  EXPECT_FALSE(MaRootNearUnitCircle(quarterly, std::vector<double>{0.2, -0.8}));
  EXPECT_TRUE(MaRootNearUnitCircle(hourly, std::vector<double>{0.2, -0.8}));
}

TEST(AutoArimaTest, WineindCloseToR) {
  const absl::StatusOr<ArimaFit> chosen = AutoArima(Values(data::kwineind), 12, {});
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(ArimaDescription(chosen->spec), "ARIMA(1,1,1)(0,1,1)[12]");
  EXPECT_NEAR(chosen->aicc, 3004.485, 1.0);
}

// R: library(urca); x <- as.numeric(y);
//    ur.kpss(x, type = "mu", use.lag = trunc(3 * sqrt(length(x)) / 13))@teststat
//    (and the same on diff(x)); forecast::ndiffs(x).
TEST(UnitRootTest, KpssAndNdiffsMatchR) {
  struct Case {
    const char* name;
    std::vector<double> values;
    double kpss;
    double kpss_diff;
    int ndiffs;
  };
  std::vector<double> seasonal_diff_log_air;
  {
    const std::vector<double> log_air = Values(data::kAirPassengers, true);
    for (size_t t = 12; t < log_air.size(); ++t) {
      seasonal_diff_log_air.push_back(log_air[t] - log_air[t - 12]);
    }
  }
  const Case cases[] = {
      {"WWWusage", Values(data::kWWWusage), 0.7219743181, 0.2635193988, 1},
      {"Nile", Values(data::kNile), 1.3152264632, 0.0196221315, 1},
      {"LakeHuron", Values(data::kLakeHuron), 1.2212185694, 0.0522258640, 1},
      {"lynx", Values(data::klynx), 0.0694650821, 0.0145059419, 0},
      {"austres", Values(data::kaustres), 3.0445999635, 0.6728935615, 2},
      {"diff12(log AirPassengers)", seasonal_diff_log_air, 0.5366879474, 0.0585685005, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const int lags = static_cast<int>(3 * std::sqrt(static_cast<double>(c.values.size())) / 13);
    EXPECT_NEAR(KpssStatistic(c.values, lags), c.kpss, 1e-9);
    std::vector<double> diff;
    for (size_t t = 1; t < c.values.size(); ++t) diff.push_back(c.values[t] - c.values[t - 1]);
    const int diff_lags = static_cast<int>(3 * std::sqrt(static_cast<double>(diff.size())) / 13);
    EXPECT_NEAR(KpssStatistic(diff, diff_lags), c.kpss_diff, 1e-9);
    EXPECT_EQ(NumberOfDifferences(c.values, 2), c.ndiffs);
  }
}

// R: forecast:::seas.heuristic(y) (MSTL) and nsdiffs(y): strengths of
// 0.9407 (AirPassengers), 0.9831 (UKgas), 0.8209 (JohnsonJohnson), 0.3248
// (austres), 0.8893 (wineind); nsdiffs 1, 1, 1, 0, 1. Our decomposition is
// not STL: the strengths agree within 0.05 and the decisions exactly.
TEST(UnitRootTest, SeasonalStrengthTracksMstl) {
  struct Case {
    const char* name;
    std::vector<double> values;
    int period;
    double strength;
    int nsdiffs;
  };
  const Case cases[] = {
      {"AirPassengers", Values(data::kAirPassengers), 12, 0.9407, 1},
      {"UKgas", Values(data::kUKgas), 4, 0.9831, 1},
      {"JohnsonJohnson", Values(data::kJohnsonJohnson), 4, 0.8209, 1},
      {"austres", Values(data::kaustres), 4, 0.3248, 0},
      {"wineind", Values(data::kwineind), 12, 0.8893, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_NEAR(SeasonalStrength(c.values, c.period), c.strength, 0.05);
    EXPECT_EQ(NumberOfSeasonalDifferences(c.values, c.period), c.nsdiffs);
  }
}

TEST(UnitRootTest, IsConstantFollowsAllEqual) {
  EXPECT_TRUE(IsConstant(std::vector<double>{5, 5, 5}));
  EXPECT_TRUE(IsConstant(std::vector<double>{1e6, 1e6 + 1e-3, 1e6}));
  EXPECT_FALSE(IsConstant(std::vector<double>{1, 1, 1.001}));
}

TEST(AutoArimaTest, StopsWhenCancelled) {
  const std::vector<double> values = Values(data::kAirPassengers);
  const absl::StatusOr<ArimaFit> fit = AutoArima(values, 12, [] { return true; });
  EXPECT_EQ(fit.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace horizonscale::forecast::internal

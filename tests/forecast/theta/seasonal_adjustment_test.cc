// Tests of forecast/internal/seasonal_adjustment.h against R 4.2 (stats) and
// forecast 8.20.
#include "forecast/internal/seasonal_adjustment.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast {
namespace {

using testing::kAirPassengers;

struct SeasonalityCase {
  std::string name;
  std::span<const double> values;
  int period = 0;
  bool seasonal = false;  // R's decision
};

// R's decision, with thetaf's own formula (forecast 8.20):
//   test <- function(y) { m <- frequency(y); n <- length(y)
//     if (m > 1 && !is.constant(y) && n > 2*m) {
//       r <- as.numeric(acf(y, lag.max = m, plot = FALSE)$acf)[-1]
//       stat <- sqrt((1 + 2*sum(r[-m]^2))/n); abs(r[m])/stat > qnorm(0.95)
//     } else FALSE }
//   test(AirPassengers), ..., test(ts(as.numeric(Nile), frequency = 4)), ...
// The statistic |r_m|/stat is in the comments (the bound is 1.6449).
TEST(ThetaSeasonalityTest, MatchesRDecisions) {
  const std::vector<SeasonalityCase> cases = {
      {"AirPassengers", testing::kAirPassengers, 12, true},   // 2.489
      {"USAccDeaths", testing::kUSAccDeaths, 12, true},       // 2.754
      {"UKgas", testing::kUKgas, 4, true},                    // 6.173
      {"austres", testing::kaustres, 4, true},                // 3.275
      {"wineind", testing::kwineind, 12, true},               // 8.492
      {"ldeaths", testing::kldeaths, 12, true},               // 2.399
      {"nottem", testing::knottem, 12, true},                 // 4.581
      {"JohnsonJohnson", testing::kJohnsonJohnson, 4, true},  // 3.170
      {"co2", testing::kco2, 12, true},                       // 4.414
      {"woolyrnq", testing::kwoolyrnq, 4, true},              // 4.429
      {"gas", testing::kgas, 12, true},                       // 4.650
      {"taylor/48", testing::ktaylor, 48, true},              // 11.21
      {"taylor/336", testing::ktaylor, 336, true},            // 5.067
      {"Nile/1", testing::kNile, 1, false},                   // m = 1: no test
      {"Nile/4", testing::kNile, 4, true},                    // 1.688
      {"Nile/5", testing::kNile, 5, false},                   // 1.568
      {"LakeHuron/5", testing::kLakeHuron, 5, true},          // 1.648
      {"LakeHuron/6", testing::kLakeHuron, 6, false},         // 1.404
      {"lynx/2", testing::klynx, 2, false},                   // 1.615
      {"lynx/10", testing::klynx, 10, true},                  // 2.738
      {"WWWusage/7", testing::kWWWusage, 7, false},           // 1.611
      {"WWWusage/12", testing::kWWWusage, 12, false},         // 0.0070
  };
  for (const SeasonalityCase& c : cases) {
    EXPECT_EQ(ThetaSeasonalityTest(c.values, c.period), c.seasonal) << c.name;
  }
}

TEST(ThetaSeasonalityTest, NeedsMoreThanTwoSeasonsAndAVaryingSeries) {
  // A repeated period-4 pattern passes from 19 values on; R (test() above):
  //   test(ts(rep(c(1, 5, 2, 8), 5)[1:19], frequency = 4))  # 1.649: TRUE
  //   test(ts(rep(c(1, 5, 2, 8), 5)[1:18], frequency = 4))  # 1.624: FALSE
  std::vector<double> pattern;
  for (int t = 0; t < 20; ++t) pattern.push_back(std::vector<double>{1, 5, 2, 8}[t % 4]);
  const std::span<const double> all(pattern);
  EXPECT_TRUE(ThetaSeasonalityTest(all.first(19), 4));
  EXPECT_FALSE(ThetaSeasonalityTest(all.first(18), 4));
  // n > 2m is required: 20 values are not enough for period 10.
  EXPECT_FALSE(ThetaSeasonalityTest(all, 10));
  EXPECT_FALSE(ThetaSeasonalityTest(all, 0));
  EXPECT_FALSE(ThetaSeasonalityTest(std::vector<double>(40, 7.0), 4));
  // Constant up to R's all.equal tolerance (relative 1.5e-8): constant.
  std::vector<double> nearly_constant(40, 1e6);
  for (size_t t = 0; t < nearly_constant.size(); t += 4) nearly_constant[t] += 1e-4;
  EXPECT_FALSE(ThetaSeasonalityTest(nearly_constant, 4));
  for (size_t t = 0; t < nearly_constant.size(); t += 4) nearly_constant[t] += 1;
  EXPECT_TRUE(ThetaSeasonalityTest(nearly_constant, 4));
}

// decompose(x, type = "multiplicative") (or "additive")$figure, printed
// with sprintf("%.12g").
void ExpectFigure(std::span<const double> values, int period, const std::vector<double>& expected,
                  const std::string& name, bool multiplicative = true) {
  const std::vector<double> figure = SeasonalFigure(values, period, multiplicative);
  ASSERT_EQ(figure.size(), expected.size()) << name;
  for (size_t p = 0; p < figure.size(); ++p) {
    // 12 significant digits.
    EXPECT_NEAR(figure[p], expected[p], 1e-11 * std::max(1.0, std::abs(expected[p])))
        << name << " position " << p;
  }
}

TEST(SeasonalFigure, MatchesRDecompose) {
  // decompose(AirPassengers, "multiplicative")$figure
  ExpectFigure(
      kAirPassengers, 12,
      {0.910230367372, 0.883625320694, 1.0073662876, 0.975906012323, 0.981378027495, 1.11277582668,
       1.22655554293, 1.21991096945, 1.06049193265, 0.92175724041, 0.801178082413, 0.898824389985},
      "AirPassengers");
  // decompose(AirPassengers)$figure (additive)
  ExpectFigure(kAirPassengers, 12,
               {-24.7487373737, -36.1881313131, -2.24116161616, -8.03661616162, -4.50631313131,
                35.4027777778, 63.8308080808, 62.8232323232, 16.5202020202, -20.6426767677,
                -53.5934343434, -28.6199494949},
               "AirPassengers additive", /*multiplicative=*/false);
  // decompose(UKgas, "multiplicative")$figure
  ExpectFigure(testing::kUKgas, 4, {1.45371065583, 0.955932592312, 0.558444080735, 1.03191267113},
               "UKgas");
  // decompose(USAccDeaths, "multiplicative")$figure
  ExpectFigure(
      testing::kUSAccDeaths, 12,
      {0.907775883737, 0.824694931077, 0.914595276583, 0.940698704934, 1.03989516811, 1.08690441987,
       1.19245075132, 1.11266221495, 0.986792825613, 1.02991665994, 0.969783499026, 0.993829664835},
      "USAccDeaths");
  // decompose(wineind, "multiplicative")$figure
  ExpectFigure(testing::kwineind, 12,
               {0.674252982554, 0.802891342434, 0.922503037549, 0.957432371967, 0.932478164743,
                0.916340945438, 1.11562658338, 1.11721991985, 0.95024387404, 1.01346684397,
                1.20780143019, 1.38974250389},
               "wineind");
  // Odd periods (plain moving average):
  // decompose(ts(as.numeric(AirPassengers), frequency = 5), "multiplicative")$figure
  ExpectFigure(kAirPassengers, 5,
               {0.998244663837, 0.997067043286, 1.00554637017, 1.00695731078, 0.992184611934},
               "AirPassengers/5");
  // Exactly two seasons:
  // decompose(ts(as.numeric(AirPassengers)[1:14], frequency = 7), "multiplicative")$figure
  ExpectFigure(std::span<const double>(kAirPassengers).first(14), 7,
               {1.12739981314, 1.03941188869, 0.929969308063, 0.916813344017, 0.901924759794,
                0.987193247652, 1.09728763865},
               "AirPassengers[1:14]/7");
}

TEST(CentredMovingAverage, EvenAndOddOrders) {
  const std::vector<double> values = {1, 2, 4, 8, 16, 32};
  // Order 4: (0.5·1 + 2 + 4 + 8 + 0.5·16) / 4 = 5.625, then 11.25.
  const std::vector<double> even = CentredMovingAverage(values, 4);
  ASSERT_EQ(even.size(), 2u);
  EXPECT_DOUBLE_EQ(even[0], 5.625);
  EXPECT_DOUBLE_EQ(even[1], 11.25);
  // Order 3: (1 + 2 + 4) / 3, ..., (8 + 16 + 32) / 3.
  const std::vector<double> odd = CentredMovingAverage(values, 3);
  ASSERT_EQ(odd.size(), 4u);
  EXPECT_DOUBLE_EQ(odd[0], 7.0 / 3);
  EXPECT_DOUBLE_EQ(odd[3], 56.0 / 3);
}

}  // namespace
}  // namespace horizonscale::forecast

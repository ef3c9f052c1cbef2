// The ETS family against R's forecast package 8.20 (R 4.2) on classic series:
// the recursions and likelihood with R's own estimates, the forecast
// moments (classes 1, 2, 3), the member search, and fits of fixed members.
#include <algorithm>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "forecast/ets/internal/ets_fit.h"
#include "forecast/ets/internal/ets_intervals.h"
#include "forecast/model.h"
#include "forecast/numerics/normal_quantile.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast {
namespace {

using internal::EtsComponent;
using internal::EtsParameters;
using internal::EtsSpec;
using internal::EtsState;
using testing::kAirPassengers;
using testing::kJohnsonJohnson;
using testing::kNile;
using testing::kUKgas;
using testing::kUSAccDeaths;
using testing::kWWWusage;

constexpr EtsComponent kN = EtsComponent::kNone;
constexpr EtsComponent kA = EtsComponent::kAdditive;
constexpr EtsComponent kM = EtsComponent::kMultiplicative;

// One R fit: ets(y, model = …, damped = …) and forecast(fit, h = 8,
// level = 80), printed by
//   f <- ets(y, model = "XYZ", damped = d); fc <- forecast(f, h = 8, level = 80)
//   f$par; f$loglik; f$aicc; f$sigma2; f$states[length(y) + 1, ]
//   fc$mean; fc$upper[, 1]
struct RCase {
  const char* name = "";
  std::span<const double> values;
  EtsSpec spec;
  std::vector<double> par;  // R's f$par: α, β, γ, φ as present, l, b, s0 … s(m−2)
  double loglik = 0;
  double aicc = 0;
  double sigma2 = 0;
  std::vector<double> last_state;  // R's states[n + 1, ]: l, b, s1 … sm (s1 newest)
  std::vector<double> mean;
  std::vector<double> upper80;
};

EtsSpec Spec(EtsComponent error, EtsComponent trend, bool damped, EtsComponent season, int m) {
  EtsSpec spec;
  spec.error = error;
  spec.trend = trend;
  spec.damped = damped;
  spec.season = season;
  spec.period = season == kN ? 1 : m;
  return spec;
}

std::vector<RCase> Cases() {
  return {
      {"AirPassengers MAM",
       kAirPassengers,
       Spec(kM, kA, false, kM, 12),
       {0.3949968505, 0.0107004419, 0.3995392024, 122.375426, 1.107366582, 0.9000411199,
        0.7826691071, 0.9013680439, 1.04761777, 1.153706799, 1.183031402, 1.083995121, 0.9786588988,
        1.033161643, 1.08075691, 0.9522478842},
       -682.4036191,
       1403.664381,
       0.001582148135,
       {485.3850036, 3.177440801, 0.8907450316, 0.8085203284, 0.9499301656, 1.080417407,
        1.311700331, 1.340480921, 1.176702824, 1.035649407, 1.013082461, 0.9783729241, 0.8647413603,
        0.9189690536},
       {448.9737672, 425.2278173, 484.2137115, 504.6110723, 519.1422647, 593.587326, 680.4644283,
        670.0224713},
       {471.8603326, 448.6011282, 512.7009896, 536.1978362, 553.5497697, 635.0732621, 730.441225,
        721.5815346}},
      {"AirPassengers MAdM",
       kAirPassengers,
       Spec(kM, kA, true, kM, 12),
       {0.7095519162, 0.02040891933, 0.0001004683097, 0.9799999267, 120.9939355, 1.770540197,
        0.8944474757, 0.7993220283, 0.9216595984, 1.05920193, 1.220300697, 1.231798507, 1.110500181,
        0.9786127608, 0.9803820735, 1.011030088, 0.8868922872},
       -679.5832162,
       1400.638432,
       0.00153407635,
       {},
       {},
       {}},
      {"USAccDeaths ANA",
       kUSAccDeaths,
       Spec(kA, kN, false, kA, 12),
       {0.5945898908, 0.002028959954, 9248.362824, -51.34487483, -255.3527554, 218.2901147,
        -121.7710203, 970.7387449, 1683.236611, 756.0919813, 306.4212165, -489.5627132,
        -739.9004271, -1537.791724},
       -555.072335,
       1148.716099,
       85667.85631,
       {9136.538194, -51.04608973, -256.1204984, 217.8691815, -121.3055492, 970.5664377,
        1682.585509, 756.5265332, 306.8737509, -490.0284905, -739.9435069, -1537.31758,
        -739.0412844},
       {8397.496909, 7599.220613, 8396.594687, 8646.509703, 9443.411945, 9893.064727, 10819.1237,
        10107.10463},
       {8772.595157, 8035.615973, 8886.679499, 9184.956857, 10026.22199, 10517.09178, 11481.80913,
        10806.31432}},
      {"Nile MNN",
       kNile,
       Spec(kM, kN, false, kN, 1),
       {0.1514031662, 1087.771825},
       -726.1509578,
       1458.551916,
       0.02395705656,
       {838.8751613},
       {838.8751613, 838.8751613, 838.8751613, 838.8751613, 838.8751613, 838.8751613, 838.8751613,
        838.8751613},
       {1005.273946, 1007.215482, 1009.135928, 1011.03599, 1012.916335, 1014.777598, 1016.620377,
        1018.445243}},
      {"JohnsonJohnson MAA",
       kJohnsonJohnson,
       Spec(kM, kA, false, kA, 4),
       {0.2775812128, 0.06358185111, 0.5866784928, 0.6275808396, 0.01646435467, -0.2292629036,
        0.1913125672, -0.007419021502},
       -72.81959662,
       166.0716257,
       0.008476025521,
       {14.29562469, 0.3848135298, -2.647436794, 2.054024111, 1.135753683, 2.856467545},
       {17.53690577, 16.20100544, 17.50408939, 13.18744202, 19.07615989, 17.74025956, 19.04334351,
        14.72669614},
       {19.6060234, 18.23972019, 19.82829031, 15.30262984, 22.57895613, 21.27269563, 22.98473131,
        18.46212927}},
      {"WWWusage AAdN",
       kWWWusage,
       Spec(kA, kA, true, kN, 1),
       {0.9998999563, 0.996643874, 0.8149580279, 90.35176745, -0.01728233784},
       -352.8654902,
       718.6342062,
       12.22438726,
       {219.9998746, -2.004446371},
       {218.3663349, 217.0350687, 215.9501425, 215.0659733, 214.3454124, 213.7581856, 213.2796204,
        212.8896098},
       {222.8470738, 226.308996, 230.4033665, 234.8452049, 239.4574967, 244.1270812, 248.7806024,
        253.3706274}},
      {"UKgas MAM",
       kUKgas,
       Spec(kM, kA, false, kM, 4),
       {0.03053686889, 0.03053644358, 0.6238385789, 124.0899427, 0.8654755906, 0.9557860607,
        0.653926306, 1.058230218},
       -618.3607797,
       1256.558294,
       0.01362359634,
       {589.7272692, 13.17838217, 1.368147954, 0.567650227, 1.059300027, 2.087928046},
       {1258.823618, 652.6178333, 357.2009531, 878.954063, 1370.519171, 709.3041375, 387.5873173,
        952.2145339},
       {1447.122114, 750.4148759, 410.9366876, 1012.048951, 1631.110194, 845.3435917, 462.7537465,
        1139.415798}},
  };
}

// R's f$par split into parameters and the initial state (R's s0 is the
// newest index, the one that applies at values[m − 1]).
void FromR(const RCase& c, EtsParameters& params, EtsState& initial) {
  size_t i = 0;
  params.alpha = c.par[i++];
  if (c.spec.has_trend()) params.beta = c.par[i++];
  if (c.spec.has_season()) params.gamma = c.par[i++];
  if (c.spec.damped) params.phi = c.par[i++];
  initial.level = c.par[i++];
  if (c.spec.has_trend()) initial.trend = c.par[i++];
  if (c.spec.has_season()) {
    const int m = c.spec.period;
    initial.seasonals.assign(m, 0.0);
    double sum = 0;
    for (int k = 1; k < m; ++k) {
      initial.seasonals[k] = c.par[i + (m - 1 - k)];
      sum += initial.seasonals[k];
    }
    initial.seasonals[0] = (c.spec.season == kM ? m : 0) - sum;
  }
}

EtsState LastStateFromR(const RCase& c) {
  EtsState state;
  size_t i = 0;
  state.level = c.last_state[i++];
  if (c.spec.has_trend()) state.trend = c.last_state[i++];
  // R's s1 is the newest index; the next step uses sm, the oldest.
  for (size_t k = c.last_state.size(); k > i; --k) state.seasonals.push_back(c.last_state[k - 1]);
  return state;
}

TEST(EtsVersusR, RecursionsAndLikelihoodWithRsEstimates) {
  for (const RCase& c : Cases()) {
    SCOPED_TRACE(c.name);
    EtsParameters params;
    EtsState initial;
    FromR(c, params, initial);
    const internal::EtsMemberFit fit =
        internal::EvaluateEtsMember(c.values, c.spec, params, initial);
    EXPECT_NEAR(fit.loglik, c.loglik, 1e-6 * std::fabs(c.loglik));
    EXPECT_NEAR(fit.aicc, c.aicc, 1e-6 * std::fabs(c.aicc));
    EXPECT_NEAR(fit.sigma2, c.sigma2, 1e-6 * c.sigma2);
    if (c.last_state.empty()) continue;
    const EtsState last = LastStateFromR(c);
    EXPECT_NEAR(fit.last.level, last.level, 1e-6 * std::fabs(last.level));
    for (size_t k = 0; k < last.seasonals.size(); ++k) {
      EXPECT_NEAR(fit.last.seasonals[(fit.last.next_season + k) % last.seasonals.size()],
                  last.seasonals[k], 1e-6 * (1 + std::fabs(last.seasonals[k])));
    }
  }
}

// Class 1 (USAccDeaths, WWWusage), class 2 (Nile, JohnsonJohnson) and
// class 3 (AirPassengers, UKgas, both undamped) from R's final state and
// parameters: the mean and the 80 % upper bound to 1e-6.
TEST(EtsVersusR, ForecastMomentsFromRsState) {
  const double z = numerics::NormalQuantile(0.9);
  for (const RCase& c : Cases()) {
    if (c.mean.empty()) continue;
    SCOPED_TRACE(c.name);
    EtsParameters params;
    EtsState initial;
    FromR(c, params, initial);
    const internal::EtsForecastMoments moments = internal::EtsForecastDistribution(
        c.spec, params, LastStateFromR(c), c.sigma2, static_cast<int>(c.mean.size()));
    for (size_t h = 0; h < c.mean.size(); ++h) {
      EXPECT_NEAR(moments.mean[h], c.mean[h], 1e-6 * std::fabs(c.mean[h])) << "h " << h + 1;
      EXPECT_NEAR(moments.mean[h] + z * std::sqrt(moments.variance[h]), c.upper80[h],
                  1e-6 * std::fabs(c.upper80[h]))
          << "h " << h + 1;
    }
  }
}

// Our own fits of the same fixed members: the AICc is never worse than R's
// by more than 0.5 (our optimiser often finds a better optimum, e.g. for
// AirPassengers ETS(M,A,M) 1391.0 against R's 1403.7), and the point
// forecasts are close to R's.
TEST(EtsVersusR, FixedMemberFits) {
  struct Fixed {
    const char* name;
    std::span<const double> values;
    int period;
    const char* model;
    bool damped;
    double r_aicc;
    std::vector<double> r_mean;  // from the cases above
    double tolerance;            // relative, on the point forecasts
  };
  const std::vector<RCase> cases = Cases();
  const std::vector<Fixed> fixed = {
      {"USAccDeaths", kUSAccDeaths, 12, "ANA", false, cases[2].aicc, cases[2].mean, 0.01},
      {"Nile", kNile, 1, "MNN", false, cases[3].aicc, cases[3].mean, 0.01},
      {"JohnsonJohnson", kJohnsonJohnson, 4, "MAA", false, cases[4].aicc, cases[4].mean, 0.05},
      {"WWWusage", kWWWusage, 1, "AAN", true, cases[5].aicc, cases[5].mean, 0.01},
      {"UKgas", kUKgas, 4, "MAM", false, cases[6].aicc, cases[6].mean, 0.03},
  };
  for (const Fixed& f : fixed) {
    SCOPED_TRACE(f.name);
    ModelOptions options;
    options.seasonal_period = f.period;
    options.ets_model = f.model;
    options.damped = f.damped;
    auto model = FitModel(ModelKind::kEts, f.values, options);
    ASSERT_TRUE(model.ok()) << model.status();
    double aicc = 0;
    for (const auto& [name, value] : (*model)->parameters()) {
      if (name == "aicc") aicc = value;
    }
    EXPECT_LE(aicc, f.r_aicc + 0.5);
    const std::vector<ForecastValue> forecast = (*model)->Predict(8, 0.8);
    for (size_t h = 0; h < f.r_mean.size(); ++h) {
      EXPECT_NEAR(forecast[h].value, f.r_mean[h], f.tolerance * std::fabs(f.r_mean[h]))
          << "h " << h + 1;
    }
  }
}

// The automatic search (ets(y), model = "ZZZ") against R's choice, printed by
//   f <- ets(y); f$method; f$aicc
// On 9 of these 14 series we choose R's member. Where we differ, R's
// Nelder-Mead stopped short on the member we choose: R's own fit of it has a
// larger AICc than ours (AirPassengers ETS(M,A,M): R 1403.66, austres
// ETS(M,A,A): R 858.41, lynx ETS(M,A,N): R 2065.57, ldeaths ETS(M,A,M): R
// 1094.97, co2 ETS(M,A,M): R 1966.48; ets(y, model = …, damped = FALSE)).
// Our chosen AICc is never above R's by more than 0.5.
TEST(EtsVersusR, AutomaticSelection) {
  struct Expected {
    const char* name;
    std::span<const double> values;
    int period;
    const char* r_member;
    double r_aicc;
    bool same_member;
  };
  const std::vector<Expected> expected = {
      {"AirPassengers", kAirPassengers, 12, "ETS(M,Ad,M)", 1400.638432, false},
      {"USAccDeaths", kUSAccDeaths, 12, "ETS(A,N,A)", 1148.716099, true},
      {"UKgas", kUKgas, 4, "ETS(M,A,M)", 1256.558294, true},
      {"austres", testing::kaustres, 4, "ETS(M,Ad,A)", 813.205614, false},
      {"WWWusage", kWWWusage, 1, "ETS(A,Ad,N)", 718.634206, true},
      {"Nile", kNile, 1, "ETS(M,N,N)", 1458.551916, true},
      {"lynx", testing::klynx, 1, "ETS(M,N,N)", 2058.355729, false},
      {"JohnsonJohnson", kJohnsonJohnson, 4, "ETS(M,A,A)", 166.071626, true},
      {"wineind", testing::kwineind, 12, "ETS(M,Ad,M)", 3642.351403, true},
      {"ldeaths", testing::kldeaths, 12, "ETS(M,N,M)", 1089.368520, false},
      {"nottem", testing::knottem, 12, "ETS(A,N,A)", 1737.087004, true},
      {"LakeHuron", testing::kLakeHuron, 1, "ETS(A,N,N)", 396.933054, true},
      {"woolyrnq", testing::kwoolyrnq, 4, "ETS(M,N,A)", 2021.272466, true},
      {"co2", testing::kco2, 12, "ETS(M,Ad,M)", 1722.628150, false},
  };
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.name);
    ModelOptions options;
    options.seasonal_period = e.period;
    auto model = FitModel(ModelKind::kEts, e.values, options);
    ASSERT_TRUE(model.ok()) << model.status();
    double aicc = 0;
    for (const auto& [name, value] : (*model)->parameters()) {
      if (name == "aicc") aicc = value;
    }
    EXPECT_LE(aicc, e.r_aicc + 0.5);
    const std::string description = (*model)->description();
    if (e.same_member) {
      EXPECT_EQ(description.substr(0, description.find(')') + 1), e.r_member);
    }
    std::printf("%-15s R %-12s %10.3f   ours %-28s %10.3f\n", e.name, e.r_member, e.r_aicc,
                description.c_str(), aicc);
  }
}

}  // namespace
}  // namespace horizonscale::forecast

// The fleet generator's behaviour: determinism, shape, ranges, labels, and
// each scenario's property measured on the values with textbook statistics
// (series_stats.h) and compared with the parameters that produced them.
#include "clients/fleet_generator/fleet_generator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "clients/fleet_generator/ordered_parallel.h"
#include "tests/clients/series_stats.h"

namespace horizonscale::fleetgen {
namespace {

using testing::Autocorrelation;
using testing::FitLine;
using testing::LineFit;
using testing::Mean;
using testing::Median;
using testing::MinusMovingAverage;
using testing::RobustSd;

constexpr std::array<Scenario, kScenarioCount> kAllScenarios = {
    Scenario::kSteadyGrowth, Scenario::kSeasonal,  Scenario::kCapacityBreach, Scenario::kStepShift,
    Scenario::kBursty,       Scenario::kFlatNoisy, Scenario::kDeclining};

GeneratedHost Host(const FleetOptions& options, int index) {
  absl::StatusOr<GeneratedHost> host = GenerateHost(options, index);
  EXPECT_TRUE(host.ok()) << host.status();
  return *std::move(host);
}

GeneratedHost Host(const FleetOptions& options, const HostSpec& spec, uint64_t seed) {
  absl::StatusOr<GeneratedHost> host = GenerateHost(options, spec, seed);
  EXPECT_TRUE(host.ok()) << host.status();
  return *std::move(host);
}

HostSpec Spec(Scenario scenario, ScenarioParameters parameters = {},
              Resource primary = Resource::kCpu) {
  HostSpec spec;
  spec.host_id = "test-host";
  spec.scenario = scenario;
  spec.department = "payments";
  spec.app_code = "APP-0042";
  spec.primary_resource = primary;
  spec.parameters = parameters;
  return spec;
}

// Options for measuring a scenario's shape: no measurement overshoots.
FleetOptions CleanOptions() {
  FleetOptions options;
  options.overshoot_fraction = 0;
  return options;
}

const GeneratedSeries& SeriesOf(const GeneratedHost& host, Resource resource) {
  return host.series[static_cast<size_t>(resource)];
}

// Long-run standard deviation of AR(1) noise: the one that governs means
// and regression coefficients over many days.
double LongRunSd(const SeriesDna& dna) {
  return dna.noise_sd_percent * std::sqrt((1 + dna.noise_ar1) / (1 - dna.noise_ar1));
}

// Standard error of the least-squares slope over `n` days of `dna`'s noise.
double SlopeStandardError(const SeriesDna& dna, size_t n) {
  const auto days = static_cast<double>(n);
  return LongRunSd(dna) / std::sqrt(days * (days * days - 1) / 12);
}

// Bitwise equality (NaN included).
bool SameValues(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

bool SameHost(const GeneratedHost& a, const GeneratedHost& b) {
  if (!(a.spec == b.spec) || a.series.size() != b.series.size()) return false;
  for (size_t r = 0; r < a.series.size(); ++r) {
    if (!SameValues(a.series[r].values, b.series[r].values) ||
        a.series[r].duplicate_offsets != b.series[r].duplicate_offsets ||
        a.series[r].true_breach_day != b.series[r].true_breach_day ||
        a.series[r].first_day != b.series[r].first_day) {
      return false;
    }
  }
  return true;
}

int64_t EndDay(const FleetOptions& options) { return DayNumber(options.end_day); }

// The seeds the scenario tests repeat over, so that a property holds across
// draws and not for one lucky seed.
constexpr std::array<uint64_t, 5> kSeeds = {1, 2, 3, 1234, 987654321};

TEST(Names, ScenarioNamesRoundTrip) {
  std::set<std::string> names;
  for (Scenario scenario : kAllScenarios) {
    names.insert(ScenarioName(scenario));
    EXPECT_EQ(ParseScenario(ScenarioName(scenario)), scenario);
  }
  EXPECT_EQ(names.size(), 7u);
  EXPECT_STREQ(ScenarioName(Scenario::kCapacityBreach), "capacity_breach");
  EXPECT_EQ(ParseScenario("steady_growth"), Scenario::kSteadyGrowth);
  EXPECT_EQ(ParseScenario("Seasonal"), std::nullopt);
  EXPECT_EQ(ParseScenario(""), std::nullopt);
  EXPECT_STREQ(ResourceName(Resource::kCpu), "cpu");
  EXPECT_STREQ(ResourceName(Resource::kNetwork), "network");
}

TEST(Fleet, DefaultHistoryIsThreeYearsEndingOn2026November26) {
  const FleetOptions options;
  EXPECT_EQ(options.hosts, 2000);
  const GeneratedHost host = Host(options, 0);
  ASSERT_EQ(host.series.size(), 4u);
  for (int r = 0; r < 4; ++r) {
    const GeneratedSeries& series = host.series[static_cast<size_t>(r)];
    EXPECT_EQ(series.resource, static_cast<Resource>(r));
    ASSERT_EQ(series.values.size(), 1095u);
    // 2023-11-28 .. 2026-11-26 is 1,095 days (2024 is a leap year).
    EXPECT_EQ(CivilDayOf(series.first_day), absl::CivilDay(2023, 11, 28));
    EXPECT_EQ(CivilDayOf(series.first_day + 1094), absl::CivilDay(2026, 11, 26));
  }
}

TEST(Fleet, CountsAreHostsTimesResourcesTimesDays) {
  FleetOptions options;
  options.hosts = 30;
  options.days = 200;
  options.end_day = absl::CivilDay(2025, 1, 31);
  size_t values = 0;
  for (int i = 0; i < options.hosts; ++i) {
    const GeneratedHost host = Host(options, i);
    ASSERT_EQ(host.series.size(), 4u);
    for (const GeneratedSeries& series : host.series) {
      values += series.values.size();
      EXPECT_EQ(CivilDayOf(series.first_day), absl::CivilDay(2024, 7, 16));
    }
  }
  EXPECT_EQ(values, 30u * 4 * 200);
}

TEST(Fleet, SameSeedGivesTheSameFleetWhateverTheOrder) {
  FleetOptions options;
  options.hosts = 40;
  options.dirty = true;
  std::vector<GeneratedHost> forward;
  for (int i = 0; i < options.hosts; ++i) forward.push_back(Host(options, i));
  for (int i = options.hosts - 1; i >= 0; --i) {
    EXPECT_TRUE(SameHost(Host(options, i), forward[static_cast<size_t>(i)])) << i;
    // The same host through the explicit-spec entry point.
    absl::StatusOr<HostSpec> spec = FleetHostSpec(options, i);
    ASSERT_TRUE(spec.ok());
    EXPECT_TRUE(SameHost(Host(options, *spec, FleetHostSeed(options.seed, i)),
                         forward[static_cast<size_t>(i)]));
  }
}

TEST(Fleet, DifferentSeedGivesADifferentFleet) {
  FleetOptions a;
  a.hosts = 40;
  FleetOptions b = a;
  b.seed = a.seed + 1;
  int same_scenario = 0;
  for (int i = 0; i < a.hosts; ++i) {
    const GeneratedHost x = Host(a, i);
    const GeneratedHost y = Host(b, i);
    EXPECT_EQ(x.spec.host_id, y.spec.host_id);  // ids are positions, not draws
    same_scenario += x.spec.scenario == y.spec.scenario ? 1 : 0;
    for (size_t r = 0; r < 4; ++r) EXPECT_FALSE(SameValues(x.series[r].values, y.series[r].values));
  }
  EXPECT_LT(same_scenario, 20);  // 1/7 expected by chance
}

TEST(Fleet, HostDoesNotDependOnFleetSize) {
  FleetOptions small;
  small.hosts = 10;
  const FleetOptions large;  // 2,000 hosts
  for (int i : {0, 7, 9}) EXPECT_TRUE(SameHost(Host(small, i), Host(large, i))) << i;
}

TEST(Fleet, ParallelGenerationDoesNotDependOnThreads) {
  FleetOptions options;
  options.hosts = 150;
  options.days = 120;
  auto run = [&options](int threads) {
    std::vector<GeneratedHost> hosts;
    const absl::Status status = OrderedParallelMap<GeneratedHost>(
        options.hosts, threads, 16, [&options](int i) { return *GenerateHost(options, i); },
        [&hosts](GeneratedHost& host) {
          hosts.push_back(std::move(host));
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok());
    return hosts;
  };
  const std::vector<GeneratedHost> one = run(1);
  for (int threads : {2, 5}) {
    const std::vector<GeneratedHost> many = run(threads);
    ASSERT_EQ(many.size(), one.size());
    for (size_t i = 0; i < one.size(); ++i) EXPECT_TRUE(SameHost(many[i], one[i])) << i;
  }
}

TEST(OrderedParallelMap, ConsumesInOrderAndStopsAtTheFirstError) {
  for (int threads : {1, 3, 8}) {
    std::vector<int> seen;
    const absl::Status all = OrderedParallelMap<int>(
        100, threads, 7, [](int i) { return i * i; },
        [&seen](int& value) {
          seen.push_back(value);
          return absl::OkStatus();
        });
    EXPECT_TRUE(all.ok());
    ASSERT_EQ(seen.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], i * i);

    int consumed = 0;
    const absl::Status stopped = OrderedParallelMap<int>(
        100, threads, 7, [](int i) { return i; },
        [&consumed](int& value) {
          ++consumed;
          return value == 20 ? absl::DataLossError("stop") : absl::OkStatus();
        });
    EXPECT_EQ(stopped.code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(consumed, 21);
  }
}

TEST(Fleet, ValuesStayInRangeWithRareSmallOvershoots) {
  FleetOptions options;
  options.hosts = 300;
  int64_t values = 0, overshoots = 0;
  double largest = 0;
  for (int i = 0; i < options.hosts; ++i) {
    for (const GeneratedSeries& series : Host(options, i).series) {
      EXPECT_TRUE(series.duplicate_offsets.empty());
      for (double v : series.values) {
        ASSERT_FALSE(std::isnan(v));
        ASSERT_GE(v, 0);
        ASSERT_LE(v, 110);
        // On the 0.001 grid, which makes the 3-decimal CSV exact.
        ASSERT_EQ(std::round(v * 1000) / 1000, v);
        largest = std::max(largest, v);
        overshoots += v > 100 ? 1 : 0;
        ++values;
      }
    }
  }
  EXPECT_GT(overshoots, 0) << "the downstream clamp should see some";
  EXPECT_LE(overshoots, values / 1000) << "at most 0.1 %";
  EXPECT_LE(largest, 102.0);
}

TEST(Fleet, NoOvershootsWhenTurnedOff) {
  FleetOptions options = CleanOptions();
  options.hosts = 100;
  for (int i = 0; i < options.hosts; ++i) {
    for (const GeneratedSeries& series : Host(options, i).series) {
      for (double v : series.values) ASSERT_LE(v, 100.0);
    }
  }
}

TEST(Fleet, DirtyAddsSharedGapsAndDuplicatesButKeepsTheValues) {
  FleetOptions clean;
  clean.hosts = 100;
  FleetOptions dirty = clean;
  dirty.dirty = true;
  int64_t values = 0, missing = 0, duplicates = 0;
  for (int i = 0; i < clean.hosts; ++i) {
    const GeneratedHost c = Host(clean, i);
    const GeneratedHost d = Host(dirty, i);
    for (size_t r = 0; r < 4; ++r) {
      const std::vector<double>& cv = c.series[r].values;
      const std::vector<double>& dv = d.series[r].values;
      ASSERT_EQ(cv.size(), dv.size());
      for (size_t t = 0; t < cv.size(); ++t) {
        ++values;
        if (std::isnan(dv[t])) {
          ++missing;
          // A gap is the host's: every resource misses the day.
          for (size_t other = 0; other < 4; ++other)
            EXPECT_TRUE(std::isnan(d.series[other].values[t]));
        } else {
          EXPECT_EQ(dv[t], cv[t]);
        }
      }
      for (int offset : d.series[r].duplicate_offsets) {
        EXPECT_FALSE(std::isnan(dv[static_cast<size_t>(offset)]));
        ++duplicates;
      }
      EXPECT_TRUE(std::is_sorted(d.series[r].duplicate_offsets.begin(),
                                 d.series[r].duplicate_offsets.end()));
    }
  }
  const double missing_share = static_cast<double>(missing) / static_cast<double>(values);
  const double duplicate_share = static_cast<double>(duplicates) / static_cast<double>(values);
  EXPECT_GT(missing_share, 0.005);
  EXPECT_LT(missing_share, 0.05);
  EXPECT_GT(duplicate_share, 0.0005);
  EXPECT_LT(duplicate_share, 0.005);
}

TEST(Fleet, DefaultScenarioMixIsRoughlyEven) {
  const FleetOptions options;
  std::map<Scenario, int> counts;
  for (int i = 0; i < options.hosts; ++i) ++counts[FleetHostSpec(options, i)->scenario];
  ASSERT_EQ(counts.size(), 7u);
  // Expected 2000/7 ≈ 286 each, binomial sd ≈ 16.
  for (const auto& [scenario, count] : counts) {
    EXPECT_GT(count, 220) << ScenarioName(scenario);
    EXPECT_LT(count, 350) << ScenarioName(scenario);
  }
}

TEST(Fleet, ScenarioWeightsSelectTheMix) {
  FleetOptions options;
  options.hosts = 500;
  options.scenario_weights = {0, 3, 1, 0, 0, 0, 0};  // seasonal 75 %, capacity_breach 25 %
  int seasonal = 0;
  for (int i = 0; i < options.hosts; ++i) {
    const Scenario scenario = FleetHostSpec(options, i)->scenario;
    ASSERT_TRUE(scenario == Scenario::kSeasonal || scenario == Scenario::kCapacityBreach);
    seasonal += scenario == Scenario::kSeasonal ? 1 : 0;
  }
  EXPECT_NEAR(seasonal, 375, 40);  // binomial sd ≈ 10
}

TEST(Fleet, DepartmentsAndAppCodesAreAssignedConsistently) {
  const std::vector<std::string>& departments = Departments();
  EXPECT_GE(departments.size(), 8u);
  EXPECT_LE(departments.size(), 12u);
  std::map<std::string, std::string> department_of_app;
  for (const std::string& department : departments) {
    EXPECT_GE(AppCodes(department).size(), 2u);
    for (const std::string& app : AppCodes(department)) {
      EXPECT_EQ(app.size(), 8u);
      EXPECT_EQ(app.rfind("APP-", 0), 0u);
      EXPECT_TRUE(department_of_app.emplace(app, department).second) << app << " in two";
    }
  }
  EXPECT_TRUE(AppCodes("no-such-department").empty());

  const FleetOptions options;
  std::set<std::string> host_ids, used_departments;
  for (int i = 0; i < options.hosts; ++i) {
    const HostSpec spec = *FleetHostSpec(options, i);
    EXPECT_TRUE(host_ids.insert(spec.host_id).second);
    ASSERT_TRUE(department_of_app.contains(spec.app_code)) << spec.app_code;
    EXPECT_EQ(department_of_app[spec.app_code], spec.department);
    used_departments.insert(spec.department);
  }
  EXPECT_EQ(used_departments.size(), departments.size());
  EXPECT_EQ(FleetHostSpec(options, 42)->host_id, "host-00042");
}

TEST(Fleet, OnlyCapacityBreachHostsHaveTrueBreaches) {
  FleetOptions options;
  options.hosts = 1000;
  const int64_t end = EndDay(options);
  int breach_hosts = 0, before_end = 0;
  for (int i = 0; i < options.hosts; ++i) {
    const GeneratedHost host = Host(options, i);
    for (const GeneratedSeries& series : host.series) {
      const bool designed = host.spec.scenario == Scenario::kCapacityBreach &&
                            series.resource == host.spec.primary_resource;
      ASSERT_EQ(series.true_breach_day.has_value(), designed)
          << host.spec.host_id << " " << ScenarioName(host.spec.scenario) << " "
          << ResourceName(series.resource);
      if (!designed) continue;
      ++breach_hosts;
      // Spread over 30 days before to 150 days after the end.
      EXPECT_GE(*series.true_breach_day, end - 30);
      EXPECT_LE(*series.true_breach_day, end + 150);
      before_end += *series.true_breach_day <= end ? 1 : 0;
    }
  }
  EXPECT_GT(breach_hosts, 100);
  EXPECT_GT(before_end, 0);
  EXPECT_LT(before_end, breach_hosts / 2);
}

// Where the least-squares line of `series` reaches 95 %, in days since
// 1970-01-01, with its standard error under the series' noise (the line's
// error at that day over its slope).
struct Crossing {
  double day;
  double standard_error;
};

Crossing FittedCrossing(const GeneratedSeries& series) {
  const LineFit fit = FitLine(series.values);
  const double offset = (kBreachThresholdPercent - fit.intercept) / fit.slope;
  const auto n = static_cast<double>(series.values.size());
  const double mean_t = (n - 1) / 2;
  const double line_error =
      LongRunSd(series.dna) *
      std::sqrt(1 / n + (offset - mean_t) * (offset - mean_t) / (n * (n * n - 1) / 12));
  return {static_cast<double>(series.first_day) + offset, line_error / fit.slope};
}

TEST(Fleet, TrueBreachDaysAgreeWithTheFittedTrend) {
  FleetOptions options = CleanOptions();
  options.hosts = 150;
  options.scenario_weights = {0, 0, 1, 0, 0, 0, 0};
  std::set<Resource> primaries;
  std::vector<double> errors;  // |fitted − true| crossing, in days
  for (int i = 0; i < options.hosts; ++i) {
    const GeneratedHost host = Host(options, i);
    const GeneratedSeries& series = SeriesOf(host, host.spec.primary_resource);
    primaries.insert(host.spec.primary_resource);
    ASSERT_TRUE(series.true_breach_day.has_value());
    const Crossing crossing = FittedCrossing(series);
    EXPECT_NEAR(crossing.day, static_cast<double>(*series.true_breach_day),
                5 * crossing.standard_error)
        << host.spec.host_id;
    errors.push_back(std::abs(crossing.day - static_cast<double>(*series.true_breach_day)));
  }
  EXPECT_EQ(primaries.size(), 4u);  // every resource gets to breach
  EXPECT_LT(Median(errors), 3.0);
}

TEST(Scenario, SteadyGrowthHasAPositiveSlopeAndSmallResiduals) {
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kSteadyGrowth), seed);
    for (const GeneratedSeries& series : host.series) {
      const LineFit fit = FitLine(series.values);
      const SeriesDna& dna = series.dna;
      EXPECT_GT(fit.slope, 0);
      EXPECT_NEAR(fit.slope, dna.slope_percent_per_day,
                  5 * SlopeStandardError(dna, series.values.size()));
      // What is left is the noise: no structure beyond it.
      EXPECT_GT(fit.residual_sd, 0.7 * dna.noise_sd_percent);
      EXPECT_LT(fit.residual_sd, 1.3 * dna.noise_sd_percent);
      EXPECT_LT(fit.residual_sd, 4.0);
      EXPECT_FALSE(series.true_breach_day.has_value());
    }
  }
}

TEST(Scenario, NoiseFreeSteadyGrowthIsExactlyTheLine) {
  ScenarioParameters p;
  p.start_percent = 20;
  p.growth_percent_per_year = 36.5;  // 0.1 point a day
  p.noise_sd_percent = 0;
  const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kSteadyGrowth, p), 7);
  const std::vector<double>& cpu = host.series[0].values;
  for (size_t t = 0; t < cpu.size(); ++t) {
    ASSERT_NEAR(cpu[t], std::min(100.0, 20 + 0.1 * static_cast<double>(t)), 0.0005 + 1e-9) << t;
  }
  // 20 + 0.1·t reaches 95 on day 750.
  EXPECT_EQ(host.series[0].true_breach_day, host.series[0].first_day + 750);
}

// Least-squares fit of a yearly cosine (with trend and weekday means):
// amplitude and peak day of year.
struct YearlyFit {
  double amplitude;
  double peak_day_of_year;
};

YearlyFit FitYearly(const GeneratedSeries& series) {
  const auto n = static_cast<Eigen::Index>(series.values.size());
  Eigen::MatrixXd design(n, 10);
  for (Eigen::Index t = 0; t < n; ++t) {
    const absl::CivilDay day = CivilDayOf(series.first_day + t);
    const double angle = 2 * std::numbers::pi * absl::GetYearDay(day) / 365.25;
    design.row(t).setZero();
    design(t, 0) = 1;
    design(t, 1) = static_cast<double>(t);
    design(t, 2) = std::cos(angle);
    design(t, 3) = std::sin(angle);
    const int weekday = static_cast<int>(absl::GetWeekday(day));  // monday = 0
    if (weekday < 6) design(t, 4 + weekday) = 1;
  }
  const Eigen::VectorXd beta = testing::LeastSquares(design, series.values);
  double peak = std::atan2(beta(3), beta(2)) * 365.25 / (2 * std::numbers::pi);
  if (peak < 0) peak += 365.25;
  return {std::hypot(beta(2), beta(3)), peak};
}

TEST(Scenario, SeasonalHasAWeeklyCycleAndAYearlySwing) {
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kSeasonal), seed);
    const GeneratedSeries& cpu = SeriesOf(host, Resource::kCpu);
    const std::vector<double> detrended = MinusMovingAverage(cpu.values, 7);
    EXPECT_GT(Autocorrelation(detrended, 7), 0.5) << seed;
    // Weekends are quieter than weekdays.
    double weekday_sum = 0, weekend_sum = 0;
    int weekdays = 0, weekends = 0;
    for (size_t k = 0; k < detrended.size(); ++k) {
      const absl::CivilDay day = CivilDayOf(cpu.first_day + static_cast<int64_t>(k) + 3);
      const auto weekday = absl::GetWeekday(day);
      if (weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday) {
        weekend_sum += detrended[k];
        ++weekends;
      } else {
        weekday_sum += detrended[k];
        ++weekdays;
      }
    }
    // The profile's weekday mean is 0.66 and its weekend mean −1.65 (× weekly
    // amplitude).
    const double expected = 2.31 * cpu.dna.weekly_amplitude_percent;
    EXPECT_NEAR(weekday_sum / weekdays - weekend_sum / weekends, expected, 0.1 * expected);

    const YearlyFit yearly = FitYearly(cpu);
    EXPECT_NEAR(yearly.amplitude, cpu.dna.yearly_amplitude_percent,
                0.2 * cpu.dna.yearly_amplitude_percent)
        << seed;
    double peak_error = std::abs(yearly.peak_day_of_year - cpu.dna.yearly_peak_day_of_year);
    peak_error = std::min(peak_error, 365.25 - peak_error);
    EXPECT_LT(peak_error, 20) << seed;
  }
}

TEST(Scenario, NonSeasonalScenariosHaveNoWeeklyCycle) {
  for (Scenario scenario : {Scenario::kSteadyGrowth, Scenario::kFlatNoisy, Scenario::kDeclining}) {
    for (uint64_t seed : kSeeds) {
      const GeneratedHost host = Host(CleanOptions(), Spec(scenario), seed);
      const std::vector<double> detrended = MinusMovingAverage(host.series[0].values, 7);
      EXPECT_LT(Autocorrelation(detrended, 7), 0.2) << ScenarioName(scenario) << " " << seed;
    }
  }
}

TEST(Scenario, CapacityBreachSixtyDaysAfterTheEnd) {
  const FleetOptions options = CleanOptions();
  const int64_t end = EndDay(options);
  ScenarioParameters p;
  p.breach_day_after_end = 60;
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(options, Spec(Scenario::kCapacityBreach, p), seed);
    const GeneratedSeries& cpu = SeriesOf(host, Resource::kCpu);
    EXPECT_EQ(cpu.true_breach_day, end + 60);
    // Not breached yet: the mean ends at most 95 − 60 × (95 − 50) / 1154 ≈
    // 92.7, 3.4 long-run sds of 14-day means below 95 at the noisiest.
    EXPECT_LT(Mean(std::span(cpu.values).last(14)), 95) << seed;
    // The noise-free trend reaches 95 on day end + 60 ...
    const double days_to_breach = static_cast<double>(end + 60 - cpu.first_day);
    EXPECT_NEAR(cpu.dna.start_percent + cpu.dna.slope_percent_per_day * days_to_breach, 95, 1e-9);
    // ... and so does the line fitted to the noisy values.
    const Crossing crossing = FittedCrossing(cpu);
    EXPECT_NEAR(crossing.day, static_cast<double>(end + 60), 5 * crossing.standard_error) << seed;
    EXPECT_LT(crossing.standard_error, 6.0);
    for (Resource other : {Resource::kMemory, Resource::kDisk, Resource::kNetwork}) {
      EXPECT_FALSE(SeriesOf(host, other).true_breach_day.has_value());
    }
  }
}

TEST(Scenario, CapacityBreachSixtyDaysAfterTheEndEndsBelow95) {
  const FleetOptions options = CleanOptions();
  ScenarioParameters p;
  p.breach_day_after_end = 60;
  p.start_percent = 20;  // the mean ends at 95 − 60 × 75 / 1154 ≈ 91.1
  p.noise_sd_percent = 1;
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(options, Spec(Scenario::kCapacityBreach, p), seed);
    const GeneratedSeries& cpu = SeriesOf(host, Resource::kCpu);
    EXPECT_LT(cpu.values.back(), 95) << seed;  // 3.9 sds below
    const Crossing crossing = FittedCrossing(cpu);
    EXPECT_LT(crossing.standard_error, 2.5);
    EXPECT_NEAR(crossing.day, static_cast<double>(EndDay(options) + 60),
                5 * crossing.standard_error)
        << seed;
  }
}

TEST(Scenario, CapacityBreachShortlyBeforeTheEnd) {
  const FleetOptions options = CleanOptions();
  const int64_t end = EndDay(options);
  ScenarioParameters p;
  p.breach_day_after_end = -10;
  p.start_percent = 40;
  const GeneratedHost host = Host(options, Spec(Scenario::kCapacityBreach, p), 5);
  const GeneratedSeries& cpu = SeriesOf(host, Resource::kCpu);
  EXPECT_EQ(cpu.true_breach_day, end - 10);
  EXPECT_GT(Mean(std::span(cpu.values).last(10)), 94);
  const Crossing crossing = FittedCrossing(cpu);
  EXPECT_NEAR(crossing.day, static_cast<double>(end - 10), 5 * crossing.standard_error);
}

TEST(Scenario, CapacityBreachOfAnotherResource) {
  const FleetOptions options = CleanOptions();
  ScenarioParameters p;
  p.breach_day_after_end = 30;
  const GeneratedHost host =
      Host(options, Spec(Scenario::kCapacityBreach, p, Resource::kMemory), 11);
  EXPECT_EQ(SeriesOf(host, Resource::kMemory).true_breach_day, EndDay(options) + 30);
  EXPECT_FALSE(SeriesOf(host, Resource::kCpu).true_breach_day.has_value());
}

TEST(Scenario, SettingOneParameterLeavesTheOthersAlone) {
  const FleetOptions options = CleanOptions();
  const GeneratedHost drawn = Host(options, Spec(Scenario::kCapacityBreach), 3);
  ScenarioParameters p;
  p.breach_day_after_end = 90;
  const GeneratedHost set = Host(options, Spec(Scenario::kCapacityBreach, p), 3);
  EXPECT_EQ(set.series[0].dna.start_percent, drawn.series[0].dna.start_percent);
  EXPECT_EQ(set.series[0].dna.noise_sd_percent, drawn.series[0].dna.noise_sd_percent);
  for (size_t r = 1; r < 4; ++r)
    EXPECT_TRUE(SameValues(set.series[r].values, drawn.series[r].values));
}

struct StepFit {
  double step;
  double standard_error;  // under the series' AR(1) noise
};

// Least-squares step size: y = a + b·t + c·[t ≥ step_day].
StepFit FitStep(const GeneratedSeries& series, int step_day) {
  const auto n = static_cast<Eigen::Index>(series.values.size());
  Eigen::MatrixXd design(n, 3);
  for (Eigen::Index t = 0; t < n; ++t) {
    design.row(t) << 1.0, static_cast<double>(t), t >= step_day ? 1.0 : 0.0;
  }
  const double variance_factor = (design.transpose() * design).inverse()(2, 2);
  return {testing::LeastSquares(design, series.values)(2),
          LongRunSd(series.dna) * std::sqrt(variance_factor)};
}

TEST(Scenario, StepShiftMeansBeforeAndAfterDifferByTheStep) {
  ScenarioParameters p;
  p.step_day = 600;
  p.step_percent = 20;
  p.growth_percent_per_year = 0;
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kStepShift, p), seed);
    const GeneratedSeries& cpu = host.series[0];
    const double before = Mean(std::span(cpu.values).subspan(600 - 200, 200));
    const double after = Mean(std::span(cpu.values).subspan(600, 200));
    // The difference of two 200-day means has a standard error of
    // long-run sd · √(2/200); allow 5 of them.
    EXPECT_NEAR(after - before, 20, 5 * LongRunSd(cpu.dna) * 0.1) << seed;
    // Every resource jumps on the same day, by its own drawn size.
    for (const GeneratedSeries& series : host.series) {
      EXPECT_EQ(series.dna.step_day, 600);
      const StepFit fit = FitStep(series, 600);
      EXPECT_NEAR(fit.step, series.dna.step_percent, 5 * fit.standard_error)
          << seed << " " << ResourceName(series.resource);
    }
  }
}

TEST(Scenario, DrawnStepShiftsAreLargeAndShared) {
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kStepShift), seed);
    const int step_day = host.series[0].dna.step_day;
    EXPECT_GE(step_day, 0.25 * 1094 - 1);
    EXPECT_LE(step_day, 0.85 * 1094 + 1);
    for (const GeneratedSeries& series : host.series) {
      EXPECT_EQ(series.dna.step_day, step_day);
      EXPECT_GE(std::abs(series.dna.step_percent), 4.0);
      const StepFit fit = FitStep(series, step_day);
      EXPECT_LT(fit.standard_error, 1.0);
      EXPECT_NEAR(fit.step, series.dna.step_percent, 5 * fit.standard_error) << seed;
    }
  }
}

TEST(Scenario, DecliningHasANegativeSlope) {
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kDeclining), seed);
    for (const GeneratedSeries& series : host.series) {
      const LineFit fit = FitLine(series.values);
      EXPECT_LT(fit.slope, 0);
      EXPECT_NEAR(fit.slope, series.dna.slope_percent_per_day,
                  5 * SlopeStandardError(series.dna, series.values.size()));
      EXPECT_GE(Mean(std::span(series.values).last(30)), 2.0);  // declines, never to nothing
    }
  }
}

TEST(Scenario, FlatNoisyHasNoTrendAndNoSpikes) {
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kFlatNoisy), seed);
    for (const GeneratedSeries& series : host.series) {
      const LineFit fit = FitLine(series.values);
      // Indistinguishable from 0.
      EXPECT_LT(std::abs(fit.slope), 5 * SlopeStandardError(series.dna, 1095)) << seed;
      EXPECT_NEAR(fit.residual_sd, series.dna.noise_sd_percent, 0.25 * series.dna.noise_sd_percent);
      const double largest = *std::max_element(series.values.begin(), series.values.end());
      // A Gaussian maximum of 1,095 days is about 3.2 sds; 6 happens once in
      // about a million series.
      EXPECT_LT((largest - Median(series.values)) / RobustSd(series.values), 6.0) << seed;
    }
  }
}

TEST(Scenario, BurstyHasSharedSpikes) {
  for (uint64_t seed : kSeeds) {
    const GeneratedHost host = Host(CleanOptions(), Spec(Scenario::kBursty), seed);
    std::vector<std::set<size_t>> spike_days;
    for (const GeneratedSeries& series : host.series) {
      const double median = Median(series.values);
      const double sd = RobustSd(series.values);
      std::set<size_t> spikes;
      for (size_t t = 0; t < series.values.size(); ++t) {
        if (series.values[t] > median + 6 * sd) spikes.insert(t);
      }
      spike_days.push_back(spikes);
    }
    const std::set<size_t>& cpu = spike_days[0];
    const std::set<size_t>& network = spike_days[3];
    // 1 to 4 % of the days start a burst of 1 to 3 days.
    EXPECT_GE(cpu.size(), 3u) << seed;
    EXPECT_LE(cpu.size(), 1095u / 8) << seed;
    // Bursts hit the host, so the busiest resources spike together.
    size_t shared = 0;
    for (size_t t : network) shared += cpu.contains(t) ? 1 : 0;
    EXPECT_GE(shared, network.size() / 2) << seed;
  }
}

TEST(Validation, RejectsOptionsOutOfRange) {
  auto field_error = [](const FleetOptions& options, const std::string& field) {
    const absl::Status status = ValidateFleetOptions(options);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_NE(std::string(status.message()).find(field), std::string::npos) << status;
  };
  EXPECT_TRUE(ValidateFleetOptions(FleetOptions{}).ok());
  FleetOptions o;
  o.hosts = 0;
  field_error(o, "hosts");
  o = {};
  o.days = 1;
  field_error(o, "days");
  o = {};
  o.overshoot_fraction = 0.01;
  field_error(o, "overshoot_fraction");
  o = {};
  o.scenario_weights = {};
  field_error(o, "scenario weights");
  o = {};
  o.scenario_weights[2] = -1;
  field_error(o, "capacity_breach");
  o = {};
  o.end_day = absl::CivilDay(1001, 1, 1);
  field_error(o, "years");
  EXPECT_FALSE(GenerateHost(o, 0).ok());
  EXPECT_FALSE(FleetHostSpec(FleetOptions{}, 2000).ok());
  EXPECT_FALSE(FleetHostSpec(FleetOptions{}, -1).ok());
}

TEST(Validation, RejectsSpecsOutOfRange) {
  FleetOptions options;
  options.days = 100;
  auto field_error = [&options](const HostSpec& spec, const std::string& field) {
    const absl::Status status = ValidateHostSpec(spec, options);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_NE(std::string(status.message()).find(field), std::string::npos) << status;
    EXPECT_FALSE(GenerateHost(options, spec, 1).ok());
  };
  HostSpec spec = Spec(Scenario::kCapacityBreach);
  spec.host_id = "";
  field_error(spec, "host_id");
  spec = Spec(Scenario::kCapacityBreach);
  spec.parameters.breach_day_after_end = -99;  // the first day itself
  field_error(spec, "breach_day_after_end");
  spec.parameters.breach_day_after_end = -98;
  EXPECT_TRUE(ValidateHostSpec(spec, options).ok());
  spec.parameters.start_percent = 96;
  field_error(spec, "start_percent");
  spec = Spec(Scenario::kStepShift);
  spec.parameters.step_day = 100;
  field_error(spec, "step_day");
  spec.parameters.step_day = 0;
  field_error(spec, "step_day");
  spec = Spec(Scenario::kSeasonal);
  spec.parameters.noise_sd_percent = std::nan("");
  field_error(spec, "noise_sd_percent");
}

}  // namespace
}  // namespace horizonscale::fleetgen

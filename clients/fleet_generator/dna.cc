// The scenarios' parameter ranges. Levels, trends and amplitudes are in
// percentage points; "× resource" marks a per-resource factor from the tables
// below (cpu, memory, disk, network). Every resource draws its own values
// from its scenario's ranges.
//
//   steady_growth    start U[10, 45], growth U[4, 12]/year, noise U[0.8, 2.5]
//   seasonal         start U[20, 50], growth U[0, 3]/year, weekly U[4, 9] × resource,
//                    yearly U[4, 12] × resource (peak day of year shared by the host),
//                    noise U[0.8, 2.0]
//   capacity_breach  primary resource: start U[15, 50], mean reaching 95 on day
//                    end + k with k ~ U{15..150} (80 %) or U{−30..14} (20 %),
//                    slope = (95 − start) / (days − 1 + k), noise U[0.5, 1.5];
//                    other resources as steady_growth
//   step_shift       start U[15, 45], growth U[0, 4]/year, one jump of
//                    U[10, 30] × resource on a day U[25 %, 85 %] of history
//                    shared by the host, up (75 %) or down (25 %, never below
//                    a level of 5), noise U[0.8, 2.5]
//   bursty           start U[10, 35], flat; bursts shared by the host start on
//                    a day with probability U[0.01, 0.04], last U{1..3} days,
//                    rise U[20, 55] × burst scale and decay ×0.6 a day;
//                    noise U[0.8, 2.0]
//   flat_noisy       start U[15, 70], flat, noise U[2.5, 6.0]
//   declining        start U[40, 85], decline U[5, 15]/year (at most down to 5
//                    at the end), noise U[0.8, 2.5]
//
// Noise is × resource (1, 0.5, 0.25, 1.3) with AR(1) coefficient U[0.1, 0.6].
#include <algorithm>
#include <array>
#include <cmath>

#include "clients/fleet_generator/internal/dna.h"
#include "clients/fleet_generator/internal/random.h"

namespace horizonscale::fleetgen::internal {
namespace {

constexpr double kDaysPerYear = 365.0;
constexpr std::array<double, kResourceCount> kNoiseFactor = {1.0, 0.5, 0.25, 1.3};
constexpr std::array<double, kResourceCount> kWeeklyFactor = {1.0, 0.4, 0.1, 1.2};
constexpr std::array<double, kResourceCount> kYearlyFactor = {1.0, 0.6, 0.3, 1.0};
constexpr std::array<double, kResourceCount> kStepFactor = {1.0, 0.8, 0.6, 1.0};
constexpr std::array<double, kResourceCount> kBurstScaleLow = {0.9, 0.3, 0.1, 0.8};
constexpr std::array<double, kResourceCount> kBurstScaleHigh = {1.1, 0.6, 0.3, 1.2};

struct NoiseRange {
  double low, high;
};

NoiseRange NoiseRangeOf(Scenario scenario) {
  switch (scenario) {
    case Scenario::kSeasonal:
    case Scenario::kBursty:
      return {0.8, 2.0};
    case Scenario::kCapacityBreach:
      return {0.5, 1.5};
    case Scenario::kFlatNoisy:
      return {2.5, 6.0};
    case Scenario::kSteadyGrowth:
    case Scenario::kStepShift:
    case Scenario::kDeclining:
      break;
  }
  return {0.8, 2.5};
}

// The override if set, else the draw (which is made either way).
template <class T>
T Pick(const std::optional<T>& override_value, T drawn) {
  return override_value.has_value() ? *override_value : drawn;
}

// Offset of the breach day of a capacity_breach series: k ~ U{15..150}
// (80 %) or U{−30..14}, kept so that the crossing is at least one day after
// the first day.
int DrawBreachDayAfterEnd(Rng& rng, int days) {
  const bool after = rng.Bernoulli(0.8);
  const int drawn = after ? rng.UniformInt(15, 150) : rng.UniformInt(-30, 14);
  return std::max(drawn, 2 - days);
}

}  // namespace

HostDraws DrawHost(const HostSpec& spec, const FleetOptions& options, uint64_t seed) {
  Rng rng(seed, Stream::kHost);
  HostDraws host;
  const int last = options.days - 1;
  // Drawn for every scenario, so the streams do not depend on it.
  const int low = std::max(1, static_cast<int>(std::lround(0.25 * last)));
  const int high = std::max(low, static_cast<int>(std::lround(0.85 * last)));
  host.step_day = Pick(spec.parameters.step_day, rng.UniformInt(low, high));
  host.step_up = rng.Bernoulli(0.75);
  host.yearly_peak_day_of_year = rng.UniformInt(1, 365);
  if (spec.scenario == Scenario::kBursty) {
    const double rate = rng.Uniform(0.01, 0.04);
    for (int t = 0; t < options.days; ++t) {
      if (!rng.Bernoulli(rate)) continue;
      Burst burst{t, rng.UniformInt(1, 3), rng.Uniform(20, 55)};
      host.bursts.push_back(burst);
      t += burst.length - 1;
    }
  }
  if (spec.scenario != Scenario::kStepShift) host.step_day = -1;
  return host;
}

SeriesDna DrawSeriesDna(const HostSpec& spec, Resource resource, const HostDraws& host,
                        const FleetOptions& options, uint64_t seed) {
  Rng rng(seed, Stream::kParameters, static_cast<uint64_t>(resource));
  const auto r = static_cast<size_t>(resource);
  const bool primary = resource == spec.primary_resource;
  const ScenarioParameters none;
  const ScenarioParameters& given = primary ? spec.parameters : none;
  const double years = (options.days - 1) / kDaysPerYear;

  SeriesDna dna;
  const NoiseRange noise = NoiseRangeOf(spec.scenario);
  dna.noise_sd_percent =
      Pick(given.noise_sd_percent, rng.Uniform(noise.low, noise.high) * kNoiseFactor[r]);
  dna.noise_ar1 = rng.Uniform(0.1, 0.6);

  double growth_per_year = 0;
  switch (spec.scenario) {
    case Scenario::kSteadyGrowth:
      dna.start_percent = Pick(given.start_percent, rng.Uniform(10, 45));
      growth_per_year = Pick(given.growth_percent_per_year, rng.Uniform(4, 12));
      break;
    case Scenario::kSeasonal:
      dna.start_percent = Pick(given.start_percent, rng.Uniform(20, 50));
      growth_per_year = Pick(given.growth_percent_per_year, rng.Uniform(0, 3));
      dna.weekly_amplitude_percent =
          Pick(given.weekly_amplitude_percent, rng.Uniform(4, 9) * kWeeklyFactor[r]);
      dna.yearly_amplitude_percent =
          Pick(given.yearly_amplitude_percent, rng.Uniform(4, 12) * kYearlyFactor[r]);
      dna.yearly_peak_day_of_year = host.yearly_peak_day_of_year;
      break;
    case Scenario::kCapacityBreach:
      if (primary) {
        dna.start_percent = Pick(given.start_percent, rng.Uniform(15, 50));
        const int k = Pick(given.breach_day_after_end, DrawBreachDayAfterEnd(rng, options.days));
        dna.slope_percent_per_day =
            (kBreachThresholdPercent - dna.start_percent) / (options.days - 1 + k);
        return dna;
      }
      dna.start_percent = rng.Uniform(10, 45);
      growth_per_year = rng.Uniform(4, 12);
      break;
    case Scenario::kStepShift: {
      dna.start_percent = Pick(given.start_percent, rng.Uniform(15, 45));
      growth_per_year = Pick(given.growth_percent_per_year, rng.Uniform(0, 4));
      dna.step_day = host.step_day;
      const double magnitude = rng.Uniform(10, 30) * kStepFactor[r];
      const double level_at_step =
          dna.start_percent + growth_per_year / kDaysPerYear * host.step_day;
      const double drawn =
          host.step_up ? magnitude : -std::min(magnitude, std::max(0.0, level_at_step - 5));
      dna.step_percent = Pick(given.step_percent, drawn);
      break;
    }
    case Scenario::kBursty:
      dna.start_percent = Pick(given.start_percent, rng.Uniform(10, 35));
      growth_per_year = Pick(given.growth_percent_per_year, 0.0);
      dna.burst_scale = rng.Uniform(kBurstScaleLow[r], kBurstScaleHigh[r]);
      break;
    case Scenario::kFlatNoisy:
      dna.start_percent = Pick(given.start_percent, rng.Uniform(15, 70));
      growth_per_year = Pick(given.growth_percent_per_year, 0.0);
      break;
    case Scenario::kDeclining: {
      dna.start_percent = Pick(given.start_percent, rng.Uniform(40, 85));
      const double most = years > 0 ? (dna.start_percent - 5) / years : 15;
      growth_per_year =
          Pick(given.growth_percent_per_year, -std::min(rng.Uniform(5, 15), std::max(0.0, most)));
      break;
    }
  }
  dna.slope_percent_per_day = growth_per_year / kDaysPerYear;
  return dna;
}

}  // namespace horizonscale::fleetgen::internal

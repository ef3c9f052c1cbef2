// The series model (fleet_generator.h): mean, noise, bursts, clipping,
// overshoots, dirt and the true breach day.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "clients/fleet_generator/internal/random.h"
#include "clients/fleet_generator/internal/series.h"

namespace horizonscale::fleetgen {
namespace {

constexpr double kDaysPerYearForSeasonality = 365.25;
// A mean within this of the threshold counts as reaching it (the breach
// slope is computed so that the mean hits 95 exactly on the breach day).
constexpr double kThresholdTolerance = 1e-9;

// The largest |kWeekdayProfile| entry.
constexpr double kLargestWeekdayFactor = [] {
  double largest = 0;
  for (double factor : kWeekdayProfile) largest = std::max(largest, factor < 0 ? -factor : factor);
  return largest;
}();

// Monday = 0 (1970-01-01 was a Thursday).
int Weekday(int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

double MeanAt(const SeriesDna& dna, int weekday, int day_of_year, int offset) {
  double mean = dna.start_percent + dna.slope_percent_per_day * offset;
  if (dna.weekly_amplitude_percent != 0) {
    mean += dna.weekly_amplitude_percent * kWeekdayProfile[weekday];
  }
  if (dna.yearly_amplitude_percent != 0) {
    mean += dna.yearly_amplitude_percent *
            std::cos(2 * std::numbers::pi * (day_of_year - dna.yearly_peak_day_of_year) /
                     kDaysPerYearForSeasonality);
  }
  if (dna.step_day >= 0 && offset >= dna.step_day) mean += dna.step_percent;
  return mean;
}

// Rounds to 0.001, the resolution of the data (and of the CSV).
double Quantize(double value) { return std::round(value * 1000) / 1000; }

}  // namespace

double SeriesMean(const SeriesDna& dna, int64_t day, int offset) {
  const int day_of_year = dna.yearly_amplitude_percent != 0 ? absl::GetYearDay(CivilDayOf(day)) : 1;
  return MeanAt(dna, Weekday(day), day_of_year, offset);
}

namespace internal {

std::vector<double> RenderValues(const SeriesDna& dna, Resource resource,
                                 std::span<const Burst> bursts, const FleetOptions& options,
                                 int64_t first_day, uint64_t seed) {
  const auto stream_offset = static_cast<uint64_t>(resource);
  Rng noise_rng(seed, Stream::kNoise, stream_offset);
  Rng overshoot_rng(seed, Stream::kOvershoot, stream_offset);
  std::vector<double> values(static_cast<size_t>(options.days));

  // Bursts, spread over their days.
  if (dna.burst_scale != 0) {
    for (const Burst& burst : bursts) {
      double height = burst.height * dna.burst_scale;
      for (int k = 0; k < burst.length && burst.start + k < options.days; ++k) {
        values[static_cast<size_t>(burst.start) + static_cast<size_t>(k)] += height;
        height *= kBurstDecay;
      }
    }
  }

  const double innovation_sd = dna.noise_sd_percent * std::sqrt(1 - dna.noise_ar1 * dna.noise_ar1);
  double noise = dna.noise_sd_percent * noise_rng.Normal();
  absl::CivilDay date = CivilDayOf(first_day);
  int weekday = Weekday(first_day);
  for (int t = 0; t < options.days; ++t, ++date, weekday = (weekday + 1) % 7) {
    if (t > 0) noise = dna.noise_ar1 * noise + innovation_sd * noise_rng.Normal();
    const int day_of_year = dna.yearly_amplitude_percent != 0 ? absl::GetYearDay(date) : 1;
    double& value = values[static_cast<size_t>(t)];
    value = Quantize(std::clamp(MeanAt(dna, weekday, day_of_year, t) + noise + value, 0.0, 100.0));
    if (overshoot_rng.Uniform() < options.overshoot_fraction) {
      value = Quantize(100 + std::max(0.001, overshoot_rng.Uniform() * kLargestOvershootPercent));
    }
  }
  return values;
}

std::vector<int> DrawGapDays(int days, uint64_t seed) {
  Rng rng(seed, Stream::kDirty);
  std::vector<int> gaps;
  for (int t = 0; t < days; ++t) {
    if (!rng.Bernoulli(kGapStartProbability)) continue;
    const int length = rng.UniformInt(1, kLongestGapDays);
    for (int k = 0; k < length && t < days; ++k, ++t) gaps.push_back(t);
  }
  return gaps;
}

std::vector<int> ApplyDirt(std::vector<double>& values, std::span<const int> gap_days,
                           Resource resource, uint64_t seed) {
  for (int t : gap_days) values[static_cast<size_t>(t)] = std::nan("");
  Rng rng(seed, Stream::kDirty, 1 + static_cast<uint64_t>(resource));
  std::vector<int> duplicates;
  for (size_t t = 0; t < values.size(); ++t) {
    if (rng.Bernoulli(kDuplicateProbability) && !std::isnan(values[t])) {
      duplicates.push_back(static_cast<int>(t));
    }
  }
  return duplicates;
}

std::optional<int64_t> TrueBreachDay(const SeriesDna& dna, int64_t first_day, int days,
                                     int horizon_days) {
  const int last = days - 1 + horizon_days;
  // An upper bound of the mean over the whole range: most series never come
  // near the threshold and need no scan.
  const double bound = dna.start_percent + std::max(0.0, dna.slope_percent_per_day * last) +
                       std::abs(dna.weekly_amplitude_percent) * kLargestWeekdayFactor +
                       std::abs(dna.yearly_amplitude_percent) + std::max(0.0, dna.step_percent);
  const double threshold = kBreachThresholdPercent - kThresholdTolerance;
  if (bound < threshold) return std::nullopt;
  for (int t = 0; t <= last; ++t) {
    if (SeriesMean(dna, first_day + t, t) >= threshold) return first_day + t;
  }
  return std::nullopt;
}

}  // namespace internal
}  // namespace horizonscale::fleetgen

// Synthetic fleet telemetry: daily P95 utilization of hosts × resources whose
// behaviour ("DNA") is known, so that forecasts and risk reports can be
// checked against the truth that produced the data.
//
// A host has a scenario (steady growth, seasonal, capacity breach, ...)
// applied to its four resources with per-resource variation; every value is
// a deterministic function of (options, host index) or (options, spec, seed),
// never of the order or the thread in which hosts are generated.
//
// The model of one series (offset t = 0 .. days − 1 from its first day):
//   mean(t)  = start + slope·t + weekly·W[weekday] + yearly·cos(2π(doy − peak)/365.25)
//              + step·[t ≥ step_day]
//   value(t) = clip(mean(t) + noise(t) + burst(t), 0, 100), in steps of 0.001
// with AR(1) Gaussian noise, bursts only in kBursty, and rare measurement
// overshoots in (100, 102] (FleetOptions::overshoot_fraction). The true
// breach day is the first day, in history or up to breach_horizon_days after
// it, on which mean(t) ≥ 95. The parameter ranges of each scenario are listed
// in dna.cc.
//
// Pure library: no gRPC, proto or SQL.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/civil_time.h>

namespace horizonscale::fleetgen {

// Behavioural archetype of a host.
enum class Scenario {
  kSteadyGrowth,    // linear growth with noise
  kSeasonal,        // weekly and yearly seasonality over a small trend
  kCapacityBreach,  // one resource grows so that its mean crosses 95 % near the end
  kStepShift,       // a level jump on one day
  kBursty,          // low base with occasional bursts of a few days
  kFlatNoisy,       // constant level, strong noise
  kDeclining,       // linear decline
};
inline constexpr int kScenarioCount = 7;

// The scenario's label: "steady_growth", "seasonal", "capacity_breach",
// "step_shift", "bursty", "flat_noisy" or "declining".
const char* ScenarioName(Scenario scenario);

// The scenario labelled `name` (exactly as ScenarioName spells it), or
// nullopt.
std::optional<Scenario> ParseScenario(std::string_view name);

// A resource of a host.
enum class Resource { kCpu, kMemory, kDisk, kNetwork };
inline constexpr int kResourceCount = 4;

// "cpu", "memory", "disk" or "network".
const char* ResourceName(Resource resource);

// Utilization whose crossing by the noise-free mean is a breach, in percent.
inline constexpr double kBreachThresholdPercent = 95.0;

// What to generate.
struct FleetOptions {
  int hosts = 2000;                      // at least 1
  int days = 1095;                       // history length, at least 2
  absl::CivilDay end_day{2026, 11, 26};  // last day of history
  uint64_t seed = 42;
  // Gaps (missing days, NaN values) and duplicate rows, about 1.5 % and
  // 0.2 % of the days. Off by default.
  bool dirty = false;
  // Share of values replaced by a measurement overshoot in (100, 102], in
  // [0, 0.001]. 0 turns them off.
  double overshoot_fraction = 3e-4;
  // Relative frequency of each scenario in the fleet, indexed by Scenario;
  // finite, non-negative, not all zero. Default: an even mix.
  std::array<double, kScenarioCount> scenario_weights = {1, 1, 1, 1, 1, 1, 1};
  // Days after the end of history within which a mean crossing 95 % is still
  // recorded as the series' true breach day, at least 0.
  int breach_horizon_days = 365;
};

// INVALID_ARGUMENT naming the field when `options` is out of range.
absl::Status ValidateFleetOptions(const FleetOptions& options);

// Optional parameters of a host's scenario. Unset ones are drawn from the
// host's seed (the draw happens either way, so setting one parameter leaves
// every other value of the host unchanged). They describe the host's primary
// resource; its other resources draw their own values from the scenario's
// ranges. Host-level parameters (step_day) apply to all resources.
struct ScenarioParameters {
  // Noise-free level on the first day, before seasonality and step, in
  // [0, 100].
  std::optional<double> start_percent;
  // Trend in percentage points per year (negative for a decline). Ignored by
  // kCapacityBreach, whose slope follows from start and breach day.
  std::optional<double> growth_percent_per_year;
  // kCapacityBreach: the day, counted from the last day of history, on which
  // the mean reaches 95 % (60: sixty days after the end; −10: ten days before
  // it). Greater than −(days − 1).
  std::optional<int> breach_day_after_end;
  // kStepShift: offset of the jump from the first day, in [1, days − 1].
  std::optional<int> step_day;
  // kStepShift: size of the jump in percentage points (may be negative).
  std::optional<double> step_percent;
  // kSeasonal: scale of the weekday profile (peak-to-trough ≈ 2.7×), ≥ 0.
  std::optional<double> weekly_amplitude_percent;
  // kSeasonal: amplitude of the yearly cosine, ≥ 0.
  std::optional<double> yearly_amplitude_percent;
  // Standard deviation of the (AR(1)) noise, ≥ 0.
  std::optional<double> noise_sd_percent;

  friend bool operator==(const ScenarioParameters&, const ScenarioParameters&) = default;
};

// A host: identity, labels and behaviour.
struct HostSpec {
  std::string host_id;  // 1 to 128 characters
  Scenario scenario = Scenario::kFlatNoisy;
  std::string department;
  std::string app_code;
  // The resource `parameters` describe; for kCapacityBreach the one that
  // breaches.
  Resource primary_resource = Resource::kCpu;
  ScenarioParameters parameters;

  friend bool operator==(const HostSpec&, const HostSpec&) = default;
};

// INVALID_ARGUMENT naming the field when `spec` cannot be generated with
// `options` (which must be valid).
absl::Status ValidateHostSpec(const HostSpec& spec, const FleetOptions& options);

// The resolved parameters of one series (see the model at the top).
struct SeriesDna {
  double start_percent = 0;
  double slope_percent_per_day = 0;
  double weekly_amplitude_percent = 0;  // × kWeekdayProfile
  double yearly_amplitude_percent = 0;
  int yearly_peak_day_of_year = 1;  // 1 to 365
  int step_day = -1;                // offset of the jump; −1: none
  double step_percent = 0;
  double noise_sd_percent = 0;  // stationary standard deviation
  double noise_ar1 = 0;         // lag-1 autocorrelation of the noise
  double burst_scale = 0;       // × the host's burst heights; 0: none
};

// Weekly profile, Monday to Sunday (mean 0): busy weekdays, quiet weekends.
inline constexpr std::array<double, 7> kWeekdayProfile = {0.6, 0.8, 0.8, 0.7, 0.4, -1.4, -1.9};

// The noise-free mean of a series with `dna` on `day` (days since
// 1970-01-01), `offset` days after its first day.
double SeriesMean(const SeriesDna& dna, int64_t day, int offset);

// One resource's history.
struct GeneratedSeries {
  Resource resource = Resource::kCpu;
  int64_t first_day = 0;  // days since 1970-01-01
  // One value per day from first_day, in percent; NaN marks a missing day
  // (dirty only).
  std::vector<double> values;
  // Offsets of days whose row is delivered twice, same value (dirty only),
  // ascending; never a missing day.
  std::vector<int> duplicate_offsets;
  // First day (days since 1970-01-01) on which the noise-free mean reaches
  // 95 %, if that happens within history or breach_horizon_days after it.
  std::optional<int64_t> true_breach_day;
  SeriesDna dna;
};

// One host with its four series, in Resource order.
struct GeneratedHost {
  HostSpec spec;
  std::vector<GeneratedSeries> series;
};

// The department names, in a fixed order.
const std::vector<std::string>& Departments();

// The app codes of `department` ("APP-0042", ...), each in exactly one
// department; empty for an unknown department.
const std::vector<std::string>& AppCodes(std::string_view department);

// The spec of host `index` of the fleet: host_id "host-00042", department,
// app code, scenario (by options.scenario_weights) and primary resource,
// drawn from (options.seed, index) alone. Requires valid options and
// 0 ≤ index < options.hosts (INVALID_ARGUMENT otherwise).
absl::StatusOr<HostSpec> FleetHostSpec(const FleetOptions& options, int index);

// The seed of host `index` of a fleet seeded with `fleet_seed`.
uint64_t FleetHostSeed(uint64_t fleet_seed, int index);

// Host `index` of the fleet: GenerateHost(options, FleetHostSpec(options,
// index), FleetHostSeed(options.seed, index)). Cheap to call host by host, so
// a fleet can be streamed without holding it; safe to call concurrently.
absl::StatusOr<GeneratedHost> GenerateHost(const FleetOptions& options, int index);

// One host with an explicit spec (options.hosts and scenario_weights are not
// used). INVALID_ARGUMENT when the options or the spec are invalid.
absl::StatusOr<GeneratedHost> GenerateHost(const FleetOptions& options, const HostSpec& spec,
                                           uint64_t seed);

// Days since 1970-01-01 of `day`, and back.
int64_t DayNumber(absl::CivilDay day);
absl::CivilDay CivilDayOf(int64_t day_number);

}  // namespace horizonscale::fleetgen

// Names of scenarios and resources, and day numbers.
#include "clients/fleet_generator/fleet_generator.h"

namespace horizonscale::fleetgen {
namespace {

constexpr const char* kScenarioNames[kScenarioCount] = {
    "steady_growth", "seasonal",   "capacity_breach", "step_shift",
    "bursty",        "flat_noisy", "declining"};
constexpr const char* kResourceNames[kResourceCount] = {"cpu", "memory", "disk", "network"};
constexpr absl::CivilDay kEpoch(1970, 1, 1);

}  // namespace

const char* ScenarioName(Scenario scenario) { return kScenarioNames[static_cast<int>(scenario)]; }

std::optional<Scenario> ParseScenario(std::string_view name) {
  for (int i = 0; i < kScenarioCount; ++i) {
    if (name == kScenarioNames[i]) return static_cast<Scenario>(i);
  }
  return std::nullopt;
}

const char* ResourceName(Resource resource) { return kResourceNames[static_cast<int>(resource)]; }

int64_t DayNumber(absl::CivilDay day) { return day - kEpoch; }

absl::CivilDay CivilDayOf(int64_t day_number) { return kEpoch + day_number; }

}  // namespace horizonscale::fleetgen

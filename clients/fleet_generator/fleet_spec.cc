// Who the hosts of a fleet are: ids, departments, app codes, scenarios.
#include <array>

#include <absl/strings/str_format.h>

#include "clients/fleet_generator/fleet_generator.h"
#include "clients/fleet_generator/internal/random.h"
#include "forecast/numerics/xoshiro256.h"

namespace horizonscale::fleetgen {
namespace {

struct Department {
  const char* name;
  double weight;  // relative number of hosts
  std::vector<std::string> app_codes;
};

const std::vector<Department>& DepartmentTable() {
  static const auto* const table = new std::vector<Department>{
      {"payments", 16, {"APP-0042", "APP-0107", "APP-0213", "APP-0318", "APP-0455"}},
      {"search", 14, {"APP-0511", "APP-0524", "APP-0560", "APP-0599"}},
      {"checkout", 12, {"APP-0610", "APP-0633", "APP-0671"}},
      {"identity", 11, {"APP-0702", "APP-0719", "APP-0748"}},
      {"messaging", 10, {"APP-0804", "APP-0826", "APP-0857", "APP-0890"}},
      {"analytics", 9, {"APP-0913", "APP-0937", "APP-0966", "APP-0981"}},
      {"media", 8, {"APP-1024", "APP-1058", "APP-1093"}},
      {"logistics", 8, {"APP-1120", "APP-1146", "APP-1175"}},
      {"ads", 7, {"APP-1201", "APP-1232", "APP-1268"}},
      {"platform", 5, {"APP-1300", "APP-1311", "APP-1345", "APP-1389"}},
  };
  return *table;
}

// Primary resource of a capacity_breach host: cpu 35 %, memory 30 %, disk
// 25 %, network 10 %.
constexpr std::array<double, kResourceCount> kBreachResourceWeights = {35, 30, 25, 10};

}  // namespace

const std::vector<std::string>& Departments() {
  static const auto* const names = [] {
    auto* list = new std::vector<std::string>;
    for (const Department& department : DepartmentTable()) list->emplace_back(department.name);
    return list;
  }();
  return *names;
}

const std::vector<std::string>& AppCodes(std::string_view department) {
  static const std::vector<std::string> kNone;
  for (const Department& entry : DepartmentTable()) {
    if (department == entry.name) return entry.app_codes;
  }
  return kNone;
}

uint64_t FleetHostSeed(uint64_t fleet_seed, int index) {
  return numerics::Mix64(numerics::Mix64(fleet_seed) ^ static_cast<uint64_t>(index));
}

absl::StatusOr<HostSpec> FleetHostSpec(const FleetOptions& options, int index) {
  if (absl::Status status = ValidateFleetOptions(options); !status.ok()) return status;
  if (index < 0 || index >= options.hosts) {
    return absl::InvalidArgumentError(
        absl::StrFormat("host index %d is outside [0, %d)", index, options.hosts));
  }
  internal::Rng rng(FleetHostSeed(options.seed, index), internal::Stream::kSpec);
  HostSpec spec;
  spec.host_id = absl::StrFormat("host-%05d", index);
  const std::vector<Department>& departments = DepartmentTable();
  static const auto* const weights = [&departments] {
    auto* list = new std::vector<double>;
    list->reserve(departments.size());
    for (const Department& department : departments) list->push_back(department.weight);
    return list;
  }();
  const Department& department = departments[internal::WeightedIndex(rng, *weights)];
  spec.department = department.name;
  spec.app_code =
      department.app_codes[rng.UniformInt(0, static_cast<int>(department.app_codes.size()) - 1)];
  spec.scenario = static_cast<Scenario>(internal::WeightedIndex(rng, options.scenario_weights));
  const auto breach_resource =
      static_cast<Resource>(internal::WeightedIndex(rng, kBreachResourceWeights));
  spec.primary_resource =
      spec.scenario == Scenario::kCapacityBreach ? breach_resource : Resource::kCpu;
  return spec;
}

}  // namespace horizonscale::fleetgen

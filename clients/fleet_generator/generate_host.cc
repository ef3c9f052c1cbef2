// One host: draws, values, dirt and ground truth of its four series.
#include <utility>

#include "clients/fleet_generator/fleet_generator.h"
#include "clients/fleet_generator/internal/dna.h"
#include "clients/fleet_generator/internal/series.h"

namespace horizonscale::fleetgen {

absl::StatusOr<GeneratedHost> GenerateHost(const FleetOptions& options, const HostSpec& spec,
                                           uint64_t seed) {
  if (absl::Status status = ValidateFleetOptions(options); !status.ok()) return status;
  if (absl::Status status = ValidateHostSpec(spec, options); !status.ok()) return status;

  const int64_t first_day = DayNumber(options.end_day) - (options.days - 1);
  const internal::HostDraws host = internal::DrawHost(spec, options, seed);
  const std::vector<int> gap_days =
      options.dirty ? internal::DrawGapDays(options.days, seed) : std::vector<int>{};

  GeneratedHost generated;
  generated.spec = spec;
  generated.series.reserve(kResourceCount);
  for (int r = 0; r < kResourceCount; ++r) {
    const auto resource = static_cast<Resource>(r);
    GeneratedSeries& series = generated.series.emplace_back();
    series.resource = resource;
    series.first_day = first_day;
    series.dna = internal::DrawSeriesDna(spec, resource, host, options, seed);
    series.values =
        internal::RenderValues(series.dna, resource, host.bursts, options, first_day, seed);
    if (options.dirty) {
      series.duplicate_offsets = internal::ApplyDirt(series.values, gap_days, resource, seed);
    }
    series.true_breach_day =
        internal::TrueBreachDay(series.dna, first_day, options.days, options.breach_horizon_days);
  }
  return generated;
}

absl::StatusOr<GeneratedHost> GenerateHost(const FleetOptions& options, int index) {
  absl::StatusOr<HostSpec> spec = FleetHostSpec(options, index);
  if (!spec.ok()) return spec.status();
  return GenerateHost(options, *spec, FleetHostSeed(options.seed, index));
}

}  // namespace horizonscale::fleetgen

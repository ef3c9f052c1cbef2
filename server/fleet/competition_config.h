// FleetService's CompetitionConfig: defaults and the domain options it
// stands for (its validation: competition_config_checks.h). The config with its defaults filled in
// is what a run stores, so a run is reproducible from its row alone.
#pragma once

#include <absl/status/statusor.h>
#include <optional>
#include <string>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/fleet/tournament.h"
#include "forecast/fleet/tournament_calibration.h"
#include "horizonscale/v1/fleet_service.pb.h"

namespace horizonscale::server {

// What a run does, in domain terms.
struct CompetitionPlan {
  // The models fitted per series and the tournament's parameters.
  forecast::TournamentOptions tournament;
  // Whether the fleet-wide XGBoost model competes, and how it is trained.
  bool boosted = true;
  forecast::BoostedOptions boosted_options;
  // Series per shard.
  int shard_size = 64;
  // Whether shard 0 calibrates the intervals, and how (its `boosted` and
  // `threads` are set where it runs).
  bool calibrate = true;
  forecast::CalibrationOptions calibration;

  // Whether the run has a fleet-wide phase (shard 0) before its series.
  bool fleet_phase() const { return boosted || calibrate; }
};

// Most entries config.models may list: each of the seven tournament models
// once.
inline constexpr int kMaxCompetitionModels = 7;
// Largest shard a run may be cut into.
inline constexpr int kMaxShardSize = 10'000;
// Largest interval calibration sample.
inline constexpr int kMaxCalibrationSeries = 10'000;

// `config` with every unset field given its documented default (models: all
// six fleet models). Does not validate.
horizonscale::v1::CompetitionConfig WithDefaults(const horizonscale::v1::CompetitionConfig& config);

// The per-series kind of a tournament model, or nullopt for XGBoost (trained
// fleet-wide) and for models the tournament does not run.
std::optional<forecast::ModelKind> SeriesModelKind(horizonscale::v1::ForecastModel model);

// The enum value's name, or "model N" when it has none (an unknown value).
std::string ModelName(horizonscale::v1::ForecastModel model);

// The plan of a valid config with defaults filled in.
CompetitionPlan ToCompetitionPlan(const horizonscale::v1::CompetitionConfig& config);

// The config as stored with a run (JSON), and back (INVALID_ARGUMENT when
// the text is not a CompetitionConfig).
std::string ConfigToJson(const horizonscale::v1::CompetitionConfig& config);
absl::StatusOr<horizonscale::v1::CompetitionConfig> ConfigFromJson(const std::string& json);

}  // namespace horizonscale::server

// FleetService's CompetitionConfig: validation (every bad field named, reason
// CONFIG_INVALID or MODEL_NOT_SUPPORTED), defaults, and the domain options it
// stands for. The config with its defaults filled in is what a run stores, so
// a run is reproducible from its row alone.
#pragma once

#include <absl/status/statusor.h>
#include <grpcpp/support/status.h>

#include "forecast/boosted_fleet_model.h"
#include "forecast/tournament.h"
#include "forecast/tournament_calibration.h"
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

// Validates `config` (defaults filled in or not), naming each bad field under
// `field_prefix` (e.g. "config."). OK or INVALID_ARGUMENT with field
// violations.
grpc::Status ValidateCompetitionConfig(const horizonscale::v1::CompetitionConfig& config,
                                       const std::string& field_prefix);

// The plan of a valid config with defaults filled in.
CompetitionPlan ToCompetitionPlan(const horizonscale::v1::CompetitionConfig& config);

// The config as stored with a run (JSON), and back (INVALID_ARGUMENT when
// the text is not a CompetitionConfig).
std::string ConfigToJson(const horizonscale::v1::CompetitionConfig& config);
absl::StatusOr<horizonscale::v1::CompetitionConfig> ConfigFromJson(const std::string& json);

}  // namespace horizonscale::server

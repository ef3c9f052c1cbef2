// Scoring one claimed shard of a tournament run: the series' preparation
// (forecast/fleet/fleet_refinery.h), their tournaments (forecast/fleet/tournament.h) and
// the storage of the results, inside the transaction that holds the claim.
#pragma once

#include <atomic>
#include <string>

#include <absl/status/status.h>
#include <pqxx/pqxx>

#include "server/fleet/competition_config.h"

namespace horizonscale::server {

// Scores shard `shard` (> 0) of `run_id` with `plan` and stores its results in
// `tx` (not committed), with the run's interval calibration. CANCELLED when `stop` became true on
// the way; database errors as UNAVAILABLE / INTERNAL; INTERNAL for a failure of the tournament
// itself (a series that cannot be forecast is not one: its scores record why).
absl::Status ScoreSeriesShard(pqxx::work& tx, const std::string& run_id, int shard,
                              const CompetitionPlan& plan, const std::string& worker_name,
                              const std::atomic<bool>& stop);

// Does shard 0 of `run_id`, the fleet-wide phase: when the plan has them,
// trains the fleet-wide boosted model on every series of the run and stores
// each series' boosted forecasts, then learns the interval calibration
// (forecast/fleet/tournament_calibration.h) and stores it, all in `tx` (not
// committed).
absl::Status ScoreFleetPhaseShard(pqxx::work& tx, const std::string& run_id,
                                  const CompetitionPlan& plan, const std::string& worker_name);

}  // namespace horizonscale::server

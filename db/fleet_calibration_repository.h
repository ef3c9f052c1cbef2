// A tournament run's interval calibration (table fleet_run_calibration,
// migration 0007): written once by shard 0, read by every other shard.
#pragma once

#include <string>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <pqxx/pqxx>

#include "forecast/fleet/interval_calibration.h"

namespace horizonscale::db {

// Writes `calibration` of `run_id` in `tx` (not committed); nothing when it
// is empty (sample_series 0).
absl::Status StoreIntervalCalibration(pqxx::work& tx, const std::string& run_id,
                                      const forecast::IntervalCalibration& calibration);

// The calibration of `run_id`; empty when none was stored. DATA_LOSS for a
// row that does not parse (an unknown model, a malformed array).
absl::StatusOr<forecast::IntervalCalibration> LoadIntervalCalibration(pqxx::work& tx,
                                                                      const std::string& run_id);

}  // namespace horizonscale::db

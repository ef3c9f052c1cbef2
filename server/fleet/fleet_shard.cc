#include "server/fleet/fleet_shard.h"

#include <algorithm>
#include <map>
#include <optional>
#include <thread>

#include <absl/strings/str_cat.h>
#include <absl/time/clock.h>

#include "db/fleet_calibration_repository.h"
#include "db/fleet_run_repository.h"
#include "forecast/fleet/fleet_boosting.h"
#include "forecast/fleet/fleet_refinery.h"
#include "forecast/fleet/tournament_calibration.h"

namespace horizonscale::server {
namespace {

// The prepared series of `rows`; a series that cannot be prepared gets its
// error instead.
std::vector<absl::StatusOr<forecast::DailySeries>> PrepareAll(
    const std::vector<db::RunSeries>& rows) {
  std::vector<absl::StatusOr<forecast::DailySeries>> prepared;
  prepared.reserve(rows.size());
  for (const db::RunSeries& row : rows) {
    prepared.push_back(forecast::PrepareDailySeries(row.series.days, row.series.utilization));
  }
  return prepared;
}

// All models of the plan, in tie-break order, for error rows.
std::vector<forecast::ModelKind> PlanModels(const CompetitionPlan& plan) {
  std::vector<forecast::ModelKind> models = plan.tournament.models;
  if (plan.boosted) models.push_back(forecast::ModelKind::kXgboost);
  return models;
}

}  // namespace

absl::Status ScoreSeriesShard(pqxx::work& tx, const std::string& run_id, int shard,
                              const CompetitionPlan& plan, const std::string& worker_name,
                              const std::atomic<bool>& stop) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<db::RunSeries>> rows = db::LoadShardSeries(tx, run_id, shard);
  if (!rows.ok()) return rows.status();
  std::map<std::pair<std::string, int>, forecast::ExternalForecasts> boosted;
  if (plan.boosted) {
    absl::StatusOr<std::vector<db::BoostedForecastRow>> stored =
        db::LoadBoostedForecasts(tx, run_id, shard);
    if (!stored.ok()) return stored.status();
    for (db::BoostedForecastRow& row : *stored) {
      row.forecasts.description = "XGBoost global model (fleet-wide, recursive)";
      boosted[{row.host_id, row.resource}] = std::move(row.forecasts);
    }
  }
  forecast::TournamentOptions tournament = plan.tournament;
  if (plan.calibrate) {
    absl::StatusOr<forecast::IntervalCalibration> calibration =
        db::LoadIntervalCalibration(tx, run_id);
    if (!calibration.ok()) return calibration.status();
    tournament.calibration = *std::move(calibration);
  }
  const std::vector<absl::StatusOr<forecast::DailySeries>> prepared = PrepareAll(*rows);
  std::vector<absl::StatusOr<forecast::SeriesTournament>> tournaments;
  tournaments.reserve(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    if (stop.load()) return absl::CancelledError("the worker is stopping");
    if (!prepared[i].ok()) {
      tournaments.push_back(prepared[i].status());
      continue;
    }
    std::vector<forecast::ExternalForecasts> external;
    const auto found = boosted.find({(*rows)[i].series.host_id, (*rows)[i].series.resource});
    if (found != boosted.end()) {
      external.push_back(found->second);
    } else if (plan.boosted) {
      external.push_back(forecast::BoostedForecastsUnavailable(
          prepared[i]->values.size(), plan.tournament, plan.boosted_options));
    }
    tournaments.push_back(forecast::RunSeriesTournament(*prepared[i], tournament, external));
  }
  std::vector<db::SeriesOutcome> outcomes(rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    outcomes[i].series = &(*rows)[i];
    if (tournaments[i].ok()) {
      outcomes[i].tournament = &*tournaments[i];
    } else if (tournaments[i].status().code() == absl::StatusCode::kFailedPrecondition ||
               tournaments[i].status().code() == absl::StatusCode::kInvalidArgument ||
               tournaments[i].status().code() == absl::StatusCode::kDataLoss) {
      outcomes[i].models = PlanModels(plan);
      outcomes[i].error = std::string(tournaments[i].status().message());
    } else {
      return absl::InternalError(absl::StrCat("the tournament of (", (*rows)[i].series.host_id,
                                              ", ", (*rows)[i].series.resource,
                                              ") failed: ", tournaments[i].status().message()));
    }
  }
  return db::StoreShardResults(tx, run_id, shard, outcomes, worker_name, absl::Now() - start);
}

absl::Status ScoreFleetPhaseShard(pqxx::work& tx, const std::string& run_id,
                                  const CompetitionPlan& plan, const std::string& worker_name) {
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<db::RunSeries>> rows = db::LoadShardSeries(tx, run_id, 0);
  if (!rows.ok()) return rows.status();
  const std::vector<absl::StatusOr<forecast::DailySeries>> prepared = PrepareAll(*rows);
  std::vector<forecast::BoostingInput> inputs;
  std::vector<size_t> positions;
  for (size_t i = 0; i < rows->size(); ++i) {
    if (!prepared[i].ok()) continue;
    inputs.push_back({&*prepared[i], (*rows)[i].series.resource - 1});
    positions.push_back(i);
  }
  if (plan.boosted) {
    absl::StatusOr<std::vector<std::optional<forecast::ExternalForecasts>>> forecasts =
        forecast::ComputeBoostedForecasts(inputs, plan.tournament, plan.boosted_options);
    std::vector<db::BoostedForecastRow> stored;
    if (forecasts.ok()) {
      for (size_t j = 0; j < inputs.size(); ++j) {
        if (!(*forecasts)[j].has_value()) continue;
        const db::RunSeries& row = (*rows)[positions[j]];
        stored.push_back({row.series.host_id, row.series.resource, *std::move((*forecasts)[j])});
      }
    } else if (forecasts.status().code() != absl::StatusCode::kFailedPrecondition) {
      // No series long enough for the model (FAILED_PRECONDITION) is not an
      // error of the run: the series compete without it.
      return forecasts.status();
    }
    if (absl::Status status = db::StoreBoostedForecasts(tx, run_id, stored); !status.ok()) {
      return status;
    }
  }
  if (plan.calibrate) {
    forecast::CalibrationOptions options = plan.calibration;
    options.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (plan.boosted) options.boosted = &plan.boosted_options;
    absl::StatusOr<forecast::IntervalCalibration> calibration =
        forecast::CalibrateIntervals(inputs, plan.tournament, options);
    if (!calibration.ok()) return calibration.status();
    if (absl::Status status = db::StoreIntervalCalibration(tx, run_id, *calibration);
        !status.ok()) {
      return status;
    }
  }
  return db::MarkShardDone(tx, run_id, 0, worker_name, absl::Now() - start);
}

}  // namespace horizonscale::server

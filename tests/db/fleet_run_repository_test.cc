// Tournament runs in a real PostgreSQL: shards claimed with SKIP LOCKED, a
// dead worker's shard claimed again, the boosted phase first, and results
// read back as stored.
#include "db/fleet_run_repository.h"

#include <cmath>
#include <vector>

#include <absl/strings/str_cat.h>
#include <gtest/gtest.h>

#include "db/fleet_calibration_repository.h"
#include "db/fleet_report_repository.h"
#include "db/fleet_series_codec.h"
#include "db/migration.h"
#include "tests/support/test_database.h"

namespace horizonscale::db {
namespace {

using horizonscale::testing::TestDatabase;

constexpr char kRunA[] = "00000000-0000-4000-8000-00000000000a";
constexpr char kRunB[] = "00000000-0000-4000-8000-00000000000b";

NewFleetRun NewRun(const std::string& run_id, int shard_size, bool fleet_phase = false,
                   const std::string& request_id = "") {
  NewFleetRun run;
  run.run_id = run_id;
  run.request_id = request_id;
  run.config_json = "{}";
  run.shard_size = shard_size;
  run.fleet_phase = fleet_phase;
  return run;
}

class FleetRunRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    connection_ = std::make_unique<pqxx::connection>(database_.url());
    ASSERT_TRUE(ApplyMigrations(*connection_, EmbeddedMigrations()).ok());
  }

  // Stores `hosts` hosts × `resources` resources of `days` days: a weekly
  // pattern around 40 %, a line rising to 99 % for host-0's cpu.
  void StoreFleet(int hosts, int resources, int days) {
    pqxx::work tx(*connection_);
    for (int h = 0; h < hosts; ++h) {
      const std::string host = absl::StrCat("host-", h);
      tx.exec_params("INSERT INTO fleet_hosts VALUES ($1, $2, $3, $4, now())", host,
                     absl::StrCat("dept-", h % 2), absl::StrCat("APP-", h), "test");
      for (int r = 1; r <= resources; ++r) {
        std::vector<int32_t> day_numbers;
        std::vector<double> values;
        for (int d = 0; d < days; ++d) {
          day_numbers.push_back(19000 + d);
          values.push_back(h == 0 && r == 1 ? 40 + 59.0 * d / days
                                            : 40 + 5 * std::sin(2 * M_PI * d / 7) + r);
        }
        tx.exec_params("INSERT INTO fleet_series VALUES ($1, $2, $3, $4, now())", host, r,
                       pqxx::binarystring(EncodeDays(day_numbers)),
                       pqxx::binarystring(EncodeUtilization(values)));
      }
    }
    tx.commit();
  }

  int64_t Count(const std::string& sql) {
    pqxx::read_transaction tx(*connection_);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  TestDatabase database_;
  std::unique_ptr<pqxx::connection> connection_;
};

TEST_F(FleetRunRepositoryTest, ARunIsCutIntoShardsAndARetryAttachesToIt) {
  StoreFleet(5, 2, 60);  // 10 series
  absl::StatusOr<CreatedRun> created = CreateFleetRun(*connection_, NewRun(kRunA, 3, false, "r1"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_run_shards"), 4);  // 3 + 3 + 3 + 1
  EXPECT_EQ(Count("SELECT sum(series_count) FROM fleet_run_shards"), 10);
  absl::StatusOr<CreatedRun> retry = CreateFleetRun(*connection_, NewRun(kRunB, 3, false, "r1"));
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_FALSE(retry->created);
  EXPECT_EQ(retry->run_id, kRunA);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_runs"), 1);
  absl::StatusOr<std::optional<FleetRunStatus>> run = LoadFleetRun(*connection_, kRunA);
  ASSERT_TRUE(run.ok() && run->has_value());
  EXPECT_EQ((*run)->state, "running");
  EXPECT_EQ((*run)->series_total, 10);
  EXPECT_EQ((*run)->series_done, 0);
}

TEST_F(FleetRunRepositoryTest, ARequestIdReusedForADifferentRequestIsRefused) {
  StoreFleet(2, 1, 60);
  NewFleetRun first = NewRun(kRunA, 3, false, "r1");
  first.request_fingerprint = std::string("fp-A\0", 5);
  ASSERT_TRUE(CreateFleetRun(*connection_, first).ok());

  NewFleetRun retry = NewRun(kRunB, 3, false, "r1");
  retry.request_fingerprint = first.request_fingerprint;
  absl::StatusOr<CreatedRun> attached = CreateFleetRun(*connection_, retry);
  ASSERT_TRUE(attached.ok()) << attached.status();
  EXPECT_FALSE(attached->created);
  EXPECT_EQ(attached->run_id, kRunA);

  NewFleetRun other = NewRun(kRunB, 3, false, "r1");
  other.request_fingerprint = std::string("fp-A\0x", 6);
  absl::StatusOr<CreatedRun> refused = CreateFleetRun(*connection_, other);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(refused.status().message().find(kRunA), std::string_view::npos) << refused.status();
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_runs"), 1);

  // A NUL in the key is refused, not cut short to a key of another run.
  absl::StatusOr<CreatedRun> nul =
      CreateFleetRun(*connection_, NewRun(kRunB, 3, false, std::string("r1\0x", 4)));
  EXPECT_EQ(nul.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_runs"), 1);
}

TEST_F(FleetRunRepositoryTest, WorkersSkipLockedShardsAndADeadWorkersShardIsClaimedAgain) {
  StoreFleet(4, 1, 60);
  ASSERT_TRUE(CreateFleetRun(*connection_, NewRun(kRunA, 2)).ok());
  pqxx::connection first(database_.url()), second(database_.url());
  auto claim = [](pqxx::work& tx) {
    absl::StatusOr<ShardClaim> claimed = ClaimShard(tx, kRunA);
    EXPECT_TRUE(claimed.ok()) << claimed.status();
    return *claimed;
  };
  {
    pqxx::work dying(first);
    EXPECT_EQ(claim(dying).shard, 1);
    pqxx::work other(second);
    const ShardClaim next = claim(other);
    EXPECT_EQ(next.outcome, ShardClaim::Outcome::kClaimed);
    EXPECT_EQ(next.shard, 2);  // shard 1 is locked by the first worker
    ASSERT_TRUE(MarkShardDone(other, kRunA, 2, "second", absl::Seconds(1)).ok());
    other.commit();
    // The first worker dies: its transaction is rolled back, nothing scored.
  }
  pqxx::connection third(database_.url());
  pqxx::work again(third);
  const ShardClaim reclaimed = claim(again);
  EXPECT_EQ(reclaimed.outcome, ShardClaim::Outcome::kClaimed);
  EXPECT_EQ(reclaimed.shard, 1);
  ASSERT_TRUE(MarkShardDone(again, kRunA, 1, "third", absl::Seconds(1)).ok());
  again.commit();
  pqxx::work none(third);
  EXPECT_EQ(claim(none).outcome, ShardClaim::Outcome::kNoneLeft);
  none.abort();
  absl::StatusOr<bool> completed = CompleteFleetRunIfDone(*connection_, kRunA);
  ASSERT_TRUE(completed.ok());
  EXPECT_TRUE(*completed);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_runs WHERE state = 'succeeded'"), 1);
}

TEST_F(FleetRunRepositoryTest, SeriesShardsWaitForTheBoostedPhase) {
  StoreFleet(2, 1, 60);
  ASSERT_TRUE(CreateFleetRun(*connection_, NewRun(kRunA, 1, true)).ok());
  pqxx::connection first(database_.url()), second(database_.url());
  pqxx::work boosting(first);
  absl::StatusOr<ShardClaim> boost = ClaimShard(boosting, kRunA);
  ASSERT_TRUE(boost.ok());
  EXPECT_EQ(boost->shard, 0);
  {
    pqxx::work waiting(second);
    absl::StatusOr<ShardClaim> wait = ClaimShard(waiting, kRunA);
    ASSERT_TRUE(wait.ok());
    EXPECT_EQ(wait->outcome, ShardClaim::Outcome::kWaitForFleetPhase);
  }
  ASSERT_TRUE(MarkShardDone(boosting, kRunA, 0, "first", absl::Seconds(1)).ok());
  boosting.commit();
  pqxx::work next(second);
  absl::StatusOr<ShardClaim> claimed = ClaimShard(next, kRunA);
  ASSERT_TRUE(claimed.ok());
  EXPECT_EQ(claimed->outcome, ShardClaim::Outcome::kClaimed);
  EXPECT_EQ(claimed->shard, 1);
}

TEST_F(FleetRunRepositoryTest, ShardResultsAndBoostedForecastsReadBackAsStored) {
  StoreFleet(2, 1, 200);
  ASSERT_TRUE(CreateFleetRun(*connection_, NewRun(kRunA, 10, true)).ok());
  pqxx::work tx(*connection_);
  absl::StatusOr<std::vector<RunSeries>> series = LoadShardSeries(tx, kRunA, 1);
  ASSERT_TRUE(series.ok()) << series.status();
  ASSERT_EQ(series->size(), 2u);
  EXPECT_EQ((*series)[0].host.department, "dept-0");
  EXPECT_EQ((*series)[1].host.app_code, "APP-1");
  ASSERT_EQ((*series)[0].series.days.size(), 200u);

  forecast::TournamentOptions options;
  options.models = {forecast::ModelKind::kLinear, forecast::ModelKind::kEwma};
  std::vector<forecast::SeriesTournament> tournaments;
  for (const RunSeries& row : *series) {
    forecast::DailySeries daily{.first_day = row.series.days.front(),
                                .values = row.series.utilization};
    absl::StatusOr<forecast::SeriesTournament> result =
        forecast::RunSeriesTournament(daily, options, {});
    ASSERT_TRUE(result.ok()) << result.status();
    tournaments.push_back(*std::move(result));
  }
  // host-0's rising line is at risk; the flat weekly series is not.
  ASSERT_TRUE(tournaments[0].risk.has_value());
  EXPECT_FALSE(tournaments[1].risk.has_value());
  std::vector<SeriesOutcome> outcomes = {{&(*series)[0], &tournaments[0], {}, ""},
                                         {&(*series)[1], &tournaments[1], {}, ""}};
  forecast::ExternalForecasts boosted;
  boosted.backtest.assign(30, {41.5, 40.25, 43.125});
  boosted.future.assign(180, {42, 41, 43});
  ASSERT_TRUE(StoreBoostedForecasts(tx, kRunA, {{"host-1", 1, boosted}}).ok());
  ASSERT_TRUE(StoreShardResults(tx, kRunA, 1, outcomes, "me", absl::Seconds(2)).ok());
  absl::StatusOr<std::vector<BoostedForecastRow>> loaded = LoadBoostedForecasts(tx, kRunA, 1);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ((*loaded)[0].forecasts.backtest[29].upper, 43.125);
  EXPECT_EQ((*loaded)[0].forecasts.future.size(), 180u);
  tx.commit();

  absl::StatusOr<HostForecastRows> host = LoadHostForecast(*connection_, kRunA, "host-0", 1);
  ASSERT_TRUE(host.ok()) << host.status();
  ASSERT_EQ(host->scores.size(), 2u);
  const forecast::ModelResult& champion = tournaments[0].champion();
  EXPECT_EQ(host->scores[0].model, forecast::ModelName(champion.kind));
  EXPECT_EQ(host->scores[0].rank, 1);
  EXPECT_DOUBLE_EQ(host->scores[0].accuracy.mape_percent, champion.accuracy.mape_percent);
  ASSERT_EQ(host->scores[0].backtest.size(), 30u);
  EXPECT_FLOAT_EQ(host->scores[0].backtest[7].value, champion.backtest[7].value);
  ASSERT_TRUE(host->champion.has_value());
  EXPECT_EQ(host->champion->start_day, tournaments[0].future_first_day);
  ASSERT_EQ(host->champion->points.size(), 180u);
  EXPECT_FLOAT_EQ(host->champion->points[100].upper, champion.future[100].upper);
  ASSERT_TRUE(host->runner_up.has_value());

  absl::StatusOr<std::vector<RiskRow>> risks = ListRisks(*connection_, kRunA, "", 0, -1);
  ASSERT_TRUE(risks.ok()) << risks.status();
  ASSERT_EQ(risks->size(), 1u);
  EXPECT_EQ((*risks)[0].host_id, "host-0");
  EXPECT_EQ((*risks)[0].department, "dept-0");
  EXPECT_EQ((*risks)[0].first_breach_day, tournaments[0].risk->first_breach_day);
  EXPECT_EQ((*risks)[0].planned_action_day, tournaments[0].risk->first_breach_day - 30);
  absl::StatusOr<std::vector<DepartmentRollupRow>> rollup =
      LoadDepartmentRollup(*connection_, kRunA, "");
  ASSERT_TRUE(rollup.ok()) << rollup.status();
  ASSERT_EQ(rollup->size(), 1u);
  EXPECT_EQ((*rollup)[0].app_codes, std::vector<std::string>{"APP-0"});

  absl::StatusOr<std::vector<ScoreRow>> page = ListScores(
      *connection_, kRunA, {.host_id = "", .resource = 0, .scenario = "", .model = ""}, 1, 2);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->size(), 2u);  // host-0's second model, host-1's first
  EXPECT_EQ((*page)[0].host_id, "host-0");
  EXPECT_EQ((*page)[0].rank, 2);
  EXPECT_EQ((*page)[1].host_id, "host-1");
  absl::StatusOr<FleetRunSummaryRow> summary = LoadFleetRunSummary(*connection_, kRunA);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->series_scored, 2);
  EXPECT_EQ(summary->series_at_risk, 1);
  int64_t wins = 0;
  for (const ModelWinsRow& row : summary->wins) wins += row.wins;
  EXPECT_EQ(wins, 2);
}

TEST_F(FleetRunRepositoryTest, IntervalCalibrationReadsBackAsStoredAndIsEmptyWhenNone) {
  StoreFleet(1, 1, 50);
  ASSERT_TRUE(CreateFleetRun(*connection_, NewRun(kRunA, 10, true)).ok());
  ASSERT_TRUE(CreateFleetRun(*connection_, NewRun(kRunB, 10, true)).ok());
  forecast::IntervalCalibration calibration;
  calibration.sample_series = 600;
  calibration.width_scales[forecast::ModelKind::kProphet] = {1.25, 0.875, 0.5};
  calibration.width_scales[forecast::ModelKind::kXgboost] = {0.75};
  pqxx::work tx(*connection_);
  ASSERT_TRUE(StoreIntervalCalibration(tx, kRunA, calibration).ok());
  ASSERT_TRUE(StoreIntervalCalibration(tx, kRunB, forecast::IntervalCalibration{}).ok());
  tx.commit();

  pqxx::work read(*connection_);
  absl::StatusOr<forecast::IntervalCalibration> loaded = LoadIntervalCalibration(read, kRunA);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->sample_series, 600);
  EXPECT_EQ(loaded->width_scales, calibration.width_scales);
  absl::StatusOr<forecast::IntervalCalibration> none = LoadIntervalCalibration(read, kRunB);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->sample_series, 0);
  EXPECT_TRUE(none->width_scales.empty());
}

}  // namespace
}  // namespace horizonscale::db

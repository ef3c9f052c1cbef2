// The scaler's decisions over the real planner (a memory-only
// PlanGenerator): plans from the newest metrics, caching, the fail-safe.
// The stored-metrics source is a function here; the end-to-end test reads
// them from a real PostgreSQL.
#include "server/keda/scaling_decisions.h"

#include <atomic>

#include <gtest/gtest.h>

#include "server/common/proto_time.h"
#include "server/planner/generate_plan.h"

namespace horizonscale::server {
namespace {

namespace v1 = horizonscale::v1;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);  // in the past

planner::QueueSample Sample(absl::Time at, double rate, int workers) {
  planner::QueueSample sample;
  sample.time = at;
  sample.arrival_rate = rate;
  sample.mean_service_time = 0.1;
  sample.workers = workers;
  return sample;
}

class ScalingDecisionsTest : public ::testing::Test {
 protected:
  ScalingDecisionsTest()
      : history_(absl::InfiniteDuration()),
        generator_([] { return nullptr; }, /*persist_plans=*/false, 1'000'000, history_, settings_),
        decisions_(
            [this](const std::string&) -> absl::StatusOr<std::optional<planner::QueueSample>> {
              if (!source_up_) return absl::UnavailableError("database down");
              return stored_;
            },
            [this](const v1::GeneratePlanRequest& request, v1::GeneratePlanResponse& response) {
              ++derived_;
              return generator_.Derive(request, response);
            },
            [this](const PrometheusQueries&, absl::Time at, planner::QueueSample* sample) {
              if (!prometheus_up_) {
                return grpc::Status(grpc::StatusCode::UNAVAILABLE, "Prometheus is down");
              }
              *sample = Sample(at, prometheus_rate_, 7);
              return grpc::Status::OK;
            },
            [this](const v1::GeneratePlanRequest& request) { recorded_.push_back(request); }) {
    Metadata("queue", "orders");
    Metadata("slo.p95LatencySeconds", "1");
  }

  void Metadata(const std::string& key, const std::string& value) { metadata_[key] = value; }

  ScalerTarget Target() {
    ScalerTarget target;
    const grpc::Status status = ParseScalerMetadata(metadata_, &target);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return target;
  }

  ScalingDecisions::Decision MustDecide(absl::Time now) {
    ScalingDecisions::Decision decision;
    const grpc::Status status = decisions_.Decide(Target(), now, &decision);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return decision;
  }

  QueueHistoryCache history_;
  QueueSettingsCache settings_;
  PlanGenerator generator_;
  google::protobuf::Map<std::string, std::string> metadata_;
  std::optional<planner::QueueSample> stored_;
  bool source_up_ = true;
  std::atomic<int> derived_ = 0;
  bool prometheus_up_ = true;
  double prometheus_rate_ = 100;
  std::vector<v1::GeneratePlanRequest> recorded_;
  ScalingDecisions decisions_;
};

TEST_F(ScalingDecisionsTest, TheMetricIsThePlansWorkersNow) {
  // 100 jobs/s at 0.1 s on 10 workers: 10 Erlangs, overloaded; P95 1 s.
  decisions_.MetricsRecorded("orders", Sample(kT0, 100, 10));
  const ScalingDecisions::Decision decision = MustDecide(kT0);
  v1::GeneratePlanRequest request;
  request.set_queue("orders");
  request.mutable_current_metrics()->set_arrival_rate_per_second(100);
  request.mutable_current_metrics()->set_mean_service_time_seconds(0.1);
  request.mutable_current_metrics()->set_current_workers(10);
  *request.mutable_current_metrics()->mutable_observe_time() = ToProtoTimestamp(kT0);
  request.mutable_slo()->set_p95_latency_seconds(1);
  v1::GeneratePlanResponse direct;
  ASSERT_TRUE(generator_.Derive(request, direct).ok());
  ASSERT_GT(direct.plan().steps_size(), 0);
  EXPECT_EQ(decision.planned_workers, direct.plan().steps(0).to_workers());
  EXPECT_GT(decision.planned_workers, 10);
  EXPECT_EQ(decision.metric, decision.planned_workers);  // a change beyond 10 %
  EXPECT_TRUE(decision.active);
  EXPECT_EQ(decision.basis, ScalingDecisions::Basis::kPlan);
}

TEST_F(ScalingDecisionsTest, APlanIsDerivedOncePerMetricsAndReusedUntilItExpires) {
  decisions_.MetricsRecorded("orders", Sample(kT0, 100, 10));
  MustDecide(kT0);
  MustDecide(kT0 + absl::Seconds(1));
  MustDecide(kT0 + absl::Seconds(2));
  EXPECT_EQ(derived_, 1);
  decisions_.MetricsRecorded("orders", Sample(kT0 + absl::Seconds(3), 300, 20));
  const ScalingDecisions::Decision after = MustDecide(kT0 + absl::Seconds(3));
  EXPECT_EQ(derived_, 2);
  EXPECT_GT(after.planned_workers, 30);
  // A settings change (UpdateQueue, here or on a replica) re-derives.
  decisions_.QueueChanged("orders");
  stored_ = Sample(kT0 + absl::Seconds(3), 300, 20);
  MustDecide(kT0 + absl::Seconds(4));
  EXPECT_EQ(derived_, 3);
}

TEST_F(ScalingDecisionsTest, DueMetricsAreReadAgainInTheBackgroundNotOnTheCall) {
  stored_ = Sample(kT0, 100, 10);
  const ScalingDecisions::Decision first = MustDecide(kT0);  // read at kT0
  ScalingDecisions::Decision cached;
  using Cached = ScalingDecisions::Cached;
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(10), &cached), Cached::kFresh);
  // Past the 15 s refresh: Decide reads again; a call may take the cached
  // answer and one caller is told to read in the background.
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(16), &cached), Cached::kMiss);
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(16), &cached,
                                       /*allow_stale=*/true),
            Cached::kRefreshDue);
  EXPECT_EQ(cached.planned_workers, first.planned_workers);
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(17), &cached, true),
            Cached::kFresh);  // told once
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(19), &cached, true),
            Cached::kRefreshDue);  // the read did not happen: told again
  // Twice the refresh without a read: no stale answer any more.
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(31), &cached, true),
            Cached::kMiss);
  MustDecide(kT0 + absl::Seconds(31));  // the read
  EXPECT_EQ(decisions_.DecideFromCache(Target(), kT0 + absl::Seconds(32), &cached), Cached::kFresh);
}

TEST_F(ScalingDecisionsTest, TheNewerSampleWinsWhicheverSourceHasIt) {
  decisions_.MetricsRecorded("orders", Sample(kT0, 100, 10));
  stored_ = Sample(kT0 - absl::Minutes(1), 1, 1);  // older, from the database
  const ScalingDecisions::Decision decision = MustDecide(kT0 + absl::Minutes(1));
  EXPECT_GT(decision.planned_workers, 10);
  stored_ = Sample(kT0 + absl::Minutes(2), 300, 20);  // newer, from another replica
  const ScalingDecisions::Decision later = MustDecide(kT0 + absl::Minutes(3));
  EXPECT_GT(later.planned_workers, 30);
}

TEST_F(ScalingDecisionsTest, WithoutMetricsTheCallFailsNamingTheQueue) {
  ScalingDecisions::Decision decision;
  grpc::Status status = decisions_.Decide(Target(), kT0, &decision);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_NE(status.error_message().find("orders"), std::string::npos);
  source_up_ = false;  // read again once the 15 s refresh has passed
  status = decisions_.Decide(Target(), kT0 + absl::Seconds(15), &decision);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(ScalingDecisionsTest, AFailedSourceServesTheLastGoodPlanThenHoldsThePool) {
  Metadata("metricsMaxAge", "2m");
  Metadata("planExpiry", "10m");
  decisions_.MetricsRecorded("orders", Sample(kT0, 100, 10));
  const ScalingDecisions::Decision good = MustDecide(kT0);
  // Metrics stop coming: stale after 2 minutes, the plan serves 10 more.
  ScalingDecisions::Decision stale = MustDecide(kT0 + absl::Minutes(5));
  EXPECT_EQ(stale.basis, ScalingDecisions::Basis::kLastGoodPlan);
  EXPECT_EQ(stale.planned_workers, good.planned_workers);
  // The database goes away too: still the last good plan.
  source_up_ = false;
  stale = MustDecide(kT0 + absl::Minutes(9));
  EXPECT_EQ(stale.basis, ScalingDecisions::Basis::kLastGoodPlan);
  // Past the expiry: the pool's last known size, never zero.
  const ScalingDecisions::Decision held = MustDecide(kT0 + absl::Minutes(11));
  EXPECT_EQ(held.basis, ScalingDecisions::Basis::kHoldCurrent);
  EXPECT_EQ(held.planned_workers, 10);
  EXPECT_TRUE(held.active);
  // Back: plans again, without a restart.
  source_up_ = true;
  decisions_.MetricsRecorded("orders", Sample(kT0 + absl::Minutes(12), 100, 10));
  EXPECT_EQ(MustDecide(kT0 + absl::Minutes(12)).basis, ScalingDecisions::Basis::kPlan);
}

TEST_F(ScalingDecisionsTest, AnIdleQueueWithMinWorkersZeroIsInactive) {
  Metadata("config.minWorkers", "0");
  decisions_.MetricsRecorded("orders", Sample(kT0, 0, 0));
  const ScalingDecisions::Decision decision = MustDecide(kT0);
  EXPECT_EQ(decision.planned_workers, 0);
  EXPECT_EQ(decision.metric, 0);
  EXPECT_FALSE(decision.active);
}

TEST_F(ScalingDecisionsTest, TheMetadataOverridesTheDefaults) {
  Metadata("config.maxWorkers", "12");
  decisions_.MetricsRecorded("orders", Sample(kT0, 300, 10));
  EXPECT_EQ(MustDecide(kT0).planned_workers, 12);
}

TEST_F(ScalingDecisionsTest, PulledMetricsArePlannedRecordedAndAskedAgainOnSchedule) {
  Metadata("prometheusAddress", "http://prometheus:9090");
  Metadata("arrivalRateQuery", "sum(rate(jobs_total[1m]))");
  Metadata("serviceTimeQuery", "avg(job_seconds)");
  Metadata("workersQuery", "count(up{job=\"workers\"})");
  const ScalingDecisions::Decision first = MustDecide(kT0);
  EXPECT_GT(first.planned_workers, 10);
  ASSERT_EQ(recorded_.size(), 1u);
  EXPECT_EQ(recorded_[0].queue(), "orders");
  EXPECT_EQ(recorded_[0].current_metrics().arrival_rate_per_second(), 100);
  EXPECT_EQ(recorded_[0].current_metrics().current_workers(), 7);
  EXPECT_EQ(recorded_[0].slo().p95_latency_seconds(), 1);  // the metadata's settings
  // Within the refresh (15 s) Prometheus is not asked again.
  prometheus_rate_ = 300;
  EXPECT_EQ(MustDecide(kT0 + absl::Seconds(10)).planned_workers, first.planned_workers);
  EXPECT_EQ(recorded_.size(), 1u);
  EXPECT_GT(MustDecide(kT0 + absl::Seconds(16)).planned_workers, first.planned_workers);
  EXPECT_EQ(recorded_.size(), 2u);
}

TEST_F(ScalingDecisionsTest, APrometheusOutageServesTheLastPlanThenHoldsThePool) {
  Metadata("prometheusAddress", "http://prometheus:9090");
  Metadata("arrivalRateQuery", "jobs");
  Metadata("serviceTimeQuery", "seconds");
  Metadata("workersQuery", "workers");
  Metadata("planExpiry", "1m");
  const ScalingDecisions::Decision good = MustDecide(kT0);
  prometheus_up_ = false;
  ScalingDecisions::Decision during = MustDecide(kT0 + absl::Seconds(30));
  EXPECT_EQ(during.basis, ScalingDecisions::Basis::kLastGoodPlan);
  EXPECT_EQ(during.planned_workers, good.planned_workers);
  during = MustDecide(kT0 + absl::Seconds(61));
  EXPECT_EQ(during.basis, ScalingDecisions::Basis::kHoldCurrent);
  EXPECT_EQ(during.planned_workers, 7);  // the workers query's last answer
  prometheus_up_ = true;
  EXPECT_EQ(MustDecide(kT0 + absl::Seconds(62)).basis, ScalingDecisions::Basis::kPlan);
}

TEST_F(ScalingDecisionsTest, WithoutAWorkersQueryThePoolIsWhatTheScalerAskedFor) {
  Metadata("prometheusAddress", "http://prometheus:9090");
  Metadata("arrivalRateQuery", "jobs");
  Metadata("serviceTimeQuery", "seconds");
  const ScalingDecisions::Decision first = MustDecide(kT0);
  EXPECT_GT(first.planned_workers, 0);
  EXPECT_EQ(first.metric, first.planned_workers);  // no tolerance rule: pool unknown
  ASSERT_EQ(recorded_.size(), 1u);
  EXPECT_EQ(recorded_[0].current_metrics().current_workers(), 0);
  MustDecide(kT0 + absl::Seconds(16));
  ASSERT_EQ(recorded_.size(), 2u);
  EXPECT_EQ(recorded_[1].current_metrics().current_workers(), first.planned_workers);
  // Past the expiry with Prometheus down there is no pool size to hold: the
  // call fails and the HPA keeps the pool as it is.
  prometheus_up_ = false;
  ScalingDecisions::Decision decision;
  EXPECT_EQ(decisions_.Decide(Target(), kT0 + absl::Hours(1), &decision).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace horizonscale::server

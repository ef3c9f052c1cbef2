// The forecasting tournament end to end: a synthetic fleet streamed into the
// real server with IngestTelemetry, RunCompetition scored by the server's
// fleet workers (or by two horizonscale-fleet-worker processes), and the
// leaderboard, drill-down and risk report read back over gRPC, against a
// real PostgreSQL.
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <absl/strings/str_cat.h>
#include <absl/strings/str_format.h>
#include <absl/time/clock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include "clients/fleet_generator/fleet_generator.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "tests/support/grpc_client.h"
#include "tests/support/server_process.h"
#include "tests/support/server_rpc_fixture.h"

namespace horizonscale::testing {
namespace {

// The value of the exposition line `series` (name and labels), NaN when absent.
double ValueOf(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find("\n" + series + " ");
  if (at == std::string::npos) return std::nan("");
  return std::stod(metrics.substr(at + series.size() + 2));
}

// The sum of the exposition lines that start with `prefix`.
double SumOf(const std::string& metrics, const std::string& prefix) {
  double sum = 0;
  for (size_t at = metrics.find("\n" + prefix); at != std::string::npos;
       at = metrics.find("\n" + prefix, at + 1)) {
    const size_t end = metrics.find('\n', at + 1);
    const std::string line = metrics.substr(at + 1, end - at - 1);
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

namespace v1 = horizonscale::v1;
namespace fg = horizonscale::fleetgen;
using namespace std::chrono_literals;

constexpr int kDays = 500;
constexpr int kBreachDayAfterEnd = 60;
const absl::CivilDay kEndDay(2026, 11, 26);

std::string IsoDate(int64_t day) {
  const absl::CivilDay civil = fg::CivilDayOf(day);
  return absl::StrFormat("%04d-%02d-%02d", civil.year(), civil.month(), civil.day());
}

// `count` hosts of a generated fleet plus, last, "breach-host" whose cpu mean
// crosses 95 % sixty days after the end of history.
std::vector<fg::GeneratedHost> TestFleet(int count) {
  fg::FleetOptions options;
  options.hosts = count;
  options.days = kDays;
  options.end_day = kEndDay;
  options.seed = 11;
  std::vector<fg::GeneratedHost> hosts;
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<fg::GeneratedHost> host = fg::GenerateHost(options, i);
    EXPECT_TRUE(host.ok()) << host.status();
    hosts.push_back(*std::move(host));
  }
  fg::HostSpec spec;
  spec.host_id = "breach-host";
  spec.scenario = fg::Scenario::kCapacityBreach;
  spec.department = fg::Departments()[1];
  spec.app_code = fg::AppCodes(spec.department)[0];
  spec.primary_resource = fg::Resource::kCpu;
  spec.parameters.breach_day_after_end = kBreachDayAfterEnd;
  spec.parameters.start_percent = 30;
  spec.parameters.noise_sd_percent = 1.0;
  absl::StatusOr<fg::GeneratedHost> breach = fg::GenerateHost(options, spec, 99);
  EXPECT_TRUE(breach.ok()) << breach.status();
  hosts.push_back(*std::move(breach));
  return hosts;
}

class FleetRpc : public ServerRpcFixture<v1::FleetService> {
 protected:
  // The server with `fleet_workers` fleet workers of its own.
  void StartServer(int fleet_workers) {
    ServerRpcFixture::StartServer(
        {absl::StrCat("--fleet_workers=", fleet_workers), "--metrics_refresh=200ms"});
  }

  // Streams `hosts` (metadata first, then every sample) into the server.
  void Ingest(const std::vector<fg::GeneratedHost>& hosts) {
    auto context = ContextWithDeadline(60s);
    v1::IngestTelemetryResponse response;
    auto stream = stub_->IngestTelemetry(context.get(), &response);
    v1::IngestTelemetryRequest metadata;
    int64_t samples = 0;
    for (const fg::GeneratedHost& host : hosts) {
      v1::HostMetadata& meta = *metadata.add_hosts();
      meta.set_host_id(host.spec.host_id);
      meta.set_department(host.spec.department);
      meta.set_app_code(host.spec.app_code);
      meta.set_scenario(fg::ScenarioName(host.spec.scenario));
    }
    ASSERT_TRUE(stream->Write(metadata));
    for (const fg::GeneratedHost& host : hosts) {
      v1::IngestTelemetryRequest message;
      for (const fg::GeneratedSeries& series : host.series) {
        for (size_t d = 0; d < series.values.size(); ++d) {
          v1::UtilizationSample& sample = *message.add_samples();
          sample.set_host_id(host.spec.host_id);
          sample.set_resource(static_cast<v1::Resource>(static_cast<int>(series.resource) + 1));
          sample.set_date(IsoDate(series.first_day + static_cast<int64_t>(d)));
          sample.set_p95_utilization_percent(series.values[d]);
          ++samples;
        }
      }
      ASSERT_TRUE(stream->Write(message));
    }
    ASSERT_TRUE(stream->WritesDone());
    const grpc::Status status = stream->Finish();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.rows_accepted(), samples);
    EXPECT_EQ(response.rows_rejected(), 0);
  }

  // Runs RunCompetition to its end; returns every event.
  std::vector<v1::RunCompetitionResponse> Run(const v1::RunCompetitionRequest& request,
                                              grpc::Status* status,
                                              std::chrono::milliseconds deadline = 120s) {
    auto context = ContextWithDeadline(deadline);
    auto reader = stub_->RunCompetition(context.get(), request);
    std::vector<v1::RunCompetitionResponse> events;
    v1::RunCompetitionResponse event;
    while (reader->Read(&event)) events.push_back(event);
    *status = reader->Finish();
    return events;
  }
};

TEST_F(FleetRpc, AFleetIsScoredAndItsLeaderboardForecastsAndRisksReadBack) {
  StartServer(2);
  const std::vector<fg::GeneratedHost> hosts = TestFleet(10);
  Ingest(hosts);
  const int64_t series = static_cast<int64_t>(hosts.size()) * 4;

  v1::RunCompetitionRequest request;
  request.set_request_id("first-run");
  request.mutable_config()->set_shard_size(8);
  grpc::Status status;
  std::vector<v1::RunCompetitionResponse> events = Run(request, &status);
  ASSERT_TRUE(status.ok()) << status.error_message() << server_->Log();
  ASSERT_FALSE(events.empty());
  const v1::RunCompetitionResponse& last = events.back();
  ASSERT_EQ(last.state(), v1::RUN_STATE_SUCCEEDED) << last.error();
  const std::string run_id = last.run_id();
  EXPECT_EQ(last.series_total(), series);
  EXPECT_EQ(last.series_done(), series);
  EXPECT_EQ(last.summary().series(), series);
  int64_t wins = 0;
  std::set<v1::ForecastModel> models;
  for (const v1::ModelWins& model : last.summary().wins()) {
    wins += model.wins();
    models.insert(model.model());
    EXPECT_GT(model.median_mape_percent(), 0);
  }
  EXPECT_EQ(wins, series);
  EXPECT_EQ(models.size(), 6u);  // every default model was scored
  EXPECT_GE(last.summary().series_at_risk(), 1);

  // Watching again, by run id or by the same request id, finds the same run.
  v1::RunCompetitionRequest watch;
  watch.set_run_id(run_id);
  events = Run(watch, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].state(), v1::RUN_STATE_SUCCEEDED);
  events = Run(request, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(events.back().run_id(), run_id);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_runs"), 1);
  // Shard 0 calibrated the intervals of the six models on every series (all
  // long enough: 500 days >= twice the 180-day horizon).
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_run_calibration"), 6);
  EXPECT_EQ(Count("SELECT min(sample_series) FROM fleet_run_calibration"), series);
  EXPECT_EQ(Count("SELECT min(cardinality(width_scales)) FROM fleet_run_calibration"), 180);

  // The leaderboard, page by page: every model of every series, one champion
  // each, ranks in order.
  std::map<std::pair<std::string, int>, std::vector<v1::LeaderboardEntry>> by_series;
  std::string token;
  int pages = 0;
  do {
    v1::GetLeaderboardRequest page_request;
    page_request.set_page_size(50);
    page_request.set_page_token(token);
    v1::GetLeaderboardResponse page;
    auto context = ContextWithDeadline(10s);
    ASSERT_TRUE(stub_->GetLeaderboard(context.get(), page_request, &page).ok());
    EXPECT_EQ(page.run_id(), run_id);  // the latest succeeded run by default
    for (const v1::LeaderboardEntry& entry : page.entries()) {
      by_series[{entry.host_id(), entry.resource()}].push_back(entry);
    }
    if (pages == 0) {
      int64_t audit_wins = 0;
      for (const v1::ModelWins& model : page.audit().overall()) audit_wins += model.wins();
      EXPECT_EQ(audit_wins, series);
      EXPECT_EQ(page.audit().per_resource_size(), 4);
      EXPECT_GE(page.audit().per_scenario_size(), 2);
    }
    token = page.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(static_cast<int64_t>(by_series.size()), series);
  EXPECT_GT(pages, 1);
  {
    v1::GetLeaderboardRequest forged;
    forged.set_page_token("bm90IGEgdG9rZW4");
    v1::GetLeaderboardResponse page;
    auto context = ContextWithDeadline(10s);
    const grpc::Status refused = stub_->GetLeaderboard(context.get(), forged, &page);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedFields(refused), std::vector<std::string>{"page_token"});
  }
  for (const auto& [key, entries] : by_series) {
    ASSERT_EQ(entries.size(), 6u) << key.first;
    EXPECT_TRUE(entries[0].champion());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(entries[i].rank(), static_cast<int>(i) + 1);
      EXPECT_EQ(entries[i].champion(), i == 0);
      EXPECT_EQ(entries[i].accuracy().points_scored(), 30);
    }
  }

  // The drill-down of the host crafted to breach.
  v1::GetHostForecastRequest drill;
  drill.set_host_id("breach-host");
  drill.set_resource(v1::RESOURCE_CPU);
  v1::GetHostForecastResponse forecast;
  {
    auto context = ContextWithDeadline(10s);
    ASSERT_TRUE(stub_->GetHostForecast(context.get(), drill, &forecast).ok());
  }
  EXPECT_EQ(forecast.history_size(), kDays);
  EXPECT_EQ(forecast.champion().backtest_size(), 30);
  EXPECT_EQ(forecast.champion().forecast_size(), 180);
  EXPECT_EQ(forecast.runner_up().forecast_size(), 180);
  EXPECT_NE(forecast.champion().model(), forecast.runner_up().model());
  const std::pair<std::string, int> breach_cpu = {"breach-host", v1::RESOURCE_CPU};
  EXPECT_EQ(forecast.champion().model(), by_series[breach_cpu][0].model());

  // The risk report: the crafted host is High Trust at risk, in its
  // department, before its mean crosses 95 % (the 80 % interval's upper
  // bound crosses first).
  v1::GetRiskReportRequest risk_request;
  risk_request.set_include_csv(true);
  v1::GetRiskReportResponse report;
  {
    auto context = ContextWithDeadline(10s);
    ASSERT_TRUE(stub_->GetRiskReport(context.get(), risk_request, &report).ok());
  }
  EXPECT_DOUBLE_EQ(report.interval_level(), 0.8);
  EXPECT_DOUBLE_EQ(report.breach_threshold_percent(), 95);
  EXPECT_EQ(report.risk_window().seconds(), 90 * 86400);
  const int64_t end_day = fg::DayNumber(kEndDay);
  bool found = false;
  for (const v1::RiskEntry& entry : report.entries()) {
    if (entry.host_id() != "breach-host" || entry.resource() != v1::RESOURCE_CPU) continue;
    found = true;
    EXPECT_EQ(entry.department(), hosts.back().spec.department);
    EXPECT_EQ(entry.app_code(), hosts.back().spec.app_code);
    const int64_t breach_day = entry.first_breach_time().seconds() / 86400;
    EXPECT_GT(breach_day, end_day);
    EXPECT_LE(breach_day, end_day + kBreachDayAfterEnd + 7);
    EXPECT_EQ(entry.planned_action_time().seconds(),
              entry.first_breach_time().seconds() - 30 * 86400);
    EXPECT_GT(entry.peak_upper_percent(), 95);
  }
  EXPECT_TRUE(found) << report.DebugString();
  bool department_listed = false;
  for (const v1::DepartmentRollup& department : report.departments()) {
    department_listed |= department.department() == hosts.back().spec.department;
  }
  EXPECT_TRUE(department_listed);
  EXPECT_NE(report.risk_exceptions_csv().find("breach-host,cpu," + hosts.back().spec.department),
            std::string::npos)
      << report.risk_exceptions_csv();
  EXPECT_NE(report.monthly_summary_csv().find(hosts.back().spec.department), std::string::npos);

  // Every series has a health status; the red ones are the risk list.
  const v1::HealthCounts& health = report.fleet_health();
  EXPECT_EQ(health.red() + health.yellow() + health.green(), series);
  int64_t red = 0;
  for (const v1::DepartmentRollup& department : report.departments()) {
    red += department.series_at_risk();
  }
  EXPECT_EQ(health.red(), red);
  int64_t department_total = 0;
  for (const v1::HealthCounts& department : report.department_health()) {
    department_total += department.red() + department.yellow() + department.green();
  }
  EXPECT_EQ(department_total, series);
  EXPECT_DOUBLE_EQ(report.warning_level_percent(), 80);

  // /metrics tells the same: wins per model, risks per department and the
  // crafted series' days to its breach and planned action.
  const std::optional<int> http_port = server_->HttpPort(1s);
  ASSERT_TRUE(http_port.has_value());
  httplib::Client http("127.0.0.1", *http_port);
  std::string metrics;
  for (int attempt = 0; attempt < 100; ++attempt) {
    httplib::Result scraped = http.Get("/metrics");
    ASSERT_TRUE(scraped);
    metrics = scraped->body;
    if (metrics.find("\nhorizonscale_fleet_model_wins{") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(SumOf(metrics, "horizonscale_fleet_model_wins{"), series) << metrics;
  int64_t series_at_risk = 0;
  for (const v1::DepartmentRollup& department : report.departments()) {
    series_at_risk += department.series_at_risk();
  }
  double at_risk = 0;
  for (const v1::DepartmentRollup& department : report.departments()) {
    at_risk += ValueOf(metrics, absl::StrCat("horizonscale_fleet_department_at_risk{department=\"",
                                             department.department(), "\",unit=\"series\"}"));
  }
  EXPECT_EQ(at_risk, static_cast<double>(series_at_risk)) << metrics;
  for (const v1::RiskEntry& entry : report.entries()) {
    if (entry.host_id() != "breach-host" || entry.resource() != v1::RESOURCE_CPU) continue;
    const double today = absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()) / 86400;
    const std::string labels = absl::StrCat("{department=\"", entry.department(),
                                            "\",host=\"breach-host\",resource=\"cpu\"}");
    EXPECT_NEAR(ValueOf(metrics, "horizonscale_fleet_series_days_to_breach" + labels),
                entry.first_breach_time().seconds() / 86400.0 - today, 0.01);
    EXPECT_NEAR(ValueOf(metrics, "horizonscale_fleet_series_days_to_planned_action" + labels),
                entry.planned_action_time().seconds() / 86400.0 - today, 0.01);
  }
}

TEST_F(FleetRpc, TwoWorkerProcessesScoreEverySeriesExactlyOnce) {
  StartServer(0);         // no workers in the server: the run waits for the processes
  Ingest(TestFleet(11));  // 48 series
  v1::RunCompetitionRequest request;
  request.mutable_config()->set_shard_size(2);
  grpc::Status status;
  std::vector<v1::RunCompetitionResponse> events = Run(request, &status, 1500ms);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  ASSERT_FALSE(events.empty());
  const std::string run_id = events[0].run_id();
  EXPECT_EQ(events[0].state(), v1::RUN_STATE_RUNNING);
  EXPECT_EQ(events[0].series_done(), 0);

  auto worker = [&](const std::string& name) {
    return std::make_unique<ServerProcess>(
        HS_FLEET_WORKER_BINARY, std::vector<std::string>{"--database_url=" + database_.url(),
                                                         "--name=" + name, "--threads=1"});
  };
  auto first = worker("worker-a");
  auto second = worker("worker-b");
  EXPECT_EQ(first->WaitForExit(120s), std::optional<int>(0)) << first->Log();
  EXPECT_EQ(second->WaitForExit(120s), std::optional<int>(0)) << second->Log();

  EXPECT_EQ(Count("SELECT count(*) FROM fleet_runs WHERE state = 'succeeded'"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_run_shards WHERE state <> 'done'"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_scores"), 48 * 6);
  EXPECT_EQ(Count("SELECT count(DISTINCT (host_id, resource)) FROM fleet_scores"), 48);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_scores WHERE rank = 1"), 48);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_forecasts WHERE role = 'champion'"), 48);
  EXPECT_EQ(Count("SELECT count(*) FROM fleet_run_shards WHERE worker = 'worker-a'") +
                Count("SELECT count(*) FROM fleet_run_shards WHERE worker = 'worker-b'"),
            Count("SELECT count(*) FROM fleet_run_shards"));
  EXPECT_GT(Count("SELECT count(*) FROM fleet_run_shards WHERE worker = 'worker-a'"), 0);
  EXPECT_GT(Count("SELECT count(*) FROM fleet_run_shards WHERE worker = 'worker-b'"), 0);

  v1::RunCompetitionRequest watch;
  watch.set_run_id(run_id);
  events = Run(watch, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].state(), v1::RUN_STATE_SUCCEEDED);
  EXPECT_EQ(events[0].summary().series(), 48);
}

TEST_F(FleetRpc, BadRequestsNameTheField) {
  StartServer(0);
  v1::RunCompetitionRequest bad;
  bad.mutable_config()->set_backtest_days(0);
  bad.mutable_config()->add_models(v1::FORECAST_MODEL_AUTO);
  bad.mutable_config()->set_interval_level(1.5);
  bad.mutable_config()->mutable_xgboost()->set_max_depth(40);
  bad.mutable_config()->set_calibration_series(0);
  grpc::Status status;
  Run(bad, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(status);
  for (const char* field : {"config.backtest_days", "config.models[0]", "config.interval_level",
                            "config.xgboost.max_depth", "config.calibration_series"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), field), fields.end()) << field;
  }
  v1::RunCompetitionRequest unknown;
  unknown.set_run_id("00000000-0000-4000-8000-000000000000");
  Run(unknown, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  unknown.set_run_id("not-a-uuid");
  Run(unknown, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  auto context = ContextWithDeadline(5s);
  v1::GetRiskReportResponse report;
  EXPECT_EQ(stub_->GetRiskReport(context.get(), {}, &report).error_code(),
            grpc::StatusCode::NOT_FOUND);  // no run has succeeded yet
  v1::GetLeaderboardRequest leaderboard;
  leaderboard.set_page_size(-5);
  v1::GetLeaderboardResponse scores;
  context = ContextWithDeadline(5s);
  status = stub_->GetLeaderboard(context.get(), leaderboard, &scores);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"page_size"});
  v1::GetHostForecastResponse drill;
  context = ContextWithDeadline(5s);
  status = stub_->GetHostForecast(context.get(), {}, &drill);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"host_id", "resource"}));
}

}  // namespace
}  // namespace horizonscale::testing

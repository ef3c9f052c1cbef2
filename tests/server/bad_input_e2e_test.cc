// The bad-input corpus: per RPC, hostile values of every kind (NaN, ±inf,
// negatives, zero, extremes, empty and huge strings, NUL bytes, unknown enum
// values, oversized repeated fields, forged page tokens, expired deadlines)
// sent to the real server on loopback. Each must be refused with the fitting
// code and a message (and field violation) naming the field, quickly, with a
// short message, and leave the server serving.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <absl/strings/escaping.h>
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "horizonscale/v1/fleet_service.grpc.pb.h"
#include "tests/support/planner_rpc_fixture.h"

namespace horizonscale::testing {
namespace {

using google::protobuf::util::TimeUtil;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
const std::string kNul("bad\0id", 6);
const std::string kHuge(1 << 20, 'x');  // 1 MiB

// One hostile request: how to damage a valid one, and what must come back.
template <class Request>
struct Case {
  std::string name;
  std::function<void(Request&)> damage;
  std::string field;  // named by the message and a field violation
  grpc::StatusCode code = grpc::StatusCode::INVALID_ARGUMENT;
};

class BadInput : public PlannerRpc {
 protected:
  // Sends each case's request through `call` and checks the answer.
  template <class Request>
  void Expect(const Request& valid, const std::vector<Case<Request>>& cases,
              const std::function<grpc::Status(const Request&)>& call) {
    for (const Case<Request>& bad : cases) {
      SCOPED_TRACE(bad.name);
      Request request = valid;
      bad.damage(request);
      const grpc::Status status = call(request);
      EXPECT_EQ(status.error_code(), bad.code) << status.error_message();
      EXPECT_NE(status.error_message().find(bad.field), std::string::npos)
          << status.error_message();
      // Client input is quoted by a short prefix at most: no echo of a 1 MiB
      // string into the trailers.
      EXPECT_LT(status.error_message().size(), 16'384u);
      if (bad.code == grpc::StatusCode::INVALID_ARGUMENT) {
        const std::vector<std::string> fields = ViolatedFields(status);
        EXPECT_TRUE(std::any_of(fields.begin(), fields.end(),
                                [&](const std::string& f) { return f.find(bad.field) == 0; }))
            << "violations do not name " << bad.field;
      }
    }
    // The server still serves.
    auto health = grpc::health::v1::Health::NewStub(channel_);
    EXPECT_EQ(WaitForHealth(*health, "", grpc::health::v1::HealthCheckResponse::SERVING),
              grpc::health::v1::HealthCheckResponse::SERVING);
  }

  std::unique_ptr<v1::FleetService::Stub> Fleet() { return v1::FleetService::NewStub(channel_); }
};

TEST_F(BadInput, GeneratePlan) {
  std::vector<Case<v1::GeneratePlanRequest>> cases = {
      {"empty queue", [](auto& r) { r.set_queue(""); }, "queue"},
      {"NUL in queue", [](auto& r) { r.set_queue(kNul); }, "queue"},
      {"huge queue", [](auto& r) { r.set_queue(kHuge); }, "queue"},
      {"NUL in request_id", [](auto& r) { r.set_request_id(kNul); }, "request_id"},
      {"long request_id", [](auto& r) { r.set_request_id(std::string(129, 'r')); }, "request_id"},
      {"NaN rate", [](auto& r) { r.mutable_current_metrics()->set_arrival_rate_per_second(kNaN); },
       "current_metrics.arrival_rate_per_second"},
      {"infinite rate",
       [](auto& r) { r.mutable_current_metrics()->set_arrival_rate_per_second(kInf); },
       "current_metrics.arrival_rate_per_second"},
      {"negative rate",
       [](auto& r) { r.mutable_current_metrics()->set_arrival_rate_per_second(-1); },
       "current_metrics.arrival_rate_per_second"},
      {"zero service time",
       [](auto& r) { r.mutable_current_metrics()->set_mean_service_time_seconds(0); },
       "current_metrics.mean_service_time_seconds"},
      {"-inf service time",
       [](auto& r) { r.mutable_current_metrics()->set_mean_service_time_seconds(-kInf); },
       "current_metrics.mean_service_time_seconds"},
      {"negative workers", [](auto& r) { r.mutable_current_metrics()->set_current_workers(-1); },
       "current_metrics.current_workers"},
      {"utilization above 1", [](auto& r) { r.mutable_current_metrics()->set_utilization(1.5); },
       "current_metrics.utilization"},
      {"negative backlog", [](auto& r) { r.mutable_current_metrics()->set_backlog(-5); },
       "current_metrics.backlog"},
      {"observe_time in 1969",
       [](auto& r) {
         *r.mutable_current_metrics()->mutable_observe_time() = TimeUtil::SecondsToTimestamp(-60);
       },
       "current_metrics.observe_time"},
      {"observe_time next year",
       [](auto& r) {
         *r.mutable_current_metrics()->mutable_observe_time() =
             TimeUtil::GetCurrentTime() + TimeUtil::SecondsToDuration(365 * 86400);
       },
       "current_metrics.observe_time"},
      {"NaN error budget", [](auto& r) { r.mutable_slo()->set_error_budget(kNaN); },
       "slo.error_budget"},
      {"negative error budget", [](auto& r) { r.mutable_slo()->set_error_budget(-1); },
       "slo.error_budget"},
      {"NaN availability", [](auto& r) { r.mutable_slo()->set_availability(kNaN); },
       "slo.availability"},
      {"negative drain time",
       [](auto& r) { r.mutable_slo()->mutable_drain_time()->set_seconds(-60); }, "slo.drain_time"},
      {"zero latency target", [](auto& r) { r.mutable_slo()->set_p95_latency_seconds(0); },
       "slo.p95_latency_seconds"},
      {"zero error budget", [](auto& r) { r.mutable_slo()->set_error_budget(0); },
       "slo.error_budget"},
      {"availability of 1", [](auto& r) { r.mutable_slo()->set_availability(1); },
       "slo.availability"},
      {"zero drain time", [](auto& r) { r.mutable_slo()->mutable_drain_time()->set_seconds(0); },
       "slo.drain_time"},
      {"zero worker availability", [](auto& r) { r.mutable_config()->set_worker_availability(0); },
       "config.worker_availability"},
      {"NaN worker availability",
       [](auto& r) { r.mutable_config()->set_worker_availability(kNaN); },
       "config.worker_availability"},
      {"unknown forecast model",
       [](auto& r) { r.mutable_config()->set_forecast_model(static_cast<v1::ForecastModel>(999)); },
       "config.forecast_model"},
      {"unknown queueing model",
       [](auto& r) { r.mutable_config()->set_queueing_model(static_cast<v1::QueueingModel>(77)); },
       "config.queueing_model"},
      {"max below min workers",
       [](auto& r) {
         r.mutable_config()->set_min_workers(10);
         r.mutable_config()->set_max_workers(5);
       },
       "config.min_workers"},
      {"too much history",
       [](auto& r) {
         for (int i = 0; i < 10'001; ++i) *r.add_history() = r.current_metrics();
       },
       "history"},
  };
  Expect<v1::GeneratePlanRequest>(ValidRequest("bad-input"), cases, [&](const auto& request) {
    v1::GeneratePlanResponse response;
    return Generate(request, &response);
  });
}

TEST_F(BadInput, ExpiredDeadlineIsDeadlineExceeded) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::GeneratePlanResponse response;
  EXPECT_EQ(stub_->GeneratePlan(&context, ValidRequest("late"), &response).error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
}

TEST_F(BadInput, EvaluateQueue) {
  v1::EvaluateQueueRequest valid;
  valid.set_arrival_rate_per_second(8);
  valid.set_mean_service_time_seconds(1);
  valid.add_worker_counts(10);
  std::vector<Case<v1::EvaluateQueueRequest>> cases = {
      {"NaN rate", [](auto& r) { r.set_arrival_rate_per_second(kNaN); }, "arrival_rate_per_second"},
      {"negative service time", [](auto& r) { r.set_mean_service_time_seconds(-1); },
       "mean_service_time_seconds"},
      {"unknown model", [](auto& r) { r.set_model(static_cast<v1::QueueingModel>(99)); }, "model"},
      {"zero workers", [](auto& r) { r.set_worker_counts(0, 0); }, "worker_counts[0]"},
      {"too many worker counts",
       [](auto& r) {
         for (int i = 0; i < 1'000; ++i) r.add_worker_counts(10);
       },
       "worker_counts"},
      {"NaN error budget", [](auto& r) { r.mutable_slo()->set_error_budget(kNaN); },
       "slo.error_budget"},
      {"negative error budget", [](auto& r) { r.mutable_slo()->set_error_budget(-1); },
       "slo.error_budget"},
      {"NaN availability", [](auto& r) { r.mutable_slo()->set_availability(kNaN); },
       "slo.availability"},
      {"negative drain time",
       [](auto& r) { r.mutable_slo()->mutable_drain_time()->set_seconds(-60); }, "slo.drain_time"},
  };
  Expect<v1::EvaluateQueueRequest>(valid, cases, [&](const auto& request) {
    v1::EvaluateQueueResponse response;
    auto context = ContextWithDeadline(10s);
    return stub_->EvaluateQueue(context.get(), request, &response);
  });
}

TEST_F(BadInput, Simulate) {
  v1::SimulateRequest valid;
  valid.mutable_plan()->set_current_workers(10);
  *valid.mutable_plan()->mutable_generate_time() = TimeUtil::SecondsToTimestamp(1'790'000'000);
  v1::Scenario* scenario = valid.add_scenarios();
  scenario->set_name("steady");
  scenario->mutable_traffic()->set_base_rate_per_second(8);
  scenario->mutable_duration()->set_seconds(600);
  valid.mutable_service_time()->set_mean_seconds(1.0);
  std::vector<Case<v1::SimulateRequest>> cases = {
      {"negative error budget", [](auto& r) { r.mutable_slo()->set_error_budget(-1); },
       "slo.error_budget"},
      {"NaN availability", [](auto& r) { r.mutable_slo()->set_availability(kNaN); },
       "slo.availability"},
      {"negative drain time",
       [](auto& r) { r.mutable_slo()->mutable_drain_time()->set_seconds(-60); }, "slo.drain_time"},
      {"NUL in scenario name", [](auto& r) { r.mutable_scenarios(0)->set_name(kNul); },
       "scenarios[0].name"},
      {"negative initial backlog", [](auto& r) { r.mutable_scenarios(0)->set_initial_backlog(-1); },
       "scenarios[0].initial_backlog"},
      {"initial backlog beyond the limit",
       [](auto& r) { r.mutable_scenarios(0)->set_initial_backlog(10'000'001); },
       "scenarios[0].initial_backlog"},
      {"NaN base rate",
       [](auto& r) { r.mutable_scenarios(0)->mutable_traffic()->set_base_rate_per_second(kNaN); },
       "scenarios[0].traffic.base_rate_per_second"},
      {"unknown traffic kind",
       [](auto& r) {
         r.mutable_scenarios(0)->mutable_traffic()->set_kind(
             static_cast<v1::TrafficPatternKind>(42));
       },
       "scenarios[0].traffic.kind"},
      {"too many spikes",
       [](auto& r) {
         for (int i = 0; i < 1'001; ++i) r.mutable_scenarios(0)->mutable_traffic()->add_spikes();
       },
       "scenarios[0].traffic.spikes"},
      {"too many scenarios",
       [](auto& r) {
         for (int i = 0; i < 16; ++i) *r.add_scenarios() = r.scenarios(0);
       },
       "scenarios"},
      {"too many plan steps",
       [](auto& r) {
         for (int i = 0; i < 10'001; ++i) r.mutable_plan()->add_steps()->set_to_workers(1);
       },
       "plan.steps"},
      {"huge plan_id", [](auto& r) { r.set_plan_id(kHuge); }, "plan_id"},
  };
  Expect<v1::SimulateRequest>(valid, cases, [&](const auto& request) {
    v1::SimulateResponse response;
    auto context = ContextWithDeadline(10s);
    return stub_->Simulate(context.get(), request, &response);
  });
}

TEST_F(BadInput, GetForecasts) {
  v1::GetForecastsRequest valid;
  for (int i = 0; i < 48; ++i) {
    v1::SeriesPoint* point = valid.mutable_series()->add_points();
    *point->mutable_time() = TimeUtil::SecondsToTimestamp(1'790'000'000 + 60 * i);
    point->set_value(10 + i % 5);
  }
  valid.set_horizon_steps(6);
  std::vector<Case<v1::GetForecastsRequest>> cases = {
      {"zero horizon", [](auto& r) { r.set_horizon_steps(0); }, "horizon_steps"},
      {"negative horizon", [](auto& r) { r.set_horizon_steps(-3); }, "horizon_steps"},
      {"unknown model", [](auto& r) { r.set_model(static_cast<v1::ForecastModel>(999)); }, "model"},
      {"NaN level", [](auto& r) { r.set_interval_level(kNaN); }, "interval_level"},
      {"NaN value", [](auto& r) { r.mutable_series()->mutable_points(3)->set_value(kNaN); },
       "series.points[3]"},
      {"NUL in queue", [](auto& r) { r.set_queue(kNul); }, "queue"},
      {"huge queue", [](auto& r) { r.set_queue(kHuge); }, "queue"},
  };
  Expect<v1::GetForecastsRequest>(valid, cases, [&](const auto& request) {
    v1::GetForecastsResponse response;
    auto context = ContextWithDeadline(10s);
    return stub_->GetForecasts(context.get(), request, &response);
  });
}

TEST_F(BadInput, GetPlanAndListPlans) {
  std::vector<Case<v1::GetPlanRequest>> get_cases = {
      {"empty plan_id", [](auto& r) { r.set_plan_id(""); }, "plan_id"},
      {"NUL plan_id", [](auto& r) { r.set_plan_id(kNul); }, "plan_id"},
      {"huge plan_id", [](auto& r) { r.set_plan_id(kHuge); }, "plan_id"},
  };
  Expect<v1::GetPlanRequest>(v1::GetPlanRequest(), get_cases, [&](const auto& request) {
    v1::GetPlanResponse response;
    auto context = ContextWithDeadline(10s);
    return stub_->GetPlan(context.get(), request, &response);
  });

  v1::ListPlansRequest valid;
  valid.set_queue("orders");
  // A token forged in the format tokens once had: a cursor far outside the
  // range of timestamps, which used to reach PostgreSQL.
  const std::string forged = absl::WebSafeBase64Escape(
      "p1\norders\n9223372036854775807\n0b7c4a1e-7a51-4a4e-9a53-8f1f4c0b8a11");
  std::vector<Case<v1::ListPlansRequest>> list_cases = {
      {"NUL in queue", [](auto& r) { r.set_queue(kNul); }, "queue"},
      {"negative page size", [](auto& r) { r.set_page_size(-1); }, "page_size"},
      {"forged page token", [&](auto& r) { r.set_page_token(forged); }, "page_token"},
      {"huge page token", [](auto& r) { r.set_page_token(kHuge); }, "page_token"},
  };
  Expect<v1::ListPlansRequest>(valid, list_cases, [&](const auto& request) {
    v1::ListPlansResponse response;
    auto context = ContextWithDeadline(10s);
    return stub_->ListPlans(context.get(), request, &response);
  });
}

TEST_F(BadInput, RunCompetition) {
  auto fleet = Fleet();
  std::vector<Case<v1::RunCompetitionRequest>> cases = {
      {"NUL in request_id", [](auto& r) { r.set_request_id(kNul); }, "request_id"},
      {"huge request_id", [](auto& r) { r.set_request_id(kHuge); }, "request_id"},
      {"malformed run_id", [](auto& r) { r.set_run_id("not-a-run"); }, "run_id"},
      {"a model listed twice",
       [](auto& r) {
         r.mutable_config()->add_models(v1::FORECAST_MODEL_HOLT);
         r.mutable_config()->add_models(v1::FORECAST_MODEL_HOLT);
       },
       "config.models[1]"},
      // 100,000 copies of one model (a 200 KB request) once grew the server
      // past 13 GB; now it is refused before any pair is compared.
      {"100,000 models",
       [](auto& r) {
         for (int i = 0; i < 100'000; ++i) r.mutable_config()->add_models(v1::FORECAST_MODEL_HOLT);
       },
       "config.models"},
      {"unknown model",
       [](auto& r) { r.mutable_config()->add_models(static_cast<v1::ForecastModel>(1234)); },
       "config.models[0]"},
      {"zero backtest days", [](auto& r) { r.mutable_config()->set_backtest_days(0); },
       "config.backtest_days"},
      {"NaN interval level", [](auto& r) { r.mutable_config()->set_interval_level(kNaN); },
       "config.interval_level"},
  };
  Expect<v1::RunCompetitionRequest>(v1::RunCompetitionRequest(), cases, [&](const auto& request) {
    auto context = ContextWithDeadline(10s);
    auto reader = fleet->RunCompetition(context.get(), request);
    v1::RunCompetitionResponse event;
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  });
}

TEST_F(BadInput, FleetReports) {
  auto fleet = Fleet();
  std::vector<Case<v1::GetLeaderboardRequest>> leaderboard_cases = {
      {"malformed run_id", [](auto& r) { r.set_run_id("42"); }, "run_id"},
      {"NUL in host_id", [](auto& r) { r.set_host_id(kNul); }, "host_id"},
      {"huge scenario", [](auto& r) { r.set_scenario(kHuge); }, "scenario"},
      {"negative page size", [](auto& r) { r.set_page_size(-7); }, "page_size"},
  };
  Expect<v1::GetLeaderboardRequest>(
      v1::GetLeaderboardRequest(), leaderboard_cases, [&](const auto& request) {
        v1::GetLeaderboardResponse response;
        auto context = ContextWithDeadline(10s);
        return fleet->GetLeaderboard(context.get(), request, &response);
      });

  std::vector<Case<v1::GetHostForecastRequest>> host_cases = {
      {"no host_id", [](auto& r) { r.clear_host_id(); }, "host_id"},
      {"NUL in host_id", [](auto& r) { r.set_host_id(kNul); }, "host_id"},
  };
  v1::GetHostForecastRequest host;
  host.set_host_id("web-01");
  host.set_resource(v1::RESOURCE_CPU);
  Expect<v1::GetHostForecastRequest>(host, host_cases, [&](const auto& request) {
    v1::GetHostForecastResponse response;
    auto context = ContextWithDeadline(10s);
    return fleet->GetHostForecast(context.get(), request, &response);
  });

  std::vector<Case<v1::GetRiskReportRequest>> risk_cases = {
      {"huge department", [](auto& r) { r.set_department(kHuge); }, "department"},
      {"control character in department", [](auto& r) { r.set_department("a\nb"); }, "department"},
  };
  Expect<v1::GetRiskReportRequest>(v1::GetRiskReportRequest(), risk_cases,
                                   [&](const auto& request) {
                                     v1::GetRiskReportResponse response;
                                     auto context = ContextWithDeadline(10s);
                                     return fleet->GetRiskReport(context.get(), request, &response);
                                   });
}

TEST_F(BadInput, HealthQuotesAnUnknownServiceShortly) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(kHuge);
  grpc::health::v1::HealthCheckResponse response;
  auto context = ContextWithDeadline(10s);
  const grpc::Status status = health->Check(context.get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_LT(status.error_message().size(), 200u);
}

}  // namespace
}  // namespace horizonscale::testing

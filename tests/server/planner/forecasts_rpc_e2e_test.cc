// GetForecasts end to end: the real server binary, a real PostgreSQL
// database, generated stubs.
#include <signal.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "tests/support/planner_rpc_fixture.h"

namespace horizonscale {
namespace {

using google::protobuf::util::TimeUtil;
using testing::ContextWithDeadline;
using testing::ErrorInfoReason;
using testing::PlannerRpc;
using testing::ViolatedFields;
using namespace std::chrono_literals;

constexpr int64_t kStart = 1'790'000'000;  // seconds since the epoch, a whole hour

// Two weeks of hourly values with a daily cycle and a trend, deterministic.
v1::TimeSeries HourlySeries(int hours) {
  v1::TimeSeries series;
  for (int t = 0; t < hours; ++t) {
    v1::SeriesPoint* point = series.add_points();
    *point->mutable_time() = TimeUtil::SecondsToTimestamp(kStart + 3600 * t);
    point->set_value(100 + 0.1 * t + 20 * std::sin(2 * M_PI * t / 24) + 3 * std::cos(1.7 * t));
  }
  return series;
}

// `hours` hourly values with a cycle of `period` hours, a trend and a
// deterministic wiggle.
v1::TimeSeries CyclicSeries(int hours, int period) {
  v1::TimeSeries series;
  for (int t = 0; t < hours; ++t) {
    v1::SeriesPoint* point = series.add_points();
    *point->mutable_time() = TimeUtil::SecondsToTimestamp(kStart + 3600 * int64_t{t});
    point->set_value(300 + 0.001 * t + 60 * std::sin(2 * M_PI * t / period) +
                     3 * std::cos(1.7 * t));
  }
  return series;
}

// The heaviest kind of request the server accepts: `auto` on 100,000 hourly
// steps with periods of 60, 1,440 and 10,080 steps (MSTL over the three,
// on the last 40,320 steps), 10,000 steps ahead. A few hundred ms of one
// core: the fits see at most the recent past, and the backtest scores at
// most 100,000 points per model.
v1::GetForecastsRequest HeaviestAcceptedRequest() {
  v1::GetForecastsRequest request;
  *request.mutable_series() = CyclicSeries(100'000, 400);
  request.set_horizon_steps(10'000);
  request.mutable_seasonal_period()->set_seconds(3600 * 60);
  request.add_additional_seasonal_periods()->set_seconds(3600 * 1440);
  request.add_additional_seasonal_periods()->set_seconds(3600 * 10'080);
  return request;
}

class ForecastsRpc : public PlannerRpc {
 protected:
  grpc::Status Forecast(const v1::GetForecastsRequest& request, v1::GetForecastsResponse* out) {
    auto context = ContextWithDeadline(20s);
    return stub_->GetForecasts(context.get(), request, out);
  }
};

// With include_history the answer carries the series fitted, on its grid
// (a gap interpolated); without it, none.
TEST_F(ForecastsRpc, TheFittedHistoryIsSentWhenAskedFor) {
  v1::GetForecastsRequest request;
  *request.mutable_series() = HourlySeries(48);
  request.mutable_series()->mutable_points()->DeleteSubrange(10, 1);  // hour 10 missing
  request.set_horizon_steps(3);
  request.set_model(v1::FORECAST_MODEL_EWMA);
  v1::GetForecastsResponse response;
  ASSERT_TRUE(Forecast(request, &response).ok());
  EXPECT_FALSE(response.has_history());
  request.set_include_history(true);
  ASSERT_TRUE(Forecast(request, &response).ok());
  ASSERT_EQ(response.history().points_size(), 48);
  EXPECT_EQ(response.history().step().seconds(), 3600);
  const v1::TimeSeries sent = HourlySeries(48);
  for (int i = 0; i < 48; ++i) {
    EXPECT_EQ(response.history().points(i).time().seconds(), kStart + 3600 * i);
    if (i != 10) {
      EXPECT_DOUBLE_EQ(response.history().points(i).value(), sent.points(i).value());
    }
  }
  EXPECT_DOUBLE_EQ(response.history().points(10).value(),
                   (sent.points(9).value() + sent.points(11).value()) / 2);
}

TEST_F(ForecastsRpc, AutoForecastsAnInlineSeasonalSeries) {
  v1::GetForecastsRequest request;
  *request.mutable_series() = HourlySeries(24 * 14);
  request.set_horizon_steps(24);
  v1::GetForecastsResponse response;
  const grpc::Status status = Forecast(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  ASSERT_EQ(response.points_size(), 24);
  const int64_t last = kStart + 3600 * (24 * 14 - 1);
  for (int k = 0; k < 24; ++k) {
    const v1::ForecastPoint& point = response.points(k);
    EXPECT_EQ(TimeUtil::TimestampToSeconds(point.time()), last + 3600 * (k + 1));
    EXPECT_LE(point.lower(), point.value());
    EXPECT_GE(point.upper(), point.value());
    EXPECT_DOUBLE_EQ(point.confidence_level(), 0.8);
    // The daily cycle continues: close to the noise-free curve.
    const int t = 24 * 14 + k;
    EXPECT_NEAR(point.value(), 100 + 0.1 * t + 20 * std::sin(2 * M_PI * t / 24), 8) << k;
  }
  const v1::FittedModel& model = response.model();
  EXPECT_NE(model.model(), v1::FORECAST_MODEL_UNSPECIFIED);
  EXPECT_EQ(model.parameters().at("seasonal_period_steps"), 24);
  EXPECT_NE(model.selection_reason().find("auto:"), std::string::npos) << model.selection_reason();
  EXPECT_GT(model.accuracy().points_scored(), 0);
  EXPECT_LT(model.accuracy().mase(), 1.0);  // beats the seasonal-naive scale
  EXPECT_GE(response.candidates_size(), 5);
  EXPECT_FALSE(response.cached());
}

TEST_F(ForecastsRpc, StoredQueueHistoryIsForecastAndCachedUntilItChanges) {
  // One plan request carrying two hours of per-minute history stores it.
  v1::GeneratePlanRequest plan = ValidRequest("orders");
  const absl::Time now = absl::Now();
  for (int minute = 120; minute >= 1; --minute) {
    v1::QueueMetrics* sample = plan.add_history();
    *sample->mutable_observe_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(now - absl::Minutes(minute)));
    sample->set_arrival_rate_per_second(100 + 5 * std::sin(minute * 0.7));
    sample->set_mean_service_time_seconds(0.1);
    sample->set_current_workers(10);
  }
  v1::GeneratePlanResponse planned;
  const grpc::Status generated = Generate(plan, &planned);
  ASSERT_TRUE(generated.ok()) << generated.error_message();

  v1::GetForecastsRequest request;
  request.set_queue("orders");
  request.set_model(v1::FORECAST_MODEL_EWMA);
  request.set_horizon_steps(10);
  v1::GetForecastsResponse first;
  ASSERT_TRUE(Forecast(request, &first).ok());
  ASSERT_EQ(first.points_size(), 10);
  EXPECT_EQ(first.model().model(), v1::FORECAST_MODEL_EWMA);
  EXPECT_NEAR(first.points(0).value(), 100, 6);
  EXPECT_FALSE(first.cached());
  // The points follow the last stored minute, one minute apart.
  EXPECT_EQ(TimeUtil::TimestampToSeconds(first.points(1).time()) -
                TimeUtil::TimestampToSeconds(first.points(0).time()),
            60);

  v1::GetForecastsResponse again;
  ASSERT_TRUE(Forecast(request, &again).ok());
  EXPECT_TRUE(again.cached()) << server_->Log();
  EXPECT_EQ(again.points(0).value(), first.points(0).value());

  // New metrics make a new series version: a rate unlike any stored one
  // changes the current minute's mean. (The same metrics again would not:
  // the version is the stored minutes' content.)
  v1::GeneratePlanRequest busier = ValidRequest("orders");
  busier.mutable_current_metrics()->set_arrival_rate_per_second(170);
  ASSERT_TRUE(Generate(busier, &planned).ok());
  v1::GetForecastsResponse after;
  ASSERT_TRUE(Forecast(request, &after).ok());
  EXPECT_FALSE(after.cached());
}

TEST_F(ForecastsRpc, BadRequestsNameTheFieldAndReason) {
  struct Case {
    std::string name;
    v1::GetForecastsRequest request;
    grpc::StatusCode code;
    std::string reason;
    std::vector<std::string> fields;
  };
  std::vector<Case> cases;
  auto with_series = [](int hours) {
    v1::GetForecastsRequest request;
    *request.mutable_series() = HourlySeries(hours);
    request.set_horizon_steps(5);
    return request;
  };
  {
    Case c{"nan value",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_METRICS",
           {"series.points[3].value"}};
    c.request.mutable_series()->mutable_points(3)->set_value(NAN);
    cases.push_back(c);
  }
  {
    Case c{"no source", {}, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_REQUEST", {"source"}};
    c.request.set_horizon_steps(5);
    cases.push_back(c);
  }
  {
    Case c{"zero horizon",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"horizon_steps"}};
    c.request.set_horizon_steps(0);
    cases.push_back(c);
  }
  {
    Case c{"absurd horizon",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"horizon_steps"}};
    c.request.set_horizon_steps(1'000'000);
    cases.push_back(c);
  }
  {
    Case c{"additional period without seasonal_period",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"additional_seasonal_periods"}};
    c.request.add_additional_seasonal_periods()->set_seconds(7 * 86400);
    cases.push_back(c);
  }
  {
    Case c{"additional period not longer",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"additional_seasonal_periods[0]"}};
    c.request.mutable_seasonal_period()->set_seconds(86400);
    c.request.add_additional_seasonal_periods()->set_seconds(3600);
    cases.push_back(c);
  }
  {
    Case c{"too many additional periods",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"additional_seasonal_periods"}};
    c.request.mutable_seasonal_period()->set_seconds(3600);
    for (int i = 2; i <= 5; ++i) c.request.add_additional_seasonal_periods()->set_seconds(i * 7200);
    cases.push_back(c);
  }
  {
    Case c{"level 1",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"interval_level"}};
    c.request.set_interval_level(1.0);
    cases.push_back(c);
  }
  {
    Case c{"fleet model",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "MODEL_NOT_SUPPORTED",
           {"model"}};
    c.request.set_model(v1::FORECAST_MODEL_PROPHET);
    cases.push_back(c);
  }
  {
    Case c{"period not whole steps",
           with_series(48),
           grpc::StatusCode::INVALID_ARGUMENT,
           "INVALID_REQUEST",
           {"seasonal_period"}};
    c.request.mutable_seasonal_period()->set_seconds(5400);  // 1.5 hourly steps
    cases.push_back(c);
  }
  {
    Case c{"too short for Holt-Winters",
           with_series(30),
           grpc::StatusCode::FAILED_PRECONDITION,
           "INSUFFICIENT_HISTORY",
           {"series"}};
    c.request.set_model(v1::FORECAST_MODEL_HOLT_WINTERS);
    c.request.mutable_seasonal_period()->set_seconds(24 * 3600);
    cases.push_back(c);
  }
  {
    Case c{"unknown queue",
           {},
           grpc::StatusCode::FAILED_PRECONDITION,
           "INSUFFICIENT_HISTORY",
           {"queue"}};
    c.request.set_queue("nobody");
    c.request.set_horizon_steps(5);
    cases.push_back(c);
  }
  for (const Case& c : cases) {
    v1::GetForecastsResponse response;
    const grpc::Status status = Forecast(c.request, &response);
    EXPECT_EQ(status.error_code(), c.code) << c.name << ": " << status.error_message();
    EXPECT_EQ(ErrorInfoReason(status), "horizonscale/" + c.reason) << c.name;
    EXPECT_EQ(ViolatedFields(status), c.fields) << c.name;
  }
}

// MSTL over a day and a week given as additional_seasonal_periods: both are
// used, and the answer says so.
TEST_F(ForecastsRpc, MstlDecomposesOverTheAdditionalPeriods) {
  v1::GetForecastsRequest request;
  *request.mutable_series() = CyclicSeries(24 * 7 * 4, 24);
  for (int t = 0; t < request.series().points_size(); ++t) {
    const bool weekend = (t / 24) % 7 >= 5;
    auto* point = request.mutable_series()->mutable_points(t);
    point->set_value(point->value() - (weekend ? 50 : 0));
  }
  request.set_model(v1::FORECAST_MODEL_MSTL);
  request.set_horizon_steps(168);
  request.mutable_seasonal_period()->set_seconds(86400);
  request.add_additional_seasonal_periods()->set_seconds(7 * 86400);
  v1::GetForecastsResponse response;
  const grpc::Status status = Forecast(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.points_size(), 168);
  EXPECT_EQ(response.model().model(), v1::FORECAST_MODEL_MSTL);
  const std::string& reason = response.model().selection_reason();
  EXPECT_NE(reason.find("seasonal periods 24, 168 steps (given)"), std::string::npos) << reason;
  EXPECT_NE(reason.find("MSTL (periods 24, 168)"), std::string::npos) << reason;
  // The series ends with four whole weeks: the forecast's day 5 (a
  // "weekend" day of the series) sits about 50 below its day 0, hour for hour.
  const double weekday = response.points(0).value();
  const double weekend = response.points(5 * 24).value();
  EXPECT_LT(weekend, weekday - 25) << weekday << " " << weekend;
}

TEST_F(ForecastsRpc, HoltWintersTooShortSaysHowMuchIsNeeded) {
  v1::GetForecastsRequest request;
  *request.mutable_series() = HourlySeries(30);
  request.set_horizon_steps(5);
  request.set_model(v1::FORECAST_MODEL_HOLT_WINTERS);
  request.mutable_seasonal_period()->set_seconds(24 * 3600);
  v1::GetForecastsResponse response;
  const grpc::Status status = Forecast(request, &response);
  EXPECT_NE(status.error_message().find("48"), std::string::npos) << status.error_message();
}

// GeneratePlan forecasts with the engine: AUTO works on two hours of
// history; Holt-Winters with a daily period on the same history is refused
// with the amount it needs.
TEST_F(ForecastsRpc, GeneratePlanUsesTheConfiguredForecastModel) {
  v1::GeneratePlanRequest plan = ValidRequest("billing");
  const absl::Time now = absl::Now();
  for (int minute = 120; minute >= 1; --minute) {
    v1::QueueMetrics* sample = plan.add_history();
    *sample->mutable_observe_time() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(now - absl::Minutes(minute)));
    sample->set_arrival_rate_per_second(80 + 0.2 * (120 - minute));
    sample->set_mean_service_time_seconds(0.1);
    sample->set_current_workers(10);
  }
  plan.mutable_config()->set_forecast_model(v1::FORECAST_MODEL_AUTO);
  v1::GeneratePlanResponse planned;
  const grpc::Status automatic = Generate(plan, &planned);
  ASSERT_TRUE(automatic.ok()) << automatic.error_message();
  EXPECT_EQ(planned.arrival_forecast_size(), 12);

  plan.set_queue("billing-hw");
  plan.mutable_config()->set_forecast_model(v1::FORECAST_MODEL_HOLT_WINTERS);
  plan.mutable_config()->mutable_seasonal_period()->set_seconds(24 * 3600);
  const grpc::Status seasonal = Generate(plan, &planned);
  EXPECT_EQ(seasonal.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << seasonal.error_message();
  EXPECT_EQ(ErrorInfoReason(seasonal), "horizonscale/INSUFFICIENT_HISTORY");
  EXPECT_NE(seasonal.error_message().find("576"), std::string::npos) << seasonal.error_message();
}

// Whether the server's log gets `text` within `timeout`.
bool LogShows(testing::ServerProcess& server, const std::string& text,
              std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (server.Log().find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

TEST_F(ForecastsRpc, TheHeaviestAcceptedRequestIsAnswered) {
  v1::GetForecastsRequest request = HeaviestAcceptedRequest();
  v1::GetForecastsResponse response;
  auto context = ContextWithDeadline(120s);
  const grpc::Status status = stub_->GetForecasts(context.get(), request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.points_size(), 10'000);
  EXPECT_GT(response.model().accuracy().points_scored(), 0);
  // Seasonal-naive, Theta and MSTL (the periods are too long for ETS and
  // ARIMA).
  EXPECT_EQ(response.candidates_size(), 3);
}

// How long the heaviest request takes end to end on this build and
// machine (ASan, a loaded CI box): the client's serialization and the
// server's parsing come before the computation, the answer after it.
std::chrono::steady_clock::duration HeaviestRequestDuration(
    v1::CapacityPlannerService::Stub& stub) {
  const auto started = std::chrono::steady_clock::now();
  v1::GetForecastsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 120s);
  EXPECT_TRUE(stub.GetForecasts(&context, HeaviestAcceptedRequest(), &response).ok());
  return std::chrono::steady_clock::now() - started;
}

// How a call is stopped.
enum class Stop { kDeadline, kCancel };

// Calls stopped (by deadline or cancel) at 20, 25, ... 95 % of the
// heaviest request's duration, until the server reports a stopped
// computation (`log_line`): where the computation sits within the call
// varies with the build and machine, but some of these points fall inside
// it. Each stopped call ends DEADLINE_EXCEEDED or CANCELLED.
void StopUntilTheComputationIsStopped(v1::CapacityPlannerService::Stub& stub,
                                      testing::ServerProcess& server, Stop how,
                                      const std::string& log_line) {
  const auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(HeaviestRequestDuration(stub));
  for (int percent = 20; percent <= 95; percent += 5) {
    const std::chrono::milliseconds after = duration * percent / 100;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         (how == Stop::kDeadline ? after : 120s));
    std::thread canceller([&context, after, how] {
      if (how != Stop::kCancel) return;
      std::this_thread::sleep_for(after);
      context.TryCancel();
    });
    v1::GetForecastsResponse response;
    const grpc::Status status = stub.GetForecasts(&context, HeaviestAcceptedRequest(), &response);
    canceller.join();
    if (status.ok()) continue;  // finished first
    EXPECT_EQ(status.error_code(), how == Stop::kDeadline ? grpc::StatusCode::DEADLINE_EXCEEDED
                                                          : grpc::StatusCode::CANCELLED)
        << status.error_message();
    if (LogShows(server, log_line, 2s)) return;
  }
  ADD_FAILURE() << "no call of the " << duration.count()
                << " ms one was stopped while computing: " << server.Log();
}

TEST_F(ForecastsRpc, AnExpiredDeadlineStopsTheComputation) {
  // The server stops computing (it logs it; without cancellation the call
  // would run to completion and log nothing). (The client cancels when its
  // deadline passes, usually before the server's own timer, started when the
  // call arrived, fires: "cancelled" or "deadline".)
  StopUntilTheComputationIsStopped(*stub_, *server_, Stop::kDeadline, "forecast_cancelled why=");
  // And answers the next call.
  v1::GetForecastsRequest cheap;
  *cheap.mutable_series() = HourlySeries(24 * 14);
  cheap.set_horizon_steps(24);
  v1::GetForecastsResponse response;
  EXPECT_TRUE(Forecast(cheap, &response).ok());
  EXPECT_EQ(response.points_size(), 24);
}

TEST_F(ForecastsRpc, ACancelledCallStopsTheComputation) {
  StopUntilTheComputationIsStopped(*stub_, *server_, Stop::kCancel,
                                   "forecast_cancelled why=cancelled");
}

TEST_F(ForecastsRpc, OversizeRequestsAreRefusedBeforeAnyWork) {
  // Three points spanning a million one-second steps: a 100-byte request
  // for a 1,000,001-step series.
  v1::GetForecastsRequest request;
  for (int64_t offset : {0, 1, 1'000'000}) {
    v1::SeriesPoint* point = request.mutable_series()->add_points();
    *point->mutable_time() = TimeUtil::SecondsToTimestamp(kStart + offset);
    point->set_value(1.0 + offset % 7);
  }
  request.set_horizon_steps(24);
  v1::GetForecastsResponse response;
  grpc::Status status = Forecast(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(ErrorInfoReason(status), "horizonscale/FORECAST_TOO_LARGE");
  EXPECT_EQ(ViolatedFields(status), std::vector<std::string>{"series.points"});
  EXPECT_NE(status.error_message().find("1000001 steps"), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("150000"), std::string::npos) << status.error_message();
  // With the step given, the step is named too.
  request.mutable_step()->set_seconds(1);
  status = Forecast(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ViolatedFields(status), (std::vector<std::string>{"series.points", "step"}));
  // Eight at once are all refused, and the server stays healthy.
  std::vector<std::thread> calls;
  std::vector<grpc::StatusCode> codes(8, grpc::StatusCode::OK);
  for (size_t i = 0; i < codes.size(); ++i) {
    calls.emplace_back([&, i] {
      v1::GetForecastsResponse out;
      auto context = ContextWithDeadline(20s);
      codes[i] = stub_->GetForecasts(context.get(), request, &out).error_code();
    });
  }
  for (std::thread& call : calls) call.join();
  for (grpc::StatusCode code : codes) EXPECT_EQ(code, grpc::StatusCode::RESOURCE_EXHAUSTED);

  // (The work limit, checked once the period is known, is not reached by
  // any series within the grid limit: `auto` and the costly families fit on
  // the recent past. forecast/engine.h's estimate is tested in
  // tests/forecast/cancellation_test.cc.)
}

}  // namespace
}  // namespace horizonscale

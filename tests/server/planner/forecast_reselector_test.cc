#include "server/planner/forecast_reselector.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

// A day of one-minute samples of a daily cycle, planned with AUTO.
planner::PlanRequest AutoRequest() {
  planner::PlanRequest request;
  for (int minute = 24 * 60; minute >= 1; --minute) {
    planner::QueueSample sample;
    sample.time = kNow - absl::Minutes(minute);
    sample.arrival_rate = 100 * (1 + 0.5 * std::sin(2 * M_PI * minute / 1440.0));
    sample.mean_service_time = 0.1;
    request.history.push_back(sample);
  }
  request.current.time = kNow;
  request.current.arrival_rate = 100;
  request.current.mean_service_time = 0.1;
  request.current.workers = 20;
  request.slo.p95_latency = 1;
  request.config.forecast_model = std::nullopt;
  return request;
}

// Waits up to 30 s for `done` (called until it says yes, not after).
template <typename Done>
bool WaitFor(Done done) {
  for (int i = 0; i < 3000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

TEST(ForecastReselector, RenewsAStaleChoiceInTheBackground) {
  ForecastChoiceCache cache(absl::Hours(1), absl::Hours(24));
  const auto old = std::make_shared<forecast::ModelChoice>();
  cache.Store("orders", old, kNow - absl::Hours(2));
  ASSERT_TRUE(cache.Find("orders", kNow).renew);
  ForecastReselector reselector(cache);
  reselector.Submit("orders", AutoRequest());
  ASSERT_TRUE(WaitFor([&] { return reselector.renewed() == 1; }));
  const ForecastChoiceCache::Lookup renewed = cache.Find("orders", kNow);
  ASSERT_NE(renewed.choice, nullptr);
  EXPECT_NE(renewed.choice, old);
  EXPECT_NE(renewed.choice->model, nullptr);
  EXPECT_EQ(renewed.choice->horizon, 12);  // the default 60-minute window in 5-minute steps
  EXPECT_FALSE(renewed.renew);
}

TEST(ForecastReselector, AFailedOrRefusedRenewalIsAbandoned) {
  ForecastChoiceCache cache(absl::Hours(1), absl::Hours(24));
  const auto old = std::make_shared<forecast::ModelChoice>();
  cache.Store("orders", old, kNow - absl::Hours(2));
  ForecastReselector reselector(cache);
  // A config the planner refuses: the renewal fails and the queue asks again.
  ASSERT_TRUE(cache.Find("orders", kNow).renew);
  planner::PlanRequest invalid = AutoRequest();
  invalid.config.planning_interval = absl::ZeroDuration();
  reselector.Submit("orders", invalid);
  ASSERT_TRUE(WaitFor([&] { return cache.Find("orders", kNow).renew; }));
  EXPECT_EQ(reselector.renewed(), 0);
  EXPECT_EQ(cache.Find("orders", kNow).choice, old);
  // After Stop a submission is abandoned at once.
  reselector.Stop();
  cache.Abandon("orders");
  ASSERT_TRUE(cache.Find("orders", kNow).renew);
  reselector.Submit("orders", AutoRequest());
  EXPECT_TRUE(cache.Find("orders", kNow).renew);
  EXPECT_EQ(reselector.renewed(), 0);
}

}  // namespace
}  // namespace horizonscale::server

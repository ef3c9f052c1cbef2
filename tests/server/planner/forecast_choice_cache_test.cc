#include "server/planner/forecast_choice_cache.h"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

const absl::Time kMade = absl::FromUnixSeconds(1'800'000'000);

std::shared_ptr<const forecast::ModelChoice> Choice() {
  return std::make_shared<forecast::ModelChoice>();
}

TEST(ForecastChoiceCache, KeepsAQueuesChoiceAndAsksForItsRenewalOnceAfterTheInterval) {
  ForecastChoiceCache cache(absl::Hours(1), absl::Hours(24));
  const auto choice = Choice();
  cache.Store("orders", choice, kMade);
  for (const absl::Duration age : {absl::ZeroDuration(), absl::Minutes(59), absl::Hours(1)}) {
    const ForecastChoiceCache::Lookup fresh = cache.Find("orders", kMade + age);
    EXPECT_EQ(fresh.choice, choice);
    EXPECT_FALSE(fresh.renew);
  }
  // Past the interval: still used, and one caller is asked to renew it.
  const ForecastChoiceCache::Lookup stale = cache.Find("orders", kMade + absl::Hours(2));
  EXPECT_EQ(stale.choice, choice);
  EXPECT_TRUE(stale.renew);
  EXPECT_FALSE(cache.Find("orders", kMade + absl::Hours(2)).renew);  // under way
  // An abandoned renewal is asked for again.
  cache.Abandon("orders");
  EXPECT_TRUE(cache.Find("orders", kMade + absl::Hours(3)).renew);
  // The renewal's choice replaces the old one and ends the renewal.
  const auto renewed = Choice();
  cache.Store("orders", renewed, kMade + absl::Hours(3));
  const ForecastChoiceCache::Lookup after = cache.Find("orders", kMade + absl::Hours(3));
  EXPECT_EQ(after.choice, renewed);
  EXPECT_FALSE(after.renew);
}

TEST(ForecastChoiceCache, NoChoiceTooOldForeignOrFromTheFuture) {
  ForecastChoiceCache cache(absl::Hours(1), absl::Hours(24));
  cache.Store("orders", Choice(), kMade);
  EXPECT_NE(cache.Find("orders", kMade + absl::Hours(24)).choice, nullptr);
  EXPECT_EQ(cache.Find("orders", kMade + absl::Hours(24) + absl::Seconds(1)).choice, nullptr);
  // Metrics older than the choice get a selection of their own.
  EXPECT_EQ(cache.Find("orders", kMade - absl::Seconds(1)).choice, nullptr);
  EXPECT_EQ(cache.Find("payments", kMade).choice, nullptr);
  EXPECT_FALSE(cache.Find("payments", kMade).renew);
  cache.Store("orders", nullptr, kMade);
  EXPECT_EQ(cache.Find("orders", kMade).choice, nullptr);
}

TEST(ForecastChoiceCache, HoldsAtMostMaxQueues) {
  ForecastChoiceCache cache(absl::Hours(1), absl::Hours(24), /*max_queues=*/3);
  for (int i = 0; i < 10; ++i) cache.Store("q" + std::to_string(i), Choice(), kMade);
  int held = 0;
  for (int i = 0; i < 10; ++i) held += cache.Find("q" + std::to_string(i), kMade).choice != nullptr;
  EXPECT_EQ(held, 3);
  EXPECT_NE(cache.Find("q9", kMade).choice, nullptr);  // the latest is kept
}

}  // namespace
}  // namespace horizonscale::server

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

TEST(ForecastChoiceCache, KeepsAQueuesChoiceForTheReselectionInterval) {
  ForecastChoiceCache cache(absl::Hours(1));
  const auto choice = Choice();
  cache.Store("orders", choice, kMade);
  EXPECT_EQ(cache.Find("orders", kMade), choice);
  EXPECT_EQ(cache.Find("orders", kMade + absl::Minutes(59)), choice);
  EXPECT_EQ(cache.Find("orders", kMade + absl::Hours(1)), choice);
  EXPECT_EQ(cache.Find("orders", kMade + absl::Hours(1) + absl::Seconds(1)), nullptr);
  // Metrics older than the choice get a selection of their own.
  EXPECT_EQ(cache.Find("orders", kMade - absl::Seconds(1)), nullptr);
  EXPECT_EQ(cache.Find("payments", kMade), nullptr);
}

TEST(ForecastChoiceCache, ANewChoiceReplacesAndANullOneDrops) {
  ForecastChoiceCache cache(absl::Hours(1));
  cache.Store("orders", Choice(), kMade);
  const auto later = Choice();
  cache.Store("orders", later, kMade + absl::Hours(2));
  EXPECT_EQ(cache.Find("orders", kMade + absl::Hours(2)), later);
  cache.Store("orders", nullptr, kMade + absl::Hours(2));
  EXPECT_EQ(cache.Find("orders", kMade + absl::Hours(2)), nullptr);
}

TEST(ForecastChoiceCache, HoldsAtMostMaxQueues) {
  ForecastChoiceCache cache(absl::Hours(1), /*max_queues=*/3);
  for (int i = 0; i < 10; ++i) cache.Store("q" + std::to_string(i), Choice(), kMade);
  int held = 0;
  for (int i = 0; i < 10; ++i) held += cache.Find("q" + std::to_string(i), kMade) != nullptr;
  EXPECT_EQ(held, 3);
  EXPECT_NE(cache.Find("q9", kMade), nullptr);  // the latest is kept
}

}  // namespace
}  // namespace horizonscale::server

// The GetForecasts answer cache: hits, misses, replacement, LRU eviction.
#include "server/planner/forecast_cache.h"

#include <memory>

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

std::shared_ptr<const v1::GetForecastsResponse> Answer(double value) {
  auto answer = std::make_shared<v1::GetForecastsResponse>();
  answer->add_points()->set_value(value);
  return answer;
}

TEST(ForecastCache, CountsHitsAndMisses) {
  ForecastCache cache;
  EXPECT_EQ(cache.Find("a"), nullptr);
  cache.Insert("a", Answer(1));
  ASSERT_NE(cache.Find("a"), nullptr);
  EXPECT_EQ(cache.Find("a")->points(0).value(), 1);
  cache.Insert("a", Answer(2));  // replaced
  EXPECT_EQ(cache.Find("a")->points(0).value(), 2);
  const ForecastCache::Stats stats = cache.stats();
  EXPECT_EQ(stats.hits, 3);
  EXPECT_EQ(stats.misses, 1);
  EXPECT_EQ(stats.entries, 1u);
}

TEST(ForecastCache, DropsTheLeastRecentlyUsedBeyondCapacity) {
  ForecastCache cache(2);
  cache.Insert("a", Answer(1));
  cache.Insert("b", Answer(2));
  ASSERT_NE(cache.Find("a"), nullptr);  // a is now more recent than b
  cache.Insert("c", Answer(3));
  EXPECT_EQ(cache.Find("b"), nullptr);
  EXPECT_NE(cache.Find("a"), nullptr);
  EXPECT_NE(cache.Find("c"), nullptr);
  EXPECT_EQ(cache.stats().entries, 2u);
}

}  // namespace
}  // namespace horizonscale::server

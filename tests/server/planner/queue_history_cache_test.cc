#include "server/planner/queue_history_cache.h"

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'790'000'080);  // 40 s into a minute

planner::QueueSample Sample(absl::Time time, double rate) {
  planner::QueueSample sample;
  sample.time = time;
  sample.arrival_rate = rate;
  sample.mean_service_time = 0.1;
  sample.workers = 3;
  return sample;
}

// A loader that counts its calls and returns two stored samples.
struct CountingLoader {
  int calls = 0;
  QueueHistoryCache::Loader Get() {
    return [this](const std::string&, absl::Time now, absl::Duration) {
      ++calls;
      db::QueueHistory history;
      history.samples = {Sample(now - absl::Minutes(10), 50), Sample(now - absl::Minutes(2), 70)};
      history.last_action =
          planner::LastAction{planner::ScalingAction::kScaleUp, now - absl::Minutes(3), 9};
      return absl::StatusOr<db::QueueHistory>(history);
    };
  }
};

TEST(QueueHistoryCache, LoadsOnceThenServesFromMemoryWithRecordedSamples) {
  QueueHistoryCache cache;
  CountingLoader loader;
  absl::StatusOr<db::QueueHistory> first = cache.Get("q", kNow, absl::Hours(1), loader.Get());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->samples.size(), 2u);

  // Two samples in the current minute average into one cell.
  cache.Record("q", {Sample(kNow, 100), Sample(kNow - absl::Seconds(10), 80)}, std::nullopt);
  absl::StatusOr<db::QueueHistory> second =
      cache.Get("q", kNow + absl::Seconds(5), absl::Hours(1), loader.Get());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(loader.calls, 1);
  ASSERT_EQ(second->samples.size(), 3u);
  EXPECT_DOUBLE_EQ(second->samples[0].arrival_rate, 50);
  EXPECT_DOUBLE_EQ(second->samples[1].arrival_rate, 70);
  EXPECT_DOUBLE_EQ(second->samples[2].arrival_rate, 90);
  EXPECT_LE(second->samples[2].time, kNow + absl::Seconds(5));  // never in the future
  ASSERT_TRUE(second->last_action.has_value());
  EXPECT_EQ(second->last_action->workers, 9);

  const planner::LastAction down{planner::ScalingAction::kScaleDown, kNow, 4};
  cache.Record("q", {}, down);
  EXPECT_EQ(cache.Get("q", kNow, absl::Hours(1), loader.Get())->last_action->workers, 4);
}

TEST(QueueHistoryCache, ReloadsWhenStaleOrAskedForMoreHistory) {
  QueueHistoryCache cache(absl::Minutes(1));
  CountingLoader loader;
  ASSERT_TRUE(cache.Get("q", kNow, absl::Hours(1), loader.Get()).ok());
  ASSERT_TRUE(cache.Get("q", kNow + absl::Seconds(59), absl::Hours(1), loader.Get()).ok());
  EXPECT_EQ(loader.calls, 1);
  ASSERT_TRUE(cache.Get("q", kNow + absl::Seconds(61), absl::Hours(1), loader.Get()).ok());
  EXPECT_EQ(loader.calls, 2);  // stale
  ASSERT_TRUE(cache.Get("q", kNow + absl::Seconds(62), absl::Hours(2), loader.Get()).ok());
  EXPECT_EQ(loader.calls, 3);  // a longer window than was loaded
}

TEST(QueueHistoryCache, MemoryOnlyNeverReloadsAndKeepsWhatWasRecorded) {
  QueueHistoryCache cache(absl::InfiniteDuration());
  CountingLoader loader;
  ASSERT_TRUE(cache.Get("q", kNow, absl::Hours(1), loader.Get()).ok());
  cache.Record("q", {Sample(kNow, 100)}, std::nullopt);
  absl::StatusOr<db::QueueHistory> later =
      cache.Get("q", kNow + absl::Hours(1) - absl::Minutes(1), absl::Hours(2), loader.Get());
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(loader.calls, 1);
  EXPECT_EQ(later->samples.back().arrival_rate, 100);
}

TEST(QueueHistoryCache, EvictsTheLeastRecentlyUsedQueue) {
  QueueHistoryCache cache(absl::Minutes(1), /*max_queues=*/2);
  CountingLoader loader;
  ASSERT_TRUE(cache.Get("a", kNow, absl::Hours(1), loader.Get()).ok());
  ASSERT_TRUE(cache.Get("b", kNow, absl::Hours(1), loader.Get()).ok());
  ASSERT_TRUE(cache.Get("a", kNow, absl::Hours(1), loader.Get()).ok());  // a is recent
  ASSERT_TRUE(cache.Get("c", kNow, absl::Hours(1), loader.Get()).ok());  // evicts b
  EXPECT_EQ(loader.calls, 3);
  ASSERT_TRUE(cache.Get("a", kNow, absl::Hours(1), loader.Get()).ok());
  EXPECT_EQ(loader.calls, 3);
  ASSERT_TRUE(cache.Get("b", kNow, absl::Hours(1), loader.Get()).ok());
  EXPECT_EQ(loader.calls, 4);
}

TEST(QueueHistoryCache, LoaderFailuresAreReturnedAndNotCached) {
  QueueHistoryCache cache;
  int calls = 0;
  auto failing = [&](const std::string&, absl::Time, absl::Duration) {
    ++calls;
    return absl::StatusOr<db::QueueHistory>(absl::UnavailableError("database down"));
  };
  EXPECT_EQ(cache.Get("q", kNow, absl::Hours(1), failing).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(cache.Get("q", kNow, absl::Hours(1), failing).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace horizonscale::server

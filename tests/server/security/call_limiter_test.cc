// Per-identity limits: a token bucket refills at its rate and holds one
// second's worth, answers how long to wait, keeps identities and classes
// apart; compute slots count in and out per identity.
#include "server/security/call_limiter.h"

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

using std::chrono::milliseconds;
using Clock = CallLimiter::Clock;

TEST(CallLimiter, ABucketHoldsOneSecondAndRefillsAtItsRate) {
  CallLimiter limiter;
  const Clock::time_point t0{};
  // 4 calls per second: four go at once, the fifth waits 250 ms.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(limiter.TakeRate("a", MethodClass::kRead, 4, t0), milliseconds(0)) << i;
  }
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kRead, 4, t0), milliseconds(250));
  // 100 ms later: 0.4 of a call back, 150 ms to go.
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kRead, 4, t0 + milliseconds(100)),
            milliseconds(150));
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kRead, 4, t0 + milliseconds(250)), milliseconds(0));
  // A long pause refills to one second's worth, no more.
  const Clock::time_point later = t0 + std::chrono::seconds(60);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(limiter.TakeRate("a", MethodClass::kRead, 4, later), milliseconds(0)) << i;
  }
  EXPECT_GT(limiter.TakeRate("a", MethodClass::kRead, 4, later), milliseconds(0));
}

TEST(CallLimiter, IdentitiesAndClassesHaveBucketsOfTheirOwn) {
  CallLimiter limiter;
  const Clock::time_point t0{};
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kRead, 1, t0), milliseconds(0));
  EXPECT_GT(limiter.TakeRate("a", MethodClass::kRead, 1, t0), milliseconds(0));
  EXPECT_EQ(limiter.TakeRate("b", MethodClass::kRead, 1, t0), milliseconds(0));
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kPlan, 1, t0), milliseconds(0));
}

TEST(CallLimiter, SlowRatesStillAllowOneCallAndZeroClosesTheClass) {
  CallLimiter limiter;
  const Clock::time_point t0{};
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kCompute, 0.5, t0), milliseconds(0));
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kCompute, 0.5, t0), milliseconds(2000));
  EXPECT_EQ(limiter.TakeRate("a", MethodClass::kCompute, 0, t0), std::chrono::minutes(1));
}

TEST(CallLimiter, ComputeSlotsArePerIdentity) {
  CallLimiter limiter;
  EXPECT_TRUE(limiter.EnterCompute("a", 2));
  EXPECT_TRUE(limiter.EnterCompute("a", 2));
  EXPECT_FALSE(limiter.EnterCompute("a", 2));
  EXPECT_TRUE(limiter.EnterCompute("b", 2));
  EXPECT_EQ(limiter.ComputeInFlight("a"), 2);
  limiter.LeaveCompute("a");
  EXPECT_TRUE(limiter.EnterCompute("a", 2));
  EXPECT_FALSE(limiter.EnterCompute("c", 0));
  limiter.LeaveCompute("nobody");  // harmless
  EXPECT_EQ(limiter.ComputeInFlight("nobody"), 0);
}

}  // namespace
}  // namespace horizonscale::server

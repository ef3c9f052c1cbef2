#include "server/common/log.h"

#include <gtest/gtest.h>

namespace horizonscale::server {
namespace {

TEST(LogBody, TextIsLogfmtWithQuotingWhereNeeded) {
  EXPECT_EQ(RenderLogBody(LogFormat::kText, "rpc",
                          {{"method", "/a.B/C"},
                           {"code", "OK"},
                           {"duration_ms", 1.5},
                           {"peer", ""},
                           {"error", "two words"}}),
            R"(rpc method=/a.B/C code=OK duration_ms=1.5 peer="" error="two words")");
}

TEST(LogBody, JsonEscapesStringsAndKeepsNumbersNumeric) {
  EXPECT_EQ(
      RenderLogBody(LogFormat::kJson, "database_unreachable",
                    {{"error", "say \"hi\"\n\tthere\\"}, {"port", 50051}, {"ratio", 0.25}}),
      R"("event":"database_unreachable","error":"say \"hi\"\n\tthere\\","port":50051,"ratio":0.25)");
}

TEST(LogBody, NonFiniteNumbersBecomeStringsInJson) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(RenderLogBody(LogFormat::kJson, "x", {{"v", nan}}), R"("event":"x","v":"NaN")");
}

}  // namespace
}  // namespace horizonscale::server

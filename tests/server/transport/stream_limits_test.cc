// Stream admission (server/transport/stream_limits.h): peer addresses without their
// port, the per-address and global caps, and places freed by ending streams.
#include "server/transport/stream_limits.h"

#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/grpc_client.h"

namespace horizonscale::server {
namespace {

using horizonscale::testing::ErrorInfoReason;

TEST(PeerAddress, DropsThePortOfIpPeers) {
  EXPECT_EQ(PeerAddress("ipv4:10.0.0.7:51234"), "ipv4:10.0.0.7");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:5000"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("ipv6:[2001:db8::1]:443"), "ipv6:[2001:db8::1]");
  EXPECT_EQ(PeerAddress("unix:/tmp/socket"), "unix:/tmp/socket");
  EXPECT_EQ(PeerAddress(""), "");
}

TEST(StreamLimits, CapsStreamsPerAddressWhateverThePort) {
  StreamLimits limits(/*per_peer=*/2, /*total=*/10);
  StreamSlot a, b, c;
  ASSERT_TRUE(limits.Admit("/m", "ipv4:10.0.0.1:1000", a).ok());
  ASSERT_TRUE(limits.Admit("/m", "ipv4:10.0.0.1:1001", b).ok());
  const grpc::Status refused = limits.Admit("/m", "ipv4:10.0.0.1:1002", c);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(ErrorInfoReason(refused), "horizonscale/TOO_MANY_STREAMS");
  EXPECT_NE(refused.error_message().find("2 streams open"), std::string::npos);
  EXPECT_NE(refused.error_message().find("--max_streams_per_peer"), std::string::npos);
  EXPECT_FALSE(c.held());
  // Another address has its own allowance.
  EXPECT_TRUE(limits.Admit("/m", "ipv4:10.0.0.2:1000", c).ok());
  EXPECT_EQ(limits.open("ipv4:10.0.0.1:9"), 2);
  EXPECT_EQ(limits.open(), 3);
  // Ending a stream frees its place.
  a = StreamSlot();
  EXPECT_EQ(limits.open("ipv4:10.0.0.1:9"), 1);
  StreamSlot d;
  EXPECT_TRUE(limits.Admit("/m", "ipv4:10.0.0.1:1003", d).ok());
}

TEST(StreamLimits, CapsStreamsInTotal) {
  StreamLimits limits(/*per_peer=*/10, /*total=*/3);
  std::vector<StreamSlot> slots(3);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(limits.Admit("/m", "ipv4:10.0.0." + std::to_string(i) + ":1", slots[i]).ok());
  }
  StreamSlot extra;
  const grpc::Status refused = limits.Admit("/m", "ipv4:10.0.0.9:1", extra);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(refused.error_message().find("--max_streams"), std::string::npos);
  // A moved slot keeps its place once; destroying both frees it once.
  StreamSlot moved = std::move(slots[0]);
  slots.clear();
  EXPECT_EQ(limits.open(), 1);
  moved = StreamSlot();
  EXPECT_EQ(limits.open(), 0);
}

}  // namespace
}  // namespace horizonscale::server

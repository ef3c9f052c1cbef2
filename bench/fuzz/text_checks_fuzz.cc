// The string checks every request field goes through: IsValidUtf8 agrees
// with protobuf's own UTF-8 validation (what gRPC refuses before a handler),
// and Quoted always yields a short, valid UTF-8 quotation.
#include <string>

#include <google/protobuf/struct.pb.h>

#include "bench/fuzz/fuzz_support.h"
#include "server/common/text_checks.h"

namespace server = horizonscale::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // A proto3 string field (google.protobuf.Value.string_value, field 3)
  // holding `text`, parsed: protobuf accepts it exactly when it is UTF-8.
  std::string wire = "\x1a";
  for (size_t length = text.size();; length >>= 7) {
    wire += static_cast<char>((length & 0x7f) | (length >= 0x80 ? 0x80 : 0));
    if (length < 0x80) break;
  }
  wire += text;
  google::protobuf::Value value;
  const bool protobuf_accepts = value.ParseFromString(wire);
  if (protobuf_accepts != server::IsValidUtf8(text)) __builtin_trap();

  const std::string quoted = server::Quoted(text);
  if (!server::IsValidUtf8(quoted)) __builtin_trap();
  if (quoted.size() > 4 * server::kMaxQuotedBytes + 32) __builtin_trap();
  (void)server::TextProblem(text);
  return 0;
}

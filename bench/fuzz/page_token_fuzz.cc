// Page tokens: any string a client sends as page_token decodes to nothing or
// to a position the server itself encoded (tokens are signed), and every
// decoded position encodes back to the same token.
#include <string>

#include "bench/fuzz/fuzz_support.h"
#include "server/common/page_token.h"

namespace server = horizonscale::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string token(reinterpret_cast<const char*>(data), size);
  if (std::optional<horizonscale::db::PlanCursor> cursor =
          server::DecodePlanPageToken("orders", token)) {
    if (server::EncodePlanPageToken("orders", *cursor) != token) __builtin_trap();
  }
  if (std::optional<int64_t> offset = server::DecodeOffsetPageToken("risk|run|", token)) {
    if (server::EncodeOffsetPageToken("risk|run|", *offset) != token) __builtin_trap();
  }
  return 0;
}

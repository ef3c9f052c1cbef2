// What every libFuzzer target of bench/fuzz shares: parsing the input as a
// request the way gRPC would (a body that does not parse is refused before
// any handler runs, so it ends the iteration), and a quiet log: every target
// links fuzz_support.cc, whose LLVMFuzzerInitialize turns the server's and
// protobuf's logs off (protobuf logs every string field that is not UTF-8;
// targets run millions of iterations).
#pragma once

#include <cstddef>
#include <cstdint>

namespace horizonscale::fuzz {

// Parses `size` bytes at `data` into `message`; false when gRPC would refuse
// them (malformed, or a string field that is not UTF-8).
template <class Message>
bool ParseRequest(const uint8_t* data, size_t size, Message& message) {
  return message.ParseFromArray(data, static_cast<int>(size));
}

}  // namespace horizonscale::fuzz

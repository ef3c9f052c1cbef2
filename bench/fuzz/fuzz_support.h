// What every libFuzzer target of bench/fuzz shares: parsing the input as a
// request the way gRPC would (a body that does not parse is refused before
// any handler runs, so it ends the iteration), and a quiet log.
#pragma once

#include <cstddef>
#include <cstdint>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

namespace horizonscale::fuzz {

// Parses `size` bytes at `data` into `message`; false when gRPC would refuse
// them (malformed, or a string field that is not UTF-8).
template <class Message>
bool ParseRequest(const uint8_t* data, size_t size, Message& message) {
  return message.ParseFromArray(data, static_cast<int>(size));
}

// Turns the server's and protobuf's logs off (protobuf logs every string
// field that is not UTF-8): targets run millions of iterations.
inline void QuietLogs() {
  spdlog::set_level(spdlog::level::off);
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
}

}  // namespace horizonscale::fuzz

#include "bench/fuzz/fuzz_support.h"

#include <string>

#include <google/protobuf/stubs/logging.h>
#include <spdlog/spdlog.h>

// libFuzzer calls this once before the first input (see fuzz_support.h).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  spdlog::set_level(spdlog::level::off);
  google::protobuf::SetLogHandler(
      [](google::protobuf::LogLevel, const char*, int, const std::string&) {});
  return 0;
}

#include "server/common/uuid.h"

#include <cctype>
#include <random>

namespace horizonscale::server {

std::string NewUuid() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const uint64_t high = (generator() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const uint64_t low = (generator() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) text.push_back('-');
    const uint64_t word = i < 16 ? high : low;
    const int shift = 60 - 4 * (i % 16);
    text.push_back(kDigits[(word >> shift) & 0xf]);
  }
  return text;
}

bool IsUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(text[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace horizonscale::server

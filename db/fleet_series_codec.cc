#include "db/fleet_series_codec.h"

#include <bit>
#include <cstring>

#include <absl/strings/str_cat.h>

namespace horizonscale::db {
namespace {

template <typename Word>
void AppendLittleEndian(Word word, std::string& out) {
  for (size_t i = 0; i < sizeof(Word); ++i) {
    out.push_back(static_cast<char>(static_cast<unsigned char>(word >> (8 * i))));
  }
}

template <typename Word>
Word ReadLittleEndian(const char* bytes) {
  Word word = 0;
  for (size_t i = 0; i < sizeof(Word); ++i) {
    word |= static_cast<Word>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return word;
}

// On a little-endian host the stored bytes are the in-memory bytes.
constexpr bool kNativeLittleEndian = std::endian::native == std::endian::little;

}  // namespace

std::string EncodeDays(std::span<const int32_t> days) {
  std::string out;
  if constexpr (kNativeLittleEndian) {
    out.resize(4 * days.size());
    if (!days.empty()) std::memcpy(out.data(), days.data(), out.size());
    return out;
  }
  out.reserve(4 * days.size());
  for (int32_t day : days) AppendLittleEndian(static_cast<uint32_t>(day), out);
  return out;
}

std::string EncodeUtilization(std::span<const double> values) {
  std::string out;
  if constexpr (kNativeLittleEndian) {
    out.resize(8 * values.size());
    if (!values.empty()) std::memcpy(out.data(), values.data(), out.size());
    return out;
  }
  out.reserve(8 * values.size());
  for (double value : values) AppendLittleEndian(std::bit_cast<uint64_t>(value), out);
  return out;
}

absl::Status DecodeSeries(std::string_view days_bytes, std::string_view utilization_bytes,
                          std::vector<int32_t>& days, std::vector<double>& values) {
  if (days_bytes.size() % 4 != 0 || utilization_bytes.size() % 8 != 0 ||
      days_bytes.size() / 4 != utilization_bytes.size() / 8) {
    return absl::DataLossError(absl::StrCat("stored series has ", days_bytes.size(),
                                            " bytes of days and ", utilization_bytes.size(),
                                            " bytes of utilization; want 4 and 8 per day"));
  }
  const size_t count = days_bytes.size() / 4;
  days.resize(count);
  values.resize(count);
  if constexpr (kNativeLittleEndian) {
    if (count > 0) {
      std::memcpy(days.data(), days_bytes.data(), days_bytes.size());
      std::memcpy(values.data(), utilization_bytes.data(), utilization_bytes.size());
    }
  } else {
    for (size_t i = 0; i < count; ++i) {
      days[i] = static_cast<int32_t>(ReadLittleEndian<uint32_t>(days_bytes.data() + 4 * i));
      values[i] =
          std::bit_cast<double>(ReadLittleEndian<uint64_t>(utilization_bytes.data() + 8 * i));
    }
  }
  for (size_t i = 1; i < count; ++i) {
    if (days[i] <= days[i - 1]) {
      return absl::DataLossError(
          absl::StrCat("stored series days are not strictly ascending at entry ", i, " (day ",
                       days[i - 1], " then ", days[i], ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace horizonscale::db

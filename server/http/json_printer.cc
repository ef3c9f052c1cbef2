#include "server/http/json_printer.h"

#include "server/common/json_string.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include <absl/strings/escaping.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;
using Cpp = pb::FieldDescriptor::CppType;

// The RFC 3339 range a Timestamp has in JSON: 0001-01-01 to 9999-12-31.
constexpr int64_t kTimestampMinSeconds = -62'135'596'800;
constexpr int64_t kTimestampMaxSeconds = 253'402'300'799;
// A Duration's range in JSON: about 10,000 years either way.
constexpr int64_t kDurationMaxSeconds = 315'576'000'000;
constexpr int32_t kNanosPerSecond = 1'000'000'000;

template <class Integer>
void AppendInteger(Integer value, std::string& out) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

// A finite floating-point value as protobuf's SimpleDtoa / SimpleFtoa write
// it: printf's %.<digits>g, or %.<exact>g when that does not read back as
// the same value.
template <class Real>
void AppendFinite(Real value, int digits, int exact, std::string& out) {
  char buffer[40];
  auto end =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits).ptr;
  Real back = 0;
  std::from_chars(buffer, end, back);
  if (back != value) {
    end =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, exact).ptr;
  }
  out.append(buffer, end);
}

template <class Real>
void AppendReal(Real value, std::string& out) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else if constexpr (std::is_same_v<Real, float>) {
    AppendFinite(value, 6, 9, out);
  } else {
    AppendFinite(value, 15, 17, out);
  }
}

// `value` zero-padded to `width` digits.
void AppendPadded(int64_t value, int width, std::string& out) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(static_cast<size_t>(std::max<ptrdiff_t>(0, width - (end - buffer))), '0');
  out.append(buffer, end);
}

// ".5", ".500001", ".000000001": a second's fraction in 3, 6 or 9 digits,
// nothing when it is zero.
void AppendNanos(int32_t nanos, std::string& out) {
  if (nanos == 0) return;
  out.push_back('.');
  if (nanos % 1'000'000 == 0) {
    AppendPadded(nanos / 1'000'000, 3, out);
  } else if (nanos % 1'000 == 0) {
    AppendPadded(nanos / 1'000, 6, out);
  } else {
    AppendPadded(nanos, 9, out);
  }
}

bool AppendTimestamp(int64_t seconds, int32_t nanos, std::string& out) {
  if (seconds < kTimestampMinSeconds || seconds > kTimestampMaxSeconds || nanos < 0 ||
      nanos >= kNanosPerSecond) {
    return false;
  }
  const absl::CivilSecond civil =
      absl::ToCivilSecond(absl::FromUnixSeconds(seconds), absl::UTCTimeZone());
  char text[] = "\"0000-00-00T00:00:00";
  const auto put = [&text](int at, int64_t value, int width) {
    for (int i = at + width - 1; i >= at; --i, value /= 10)
      text[i] = static_cast<char>('0' + value % 10);
  };
  put(1, civil.year(), 4);
  put(6, civil.month(), 2);
  put(9, civil.day(), 2);
  put(12, civil.hour(), 2);
  put(15, civil.minute(), 2);
  put(18, civil.second(), 2);
  out.append(text, sizeof text - 1);
  AppendNanos(nanos, out);
  out += "Z\"";
  return true;
}

bool AppendDuration(int64_t seconds, int32_t nanos, std::string& out) {
  if (seconds < -kDurationMaxSeconds || seconds > kDurationMaxSeconds ||
      nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond || (seconds < 0 && nanos > 0) ||
      (seconds > 0 && nanos < 0)) {
    return false;
  }
  out.push_back('"');
  if (seconds < 0 || nanos < 0) out.push_back('-');
  AppendInteger(seconds < 0 ? -seconds : seconds, out);
  AppendNanos(nanos < 0 ? -nanos : nanos, out);
  out += "s\"";
  return true;
}

bool AppendMessage(const pb::Message& message, std::string& out);

// A FieldMask's paths joined by commas, each in lowerCamelCase; false when a
// path is not plain snake_case (protobuf's converter handles those).
bool AppendFieldMask(const pb::Message& message, std::string& out) {
  const pb::Reflection& reflection = *message.GetReflection();
  const pb::FieldDescriptor& paths = *message.GetDescriptor()->field(0);
  std::string joined;
  for (int i = 0; i < reflection.FieldSize(message, &paths); ++i) {
    std::string scratch;
    const std::string& path = reflection.GetRepeatedStringReference(message, &paths, i, &scratch);
    if (i > 0) joined.push_back(',');
    for (size_t at = 0; at < path.size(); ++at) {
      const char c = path[at];
      if (c == '_') {
        if (at + 1 >= path.size() || path[at + 1] < 'a' || path[at + 1] > 'z') return false;
        joined.push_back(static_cast<char>(path[++at] - 'a' + 'A'));
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.') {
        joined.push_back(c);
      } else {
        return false;
      }
    }
  }
  AppendJsonString(joined, out);
  return true;
}

// Field 1 (seconds) and field 2 (nanos) of a Timestamp or Duration.
std::pair<int64_t, int32_t> SecondsAndNanos(const pb::Message& message) {
  const pb::Descriptor& type = *message.GetDescriptor();
  const pb::Reflection& reflection = *message.GetReflection();
  return {reflection.GetInt64(message, type.field(0)), reflection.GetInt32(message, type.field(1))};
}

// One value of `field` (element `index` when it is repeated, -1 otherwise).
bool AppendValue(const pb::Message& message, const pb::FieldDescriptor& field, int index,
                 std::string& out) {
  const pb::Reflection& reflection = *message.GetReflection();
  const bool repeated = index >= 0;
  switch (field.cpp_type()) {
    case Cpp::CPPTYPE_INT32:
      AppendInteger(repeated ? reflection.GetRepeatedInt32(message, &field, index)
                             : reflection.GetInt32(message, &field),
                    out);
      return true;
    case Cpp::CPPTYPE_UINT32:
      AppendInteger(repeated ? reflection.GetRepeatedUInt32(message, &field, index)
                             : reflection.GetUInt32(message, &field),
                    out);
      return true;
    case Cpp::CPPTYPE_INT64:
      out.push_back('"');
      AppendInteger(repeated ? reflection.GetRepeatedInt64(message, &field, index)
                             : reflection.GetInt64(message, &field),
                    out);
      out.push_back('"');
      return true;
    case Cpp::CPPTYPE_UINT64:
      out.push_back('"');
      AppendInteger(repeated ? reflection.GetRepeatedUInt64(message, &field, index)
                             : reflection.GetUInt64(message, &field),
                    out);
      out.push_back('"');
      return true;
    case Cpp::CPPTYPE_DOUBLE:
      AppendReal(repeated ? reflection.GetRepeatedDouble(message, &field, index)
                          : reflection.GetDouble(message, &field),
                 out);
      return true;
    case Cpp::CPPTYPE_FLOAT:
      AppendReal(repeated ? reflection.GetRepeatedFloat(message, &field, index)
                          : reflection.GetFloat(message, &field),
                 out);
      return true;
    case Cpp::CPPTYPE_BOOL:
      out += (repeated ? reflection.GetRepeatedBool(message, &field, index)
                       : reflection.GetBool(message, &field))
                 ? "true"
                 : "false";
      return true;
    case Cpp::CPPTYPE_ENUM: {
      const int number = repeated ? reflection.GetRepeatedEnumValue(message, &field, index)
                                  : reflection.GetEnumValue(message, &field);
      if (field.enum_type() == pb::NullValue_descriptor()) {
        out += "null";
      } else if (const pb::EnumValueDescriptor* value =
                     field.enum_type()->FindValueByNumber(number)) {
        AppendJsonString(value->name(), out);
      } else {
        AppendInteger(number, out);
      }
      return true;
    }
    case Cpp::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& text =
          repeated ? reflection.GetRepeatedStringReference(message, &field, index, &scratch)
                   : reflection.GetStringReference(message, &field, &scratch);
      if (field.type() == pb::FieldDescriptor::TYPE_BYTES) {
        out.push_back('"');
        out += absl::Base64Escape(text);
        out.push_back('"');
      } else {
        AppendJsonString(text, out);
      }
      return true;
    }
    case Cpp::CPPTYPE_MESSAGE:
      return AppendMessage(repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                    : reflection.GetMessage(message, &field),
                           out);
  }
  return false;
}

// A map entry's key as a JSON object key (always a string).
void AppendMapKey(const pb::Message& entry, const pb::FieldDescriptor& key, std::string& out) {
  if (key.cpp_type() == Cpp::CPPTYPE_STRING) {
    AppendValue(entry, key, -1, out);
    return;
  }
  out.push_back('"');
  if (key.cpp_type() == Cpp::CPPTYPE_INT64 || key.cpp_type() == Cpp::CPPTYPE_UINT64) {
    std::string quoted;
    AppendValue(entry, key, -1, quoted);
    out.append(quoted, 1, quoted.size() - 2);  // already a string: unquote
  } else {
    AppendValue(entry, key, -1, out);
  }
  out.push_back('"');
}

// Map entries in the order of their keys (protobuf prints them in its hash
// table's order, which no reader can rely on: sorted, equal maps print the
// same).
void SortByKey(std::vector<const pb::Message*>& entries, const pb::FieldDescriptor& key) {
  const auto before = [&key](const pb::Message* a, const pb::Message* b) {
    const pb::Reflection& r = *a->GetReflection();
    switch (key.cpp_type()) {
      case Cpp::CPPTYPE_INT32:
        return r.GetInt32(*a, &key) < r.GetInt32(*b, &key);
      case Cpp::CPPTYPE_UINT32:
        return r.GetUInt32(*a, &key) < r.GetUInt32(*b, &key);
      case Cpp::CPPTYPE_INT64:
        return r.GetInt64(*a, &key) < r.GetInt64(*b, &key);
      case Cpp::CPPTYPE_UINT64:
        return r.GetUInt64(*a, &key) < r.GetUInt64(*b, &key);
      case Cpp::CPPTYPE_BOOL:
        return r.GetBool(*a, &key) < r.GetBool(*b, &key);
      default: {  // string: the only other type a key has
        std::string scratch_a, scratch_b;
        return r.GetStringReference(*a, &key, &scratch_a) <
               r.GetStringReference(*b, &key, &scratch_b);
      }
    }
  };
  std::sort(entries.begin(), entries.end(), before);
}

bool AppendField(const pb::Message& message, const pb::FieldDescriptor& field, std::string& out) {
  if (!field.is_repeated()) return AppendValue(message, field, -1, out);
  const pb::Reflection& reflection = *message.GetReflection();
  const int size = reflection.FieldSize(message, &field);
  if (field.is_map()) {
    const pb::Descriptor& entry_type = *field.message_type();
    const pb::FieldDescriptor& key = *entry_type.map_key();
    const pb::FieldDescriptor& value = *entry_type.map_value();
    std::vector<const pb::Message*> entries;
    entries.reserve(size);
    for (int i = 0; i < size; ++i)
      entries.push_back(&reflection.GetRepeatedMessage(message, &field, i));
    SortByKey(entries, key);
    out.push_back('{');
    for (const pb::Message* entry_pointer : entries) {
      const pb::Message& entry = *entry_pointer;
      if (&entry != entries.front()) out.push_back(',');
      AppendMapKey(entry, key, out);
      out.push_back(':');
      if (!AppendValue(entry, value, -1, out)) return false;
    }
    out.push_back('}');
    return true;
  }
  out.push_back('[');
  for (int i = 0; i < size; ++i) {
    if (i > 0) out.push_back(',');
    if (!AppendValue(message, field, i, out)) return false;
  }
  out.push_back(']');
  return true;
}

bool AppendMessage(const pb::Message& message, std::string& out) {
  const pb::Descriptor& type = *message.GetDescriptor();
  switch (type.well_known_type()) {
    case pb::Descriptor::WELLKNOWNTYPE_UNSPECIFIED:
      break;  // a message printed field by field (google.protobuf.Empty too)
    case pb::Descriptor::WELLKNOWNTYPE_TIMESTAMP: {
      const auto [seconds, nanos] = SecondsAndNanos(message);
      return AppendTimestamp(seconds, nanos, out);
    }
    case pb::Descriptor::WELLKNOWNTYPE_DURATION: {
      const auto [seconds, nanos] = SecondsAndNanos(message);
      return AppendDuration(seconds, nanos, out);
    }
    case pb::Descriptor::WELLKNOWNTYPE_FIELDMASK:
      return AppendFieldMask(message, out);
    default:
      return false;  // left to protobuf's converter
  }
  std::vector<const pb::FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  out.push_back('{');
  bool first = true;
  for (const pb::FieldDescriptor* field : fields) {
    if (field->is_extension()) continue;  // proto3 has none; protobuf prints none
    if (!first) out.push_back(',');
    first = false;
    AppendJsonString(field->json_name(), out);
    out.push_back(':');
    if (!AppendField(message, *field, out)) return false;
  }
  out.push_back('}');
  return true;
}

}  // namespace

bool AppendCanonicalJson(const google::protobuf::Message& message, std::string& out) {
  return AppendMessage(message, out);
}

}  // namespace horizonscale::server

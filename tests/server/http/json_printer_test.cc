// The JSON bridge's printer against protobuf's own: for every message type
// of both services, messages filled at random (every field, nested types,
// maps, enums known and unknown, edge doubles, strings needing escapes,
// timestamps and durations of every precision) print to the same bytes as
// MessageToJsonString; values with no JSON form and types left to protobuf
// are refused, not printed wrong.
#include "server/http/json_printer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <set>

#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/duration.pb.h>
#include <google/protobuf/field_mask.pb.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>

#include "externalscaler/externalscaler.pb.h"
#include "horizonscale/v1/fleet_service.pb.h"
#include "horizonscale/v1/planner_service.pb.h"

namespace horizonscale::server {
namespace {

namespace pb = google::protobuf;
using Cpp = pb::FieldDescriptor::CppType;

std::string Protobufs(const pb::Message& message) {
  std::string json;
  const pb::util::Status status = pb::util::MessageToJsonString(message, &json);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return json;
}

std::string Ours(const pb::Message& message) {
  std::string json;
  EXPECT_TRUE(AppendCanonicalJson(message, json)) << message.GetTypeName();
  return json;
}

// Values a filled field takes: the edges of each type's JSON form.
const double kDoubles[] = {0.1,
                           1.0 / 3,
                           100,
                           -2.5,
                           1e21,
                           1e-7,
                           123456789012345678.0,
                           0.30000000000000004,
                           5e-324,
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::min(),
                           -0.0,
                           std::numeric_limits<double>::quiet_NaN(),
                           std::numeric_limits<double>::infinity(),
                           -std::numeric_limits<double>::infinity()};
const char* const kStrings[] = {"web-pool",
                                "quote \" backslash \\ slash /",
                                "<script>&amp;</script>",
                                "tab\tnew\nline\rcr\bbs\fff\x01\x1f\x7f",
                                "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x88",  // é € 📈
                                "\xc2\x85 \xc2\xad \xe2\x80\x8b \xe2\x80\xa8 \xef\xbb\xbf",
                                "\xd8\x80 \xdb\x9d \xe2\x81\xa0 \xf3\xa0\x80\x81 \xf0\x9d\x85\xb3",
                                ""};

class Filler {
 public:
  explicit Filler(uint32_t seed) : random_(seed) {}

  // Sets every field of `message` (each with probability 3/4) down to
  // `depth` levels of nested messages.
  void Fill(pb::Message& message, int depth) {
    const pb::Descriptor& type = *message.GetDescriptor();
    if (type.full_name() == "google.protobuf.Timestamp") {
      FillTime(message, Pick<int64_t>({0, 1'700'000'000, -1, 253'402'300'799, -62'135'596'800}));
      return;
    }
    if (type.full_name() == "google.protobuf.Duration") {
      const int64_t seconds = Pick<int64_t>({0, 1, 300, -5, 315'576'000'000, -315'576'000'000});
      FillTime(message, seconds);
      return;
    }
    if (type.full_name() == "google.protobuf.FieldMask") {
      const int count = static_cast<int>(random_() % 3);
      for (int n = 0; n < count; ++n) {
        message.GetReflection()->AddString(&message, type.field(0),
                                           Pick<const char*>({"slo", "config.max_workers"}));
      }
      return;
    }
    for (int i = 0; i < type.field_count(); ++i) {
      const pb::FieldDescriptor& field = *type.field(i);
      if (random_() % 4 == 0) continue;
      if (!field.is_repeated()) {
        SetOne(message, field, depth);
        continue;
      }
      // One map entry at most: protobuf prints a map in its hash table's
      // order (MapsPrintInKeyOrder checks ours).
      const int count = static_cast<int>(random_() % (field.is_map() ? 2 : 4));
      for (int n = 0; n < count; ++n) AddOne(message, field, depth);
    }
  }

 private:
  template <class T>
  T Pick(std::initializer_list<T> values) {
    return *(values.begin() + random_() % values.size());
  }

  // Seconds as given; nanos of 0, 3, 6 or 9 digits with the seconds' sign
  // (a Duration's rule; a Timestamp's nanos are never negative).
  void FillTime(pb::Message& message, int64_t seconds) {
    const pb::Reflection& reflection = *message.GetReflection();
    const pb::Descriptor& type = *message.GetDescriptor();
    int32_t nanos = Pick<int32_t>({0, 500'000'000, 1'000, 123'456'000, 1, 999'999'999});
    const bool duration = type.full_name() == "google.protobuf.Duration";
    if (duration && seconds < 0) nanos = -nanos;
    if (duration && seconds == 0 && random_() % 2 == 0) nanos = -nanos;
    if (!duration && std::abs(seconds) > 250'000'000'000) nanos = 0;  // stay in range
    if (duration && std::abs(seconds) == 315'576'000'000) nanos = 0;
    reflection.SetInt64(&message, type.field(0), seconds);
    reflection.SetInt32(&message, type.field(1), nanos);
  }

  int EnumNumber(const pb::FieldDescriptor& field) {
    const pb::EnumDescriptor& type = *field.enum_type();
    if (random_() % 8 == 0) return 97;  // a number the enum does not name
    return type.value(static_cast<int>(random_() % type.value_count()))->number();
  }

  std::string Text() { return kStrings[random_() % std::size(kStrings)]; }

  void SetOne(pb::Message& message, const pb::FieldDescriptor& field, int depth) {
    const pb::Reflection& r = *message.GetReflection();
    switch (field.cpp_type()) {
      case Cpp::CPPTYPE_INT32:
        return r.SetInt32(&message, &field, Pick<int32_t>({0, 1, -7, 2'147'483'647}));
      case Cpp::CPPTYPE_UINT32:
        return r.SetUInt32(&message, &field, Pick<uint32_t>({0, 3, 4'294'967'295u}));
      case Cpp::CPPTYPE_INT64:
        return r.SetInt64(&message, &field,
                          Pick<int64_t>({0, 42, -9'223'372'036'854'775'807 - 1, 1'000'000}));
      case Cpp::CPPTYPE_UINT64:
        return r.SetUInt64(&message, &field, Pick<uint64_t>({0, 18'446'744'073'709'551'615u}));
      case Cpp::CPPTYPE_DOUBLE:
        return r.SetDouble(&message, &field, kDoubles[random_() % std::size(kDoubles)]);
      case Cpp::CPPTYPE_FLOAT:
        return r.SetFloat(&message, &field, Pick<float>({0.1f, 1e30f, -3.25f}));
      case Cpp::CPPTYPE_BOOL:
        return r.SetBool(&message, &field, random_() % 2 == 0);
      case Cpp::CPPTYPE_ENUM:
        return r.SetEnumValue(&message, &field, EnumNumber(field));
      case Cpp::CPPTYPE_STRING:
        return r.SetString(&message, &field,
                           field.type() == pb::FieldDescriptor::TYPE_BYTES ? "\x00\xff?>" : Text());
      case Cpp::CPPTYPE_MESSAGE:
        if (depth > 0) Fill(*r.MutableMessage(&message, &field), depth - 1);
        return;
    }
  }

  void AddOne(pb::Message& message, const pb::FieldDescriptor& field, int depth) {
    const pb::Reflection& r = *message.GetReflection();
    switch (field.cpp_type()) {
      case Cpp::CPPTYPE_INT32:
        return r.AddInt32(&message, &field, -3);
      case Cpp::CPPTYPE_UINT32:
        return r.AddUInt32(&message, &field, 3);
      case Cpp::CPPTYPE_INT64:
        return r.AddInt64(&message, &field, -9'000'000'000);
      case Cpp::CPPTYPE_UINT64:
        return r.AddUInt64(&message, &field, 9'000'000'000);
      case Cpp::CPPTYPE_DOUBLE:
        return r.AddDouble(&message, &field, kDoubles[random_() % std::size(kDoubles)]);
      case Cpp::CPPTYPE_FLOAT:
        return r.AddFloat(&message, &field, 2.5f);
      case Cpp::CPPTYPE_BOOL:
        return r.AddBool(&message, &field, true);
      case Cpp::CPPTYPE_ENUM:
        return r.AddEnumValue(&message, &field, EnumNumber(field));
      case Cpp::CPPTYPE_STRING:
        return r.AddString(&message, &field, Text());
      case Cpp::CPPTYPE_MESSAGE:
        if (depth > 0 || field.is_map()) Fill(*r.AddMessage(&message, &field), depth - 1);
        return;
    }
  }

  std::mt19937 random_;
};

// Every message type declared in the services' files and the files they
// import from the same packages.
std::vector<const pb::Descriptor*> MessageTypes() {
  std::vector<const pb::FileDescriptor*> files = {
      v1::GeneratePlanRequest::descriptor()->file(),
      v1::IngestTelemetryRequest::descriptor()->file(),
      externalscaler::ScaledObjectRef::descriptor()->file()};
  std::set<const pb::FileDescriptor*> seen(files.begin(), files.end());
  std::vector<const pb::Descriptor*> types;
  for (size_t i = 0; i < files.size(); ++i) {
    const pb::FileDescriptor& file = *files[i];
    for (int d = 0; d < file.dependency_count(); ++d) {
      const pb::FileDescriptor* dependency = file.dependency(d);
      if (dependency->package() == file.package() && seen.insert(dependency).second) {
        files.push_back(dependency);
      }
    }
    std::vector<const pb::Descriptor*> pending;
    for (int m = 0; m < file.message_type_count(); ++m) pending.push_back(file.message_type(m));
    while (!pending.empty()) {
      const pb::Descriptor* type = pending.back();
      pending.pop_back();
      if (!type->options().map_entry()) types.push_back(type);
      for (int n = 0; n < type->nested_type_count(); ++n) pending.push_back(type->nested_type(n));
    }
  }
  return types;
}

TEST(JsonPrinter, PrintsEveryMessageTypeAsProtobufDoes) {
  const std::vector<const pb::Descriptor*> types = MessageTypes();
  ASSERT_GT(types.size(), 60u);  // both services' requests, responses and parts
  uint32_t seed = 1;
  int compared = 0;
  for (const pb::Descriptor* type : types) {
    const pb::Message& prototype = *pb::MessageFactory::generated_factory()->GetPrototype(type);
    for (int round = 0; round < 40; ++round, ++seed) {
      std::unique_ptr<pb::Message> message(prototype.New());
      Filler(seed).Fill(*message, 3);
      ASSERT_EQ(Ours(*message), Protobufs(*message))
          << type->full_name() << " seed " << seed << ": " << message->ShortDebugString();
      ++compared;
    }
  }
  EXPECT_EQ(compared, static_cast<int>(types.size()) * 40);
}

TEST(JsonPrinter, WritesEdgeValuesAsTheJsonMappingSays) {
  v1::QueueMetrics metrics;
  metrics.set_arrival_rate_per_second(0.1);
  metrics.set_mean_service_time_seconds(5e-324);
  EXPECT_EQ(Ours(metrics),
            R"({"arrivalRatePerSecond":0.1,"meanServiceTimeSeconds":4.94065645841247e-324})");
  metrics.set_arrival_rate_per_second(std::numeric_limits<double>::quiet_NaN());
  metrics.set_mean_service_time_seconds(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(Ours(metrics),
            R"({"arrivalRatePerSecond":"NaN","meanServiceTimeSeconds":"-Infinity"})");

  pb::Duration duration;
  duration.set_seconds(0);
  duration.set_nanos(-500'000'000);
  EXPECT_EQ(Ours(duration), R"("-0.500s")");
  pb::Timestamp timestamp;
  timestamp.set_seconds(1'700'000'000);
  timestamp.set_nanos(1'000);
  EXPECT_EQ(Ours(timestamp), R"("2023-11-14T22:13:20.000001Z")");
}

TEST(JsonPrinter, MapsPrintInKeyOrderAndReadBackEqual) {
  externalscaler::ScaledObjectRef ref;
  auto& metadata = *ref.mutable_scalermetadata();
  for (const char* key : {"queue", "basis", "zone", "address", "metric"}) metadata[key] = key;
  const std::string json = Ours(ref);
  EXPECT_EQ(json, R"({"scalerMetadata":{"address":"address","basis":"basis","metric":"metric",)"
                  R"("queue":"queue","zone":"zone"}})");
  externalscaler::ScaledObjectRef back;
  ASSERT_TRUE(pb::util::JsonStringToMessage(json, &back).ok());
  EXPECT_EQ(back.scalermetadata().size(), 5u);
  EXPECT_EQ(back.scalermetadata().at("zone"), "zone");
}

TEST(JsonPrinter, RefusesWhatHasNoJsonFormAndTypesLeftToProtobuf) {
  std::string out;
  pb::Timestamp year_ten_thousand;
  year_ten_thousand.set_seconds(253'402'300'800);
  EXPECT_FALSE(AppendCanonicalJson(year_ten_thousand, out));
  pb::Duration mixed_signs;
  mixed_signs.set_seconds(1);
  mixed_signs.set_nanos(-1);
  EXPECT_FALSE(AppendCanonicalJson(mixed_signs, out));
  pb::FieldMask camel_path;
  camel_path.add_paths("config.maxWorkers");  // protobuf's converter judges these
  EXPECT_FALSE(AppendCanonicalJson(camel_path, out));
  pb::Struct structure;
  (*structure.mutable_fields())["a"].set_number_value(1);
  EXPECT_FALSE(AppendCanonicalJson(structure, out));
}

}  // namespace
}  // namespace horizonscale::server

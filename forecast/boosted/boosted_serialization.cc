// BoostedFleetModel::Serialize and ::Load. The layout, every integer
// little-endian, doubles as their IEEE-754 bits:
//   8  magic "HSBOOST\n"
//   4  format version (kFormatVersion)
//   4  feature version (internal::kBoostedFeatureVersion)
//   4  number of features
//   1  yearly_features (0 or 1)         1  per_group_models (0 or 1)
//   4  trees          4  max_depth        8  learning_rate
//   4  threads        8  seed             4  training_window_days
//   8  max_training_rows                  8  training rows
//   4  number of models, then per model in ascending group:
//      4  group (two's complement, -1: all groups)
//      8  length of the XGBoost model, then the model (UBJSON)
//   8  FNV-1a 64 checksum of every byte before it
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>

#include "forecast/boosted/boosted_fleet_model.h"
#include "forecast/boosted/internal/boosted_features.h"
#include "forecast/boosted/internal/boosted_validation.h"
#include "forecast/boosted/internal/boosted_xgboost.h"

namespace horizonscale::forecast {
namespace {

constexpr std::string_view kMagic = "HSBOOST\n";
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kChecksumSize = 8;

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

void PutUint(std::string& out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Reads fixed-size little-endian fields from the front of a byte string.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  std::optional<uint64_t> Uint(int size) {
    if (bytes_.size() < static_cast<size_t>(size)) return std::nullopt;
    uint64_t value = 0;
    for (int i = 0; i < size; ++i) {
      value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[i])) << (8 * i);
    }
    bytes_.remove_prefix(static_cast<size_t>(size));
    return value;
  }
  // Drops `size` bytes (at most rest().size()).
  void Skip(uint64_t size) { bytes_.remove_prefix(static_cast<size_t>(size)); }
  [[nodiscard]] std::string_view rest() const { return bytes_; }

 private:
  std::string_view bytes_;
};

absl::Status Corrupt(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("not a valid BoostedFleetModel: ", what));
}

}  // namespace

std::string BoostedFleetModel::Serialize() const {
  const internal::BoostedFeatureSpec spec{.yearly = options_.yearly_features};
  std::string out(kMagic);
  PutUint(out, kFormatVersion, 4);
  PutUint(out, internal::kBoostedFeatureVersion, 4);
  PutUint(out, static_cast<uint32_t>(spec.num_features()), 4);
  PutUint(out, options_.yearly_features ? 1 : 0, 1);
  PutUint(out, options_.per_group_models ? 1 : 0, 1);
  PutUint(out, static_cast<uint32_t>(options_.trees), 4);
  PutUint(out, static_cast<uint32_t>(options_.max_depth), 4);
  PutUint(out, std::bit_cast<uint64_t>(options_.learning_rate), 8);
  PutUint(out, static_cast<uint32_t>(options_.threads), 4);
  PutUint(out, options_.seed, 8);
  PutUint(out, static_cast<uint32_t>(options_.training_window_days), 4);
  PutUint(out, static_cast<uint64_t>(options_.max_training_rows), 8);
  PutUint(out, static_cast<uint64_t>(training_rows_), 8);
  PutUint(out, models_.size(), 4);
  for (const GroupModel& model : models_) {
    absl::StatusOr<std::string> bytes = model.booster->Save();
    if (!bytes.ok()) return {};
    PutUint(out, static_cast<uint32_t>(model.group), 4);
    PutUint(out, bytes->size(), 8);
    out += *bytes;
  }
  PutUint(out, Fnv1a64(out), 8);
  return out;
}

absl::StatusOr<BoostedFleetModel> BoostedFleetModel::Load(std::string_view bytes) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
    return Corrupt("missing magic bytes \"HSBOOST\"");
  }
  if (bytes.size() < kMagic.size() + kChecksumSize) return Corrupt("truncated");
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumSize);
  if (Reader(bytes.substr(body.size())).Uint(8) != Fnv1a64(body)) {
    return Corrupt("checksum mismatch (truncated or corrupted bytes)");
  }
  Reader reader(body.substr(kMagic.size()));
  const auto format_version = reader.Uint(4);
  const auto feature_version = reader.Uint(4);
  const auto num_features = reader.Uint(4);
  const auto yearly = reader.Uint(1);
  const auto per_group = reader.Uint(1);
  const auto trees = reader.Uint(4);
  const auto max_depth = reader.Uint(4);
  const auto learning_rate = reader.Uint(8);
  const auto threads = reader.Uint(4);
  const auto seed = reader.Uint(8);
  const auto window = reader.Uint(4);
  const auto max_rows = reader.Uint(8);
  const auto training_rows = reader.Uint(8);
  const auto model_count = reader.Uint(4);
  if (!model_count.has_value()) return Corrupt("header truncated");
  if (*format_version != kFormatVersion) {
    return Corrupt(
        absl::StrCat("format version ", *format_version, ", this build reads ", kFormatVersion));
  }
  if (*feature_version != static_cast<uint64_t>(internal::kBoostedFeatureVersion)) {
    return Corrupt(absl::StrCat("feature version ", *feature_version, ", this build computes ",
                                internal::kBoostedFeatureVersion));
  }
  if (*yearly > 1 || *per_group > 1) {
    return Corrupt(
        absl::StrCat("flags yearly_features ", *yearly, ", per_group_models ", *per_group));
  }
  BoostedOptions options;
  options.yearly_features = *yearly == 1;
  options.per_group_models = *per_group == 1;
  options.trees = static_cast<int32_t>(*trees);
  options.max_depth = static_cast<int32_t>(*max_depth);
  options.learning_rate = std::bit_cast<double>(*learning_rate);
  options.threads = static_cast<int32_t>(*threads);
  options.seed = *seed;
  options.training_window_days = static_cast<int32_t>(*window);
  options.max_training_rows = static_cast<int64_t>(*max_rows);
  if (absl::Status status = internal::ValidateBoostedOptions(options); !status.ok()) {
    return Corrupt(absl::StrCat("options: ", status.message()));
  }
  const internal::BoostedFeatureSpec spec{.yearly = options.yearly_features};
  if (*num_features != static_cast<uint64_t>(spec.num_features())) {
    return Corrupt(absl::StrCat(*num_features, " features in the header, the feature spec has ",
                                spec.num_features()));
  }
  if (*model_count == 0 || (!options.per_group_models && *model_count != 1)) {
    return Corrupt(absl::StrCat(*model_count, " models"));
  }
  std::vector<GroupModel> models;
  for (uint64_t m = 0; m < *model_count; ++m) {
    const auto group = reader.Uint(4);
    const auto length = reader.Uint(8);
    if (!length.has_value() || *length > reader.rest().size()) {
      return Corrupt(absl::StrCat("model ", m, " truncated"));
    }
    const auto group_value = static_cast<int32_t>(static_cast<uint32_t>(*group));
    const bool group_ok =
        options.per_group_models
            ? group_value >= 0 && (models.empty() || group_value > models.back().group)
            : group_value == kAllGroups;
    if (!group_ok) return Corrupt(absl::StrCat("model ", m, " has group ", group_value));
    absl::StatusOr<internal::XgbBooster> booster =
        internal::XgbBooster::Load(reader.rest().substr(0, *length), options.threads);
    if (!booster.ok()) return Corrupt(std::string(booster.status().message()));
    if (booster->num_features() != spec.num_features() || booster->rounds() != options.trees) {
      return Corrupt(absl::StrCat("XGBoost model ", m, " has ", booster->num_features(),
                                  " features and ", booster->rounds(), " trees, the header says ",
                                  spec.num_features(), " and ", options.trees));
    }
    models.push_back(
        {.group = group_value,
         .booster = std::make_shared<const internal::XgbBooster>(*std::move(booster))});
    reader.Skip(*length);
  }
  if (!reader.rest().empty()) {
    return Corrupt(absl::StrCat(reader.rest().size(), " bytes after the last model"));
  }
  return BoostedFleetModel(std::move(models), options, static_cast<int64_t>(*training_rows));
}

}  // namespace horizonscale::forecast

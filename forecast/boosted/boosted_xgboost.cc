#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/strings/str_cat.h>
#include <xgboost/c_api.h>

#include "forecast/boosted/internal/boosted_xgboost.h"

namespace horizonscale::forecast::internal {
namespace {

// A failed C API call as a status with XGBoost's own message.
absl::Status XgbError(absl::StatusCode code, const std::string& call) {
  return {code, absl::StrCat("XGBoost ", call, " failed: ", XGBGetLastError())};
}

struct DMatrixDeleter {
  void operator()(void* handle) const { XGDMatrixFree(handle); }
};
using DMatrixPtr = std::unique_ptr<void, DMatrixDeleter>;

// Prediction settings for XGBoosterPredictFromDense: plain values, all trees.
// XGBoost 1.7 requires "cache_id" (undocumented).
constexpr char kPredictConfig[] =
    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
    R"("strict_shape": false, "cache_id": 0, "missing": NaN})";

// The __array_interface__ JSON of a row-major float32 matrix.
std::string ArrayInterface(const float* data, int64_t rows, int cols) {
  return absl::StrCat(R"({"data": [)", reinterpret_cast<uintptr_t>(data), R"(, true], "shape": [)",
                      rows, ", ", cols, R"(], "typestr": "<f4", "version": 3})");
}

}  // namespace

void XgbBooster::Deleter::operator()(void* handle) const { XGBoosterFree(handle); }

absl::StatusOr<XgbBooster> XgbBooster::Train(std::span<const float> features,
                                             std::span<const float> labels, int64_t rows, int cols,
                                             const XgbTrainParams& params) {
  if (rows <= 0 || cols <= 0 || features.size() != static_cast<size_t>(rows) * cols ||
      labels.size() != static_cast<size_t>(rows)) {
    return absl::InternalError(absl::StrCat("XGBoost training set of ", rows, " × ", cols,
                                            " does not match ", features.size(), " features and ",
                                            labels.size(), " labels"));
  }
  DMatrixHandle raw_matrix = nullptr;
  if (XGDMatrixCreateFromMat_omp(
          features.data(), static_cast<bst_ulong>(rows), static_cast<bst_ulong>(cols),
          std::numeric_limits<float>::quiet_NaN(), &raw_matrix, params.threads) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGDMatrixCreateFromMat_omp");
  }
  DMatrixPtr matrix(raw_matrix);
  if (XGDMatrixSetFloatInfo(matrix.get(), "label", labels.data(), static_cast<bst_ulong>(rows)) !=
      0) {
    return XgbError(absl::StatusCode::kInternal, "XGDMatrixSetFloatInfo(label)");
  }
  BoosterHandle raw_booster = nullptr;
  DMatrixHandle matrices[] = {matrix.get()};
  if (XGBoosterCreate(matrices, 1, &raw_booster) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterCreate");
  }
  XgbBooster booster(raw_booster);
  const std::pair<const char*, std::string> settings[] = {
      {"verbosity", "0"},
      {"tree_method", "hist"},
      {"objective", params.objective},
      {"max_depth", std::to_string(params.max_depth)},
      {"eta", absl::StrCat(params.learning_rate)},
      {"max_bin", std::to_string(params.max_bin)},
      {"seed", std::to_string(params.seed)},
      {"base_score", absl::StrCat(params.base_score)},
      {"nthread", std::to_string(params.threads)},
  };
  for (const auto& [name, value] : settings) {
    if (XGBoosterSetParam(booster.handle_.get(), name, value.c_str()) != 0) {
      return XgbError(absl::StatusCode::kInternal, absl::StrCat("XGBoosterSetParam(", name, ")"));
    }
  }
  for (int round = 0; round < params.trees; ++round) {
    if (XGBoosterUpdateOneIter(booster.handle_.get(), round, matrix.get()) != 0) {
      return XgbError(absl::StatusCode::kInternal, "XGBoosterUpdateOneIter");
    }
  }
  if (absl::Status status = booster.Finish(params.threads); !status.ok()) return status;
  return booster;
}

absl::StatusOr<XgbBooster> XgbBooster::Load(std::string_view bytes, int threads) {
  BoosterHandle raw_booster = nullptr;
  if (XGBoosterCreate(nullptr, 0, &raw_booster) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterCreate");
  }
  XgbBooster booster(raw_booster);
  if (XGBoosterSetParam(booster.handle_.get(), "verbosity", "0") != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterSetParam(verbosity)");
  }
  if (XGBoosterLoadModelFromBuffer(booster.handle_.get(), bytes.data(),
                                   static_cast<bst_ulong>(bytes.size())) != 0) {
    return XgbError(absl::StatusCode::kInvalidArgument, "XGBoosterLoadModelFromBuffer");
  }
  if (absl::Status status = booster.Finish(threads); !status.ok()) return status;
  return booster;
}

absl::Status XgbBooster::Finish(int threads) {
  if (XGBoosterSetParam(handle_.get(), "nthread", std::to_string(threads).c_str()) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterSetParam(nthread)");
  }
  bst_ulong features = 0;
  if (XGBoosterGetNumFeature(handle_.get(), &features) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterGetNumFeature");
  }
  int rounds = 0;
  if (XGBoosterBoostedRounds(handle_.get(), &rounds) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterBoostedRounds");
  }
  if (features == 0 || features > 1'000'000) {
    return absl::InvalidArgumentError(
        absl::StrCat("XGBoost model has an unusable feature count ", features));
  }
  num_features_ = static_cast<int>(features);
  rounds_ = rounds;
  // One prediction configures the learner now, so that concurrent const
  // Predict calls later find nothing left to configure.
  std::vector<float> row(num_features_, 0.0F);
  float out = 0;
  return Predict(row, 1, std::span<float>(&out, 1));
}

absl::Status XgbBooster::Predict(std::span<const float> features, int64_t rows,
                                 std::span<float> out) const {
  if (features.size() != static_cast<size_t>(rows) * num_features_ ||
      out.size() != static_cast<size_t>(rows)) {
    return absl::InternalError(absl::StrCat("XGBoost prediction of ", rows, " rows × ",
                                            num_features_, " features given ", features.size(),
                                            " values and room for ", out.size()));
  }
  if (rows == 0) return absl::OkStatus();
  const std::string array = ArrayInterface(features.data(), rows, num_features_);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(handle_.get(), array.c_str(), kPredictConfig, nullptr, &shape,
                                &dims, &result) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterPredictFromDense");
  }
  bst_ulong count = dims == 0 ? 0 : 1;
  for (bst_ulong d = 0; d < dims; ++d) count *= shape[d];
  if (count != static_cast<bst_ulong>(rows)) {
    return absl::InternalError(
        absl::StrCat("XGBoost predicted ", count, " values for ", rows, " rows"));
  }
  std::copy(result, result + rows, out.begin());
  return absl::OkStatus();
}

absl::StatusOr<std::string> XgbBooster::Save() const {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  if (XGBoosterSaveModelToBuffer(handle_.get(), R"({"format": "ubj"})", &length, &bytes) != 0) {
    return XgbError(absl::StatusCode::kInternal, "XGBoosterSaveModelToBuffer");
  }
  return std::string(bytes, length);
}

}  // namespace horizonscale::forecast::internal

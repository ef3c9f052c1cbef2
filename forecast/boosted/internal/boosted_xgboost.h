// A thin owner of one XGBoost booster through the C API (libxgboost 1.7):
// train on a dense float matrix, predict in place, save to / load from a
// buffer. Every C API failure becomes an absl::Status carrying
// XGBGetLastError(). No XGBoost type leaks out of this header.
//
// Thread safety: after Train or Load returns, Predict and Save may be called
// from several threads at once (XGBoost's in-place prediction keeps its
// output in thread-local storage, and the booster is configured before it is
// returned).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

namespace horizonscale::forecast::internal {

// How to grow the trees (XGBoost's "hist" method).
struct XgbTrainParams {
  int trees = 100;
  int max_depth = 4;
  double learning_rate = 0.1;
  // OpenMP threads for training and prediction; 0: XGBoost's default (all).
  int threads = 0;
  uint64_t seed = 0;
  // Histogram bins per feature.
  int max_bin = 256;
  // XGBoost objective, e.g. "reg:squarederror", "reg:pseudohubererror".
  std::string objective = "reg:squarederror";
  // Initial prediction (XGBoost 1.7 does not estimate it).
  double base_score = 0;
};

class XgbBooster {
 public:
  XgbBooster(XgbBooster&&) = default;
  XgbBooster& operator=(XgbBooster&&) = default;

  // Trains `params.trees` rounds on `features` (rows × cols, row-major, no
  // missing values) against `labels` (rows). INTERNAL with XGBoost's message
  // when a C API call fails.
  static absl::StatusOr<XgbBooster> Train(std::span<const float> features,
                                          std::span<const float> labels, int64_t rows, int cols,
                                          const XgbTrainParams& params);

  // A booster from bytes written by Save, predicting with `threads` threads
  // (0: all). INVALID_ARGUMENT with XGBoost's message when it refuses them.
  static absl::StatusOr<XgbBooster> Load(std::string_view bytes, int threads);

  // Predicts the rows of `features` (rows × num_features(), row-major) into
  // `out` (rows). INTERNAL with XGBoost's message on failure.
  absl::Status Predict(std::span<const float> features, int64_t rows, std::span<float> out) const;

  // The model in XGBoost's UBJSON format.
  absl::StatusOr<std::string> Save() const;

  // Number of feature columns the booster was trained on.
  int num_features() const { return num_features_; }
  // Number of boosting rounds (trees) in the model.
  int rounds() const { return rounds_; }

 private:
  struct Deleter {
    void operator()(void* handle) const;
  };
  explicit XgbBooster(void* handle) : handle_(handle) {}
  // Reads num_features_ and rounds_, sets the thread count and configures the
  // booster (a first prediction) so that later const calls never mutate it.
  absl::Status Finish(int threads);

  std::unique_ptr<void, Deleter> handle_;
  int num_features_ = 0;
  int rounds_ = 0;
};

}  // namespace horizonscale::forecast::internal

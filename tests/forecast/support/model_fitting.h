// Small helpers for tests that fit models through FitModel
// (forecast/model.h).
#pragma once

#include <cmath>
#include <memory>
#include <span>
#include <string>

#include <gtest/gtest.h>

#include "forecast/model.h"

namespace horizonscale::forecast::testing {

// FitModel's model, or null after recording the error as a test failure.
inline std::unique_ptr<FittedModel> FitOrDie(ModelKind kind, std::span<const double> values,
                                             const ModelOptions& options) {
  absl::StatusOr<std::unique_ptr<FittedModel>> model = FitModel(kind, values, options);
  EXPECT_TRUE(model.ok()) << model.status();
  return model.ok() ? std::move(*model) : nullptr;
}

// The model's parameter `name`, or NaN after recording a test failure.
inline double Parameter(const FittedModel& model, const std::string& name) {
  for (const auto& [key, value] : model.parameters()) {
    if (key == name) return value;
  }
  ADD_FAILURE() << "no parameter " << name;
  return NAN;
}

}  // namespace horizonscale::forecast::testing

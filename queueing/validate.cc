// Validation of PoolSpec and CapacityTarget: every error names the field.
#include "queueing/internal/validate.h"

#include <cmath>

#include <absl/strings/str_cat.h>

namespace horizonscale::queueing::internal {

// See internal/validate.h: first bad field of `pool`, named, with its value.
absl::Status ValidatePool(const PoolSpec& pool, bool check_workers) {
  switch (pool.model) {
    case Model::kMM1:
    case Model::kMMc:
    case Model::kMMcK:
    case Model::kMGc:
      break;
    default:
      return absl::InvalidArgumentError(absl::StrCat(
          "model must be kMM1, kMMc, kMMcK or kMGc, got ", static_cast<int>(pool.model)));
  }
  const double lambda = pool.arrival_rate;
  if (!(std::isfinite(lambda) && lambda >= 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("arrival_rate must be finite and >= 0, got ", lambda));
  }
  const double s = pool.mean_service_time;
  if (!(std::isfinite(s) && s > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("mean_service_time must be finite and > 0, got ", s));
  }
  if (!std::isfinite(1 / s)) {
    return absl::InvalidArgumentError(
        absl::StrCat("mean_service_time is too small (1/mean_service_time overflows), got ", s));
  }
  const double sd = pool.service_time_stddev;
  if (!(std::isfinite(sd) && sd >= 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("service_time_stddev must be finite and >= 0, got ", sd));
  }
  if (pool.model == Model::kMGc && !std::isfinite(sd / s)) {
    return absl::InvalidArgumentError(
        absl::StrCat("service_time_stddev / mean_service_time must be finite, got ", sd, " / ", s));
  }
  if (!std::isfinite(lambda * s)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "arrival_rate * mean_service_time (offered load) must be finite, got ", lambda, " * ", s));
  }
  if (check_workers) {
    if (pool.workers < 1 || pool.workers > kMaxWorkers) {
      return absl::InvalidArgumentError(
          absl::StrCat("workers must be in [1, ", kMaxWorkers, "], got ", pool.workers));
    }
    if (pool.model == Model::kMM1 && pool.workers != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("workers must be 1 for model kMM1, got ", pool.workers));
    }
  }
  if (pool.model == Model::kMMcK) {
    const int64_t k = pool.system_capacity;
    if (k < 1 || k > kMaxSystemCapacity) {
      return absl::InvalidArgumentError(absl::StrCat(
          "system_capacity must be in [1, ", kMaxSystemCapacity, "] for model kMMcK, got ", k));
    }
    if (check_workers && k < pool.workers) {
      return absl::InvalidArgumentError(absl::StrCat("system_capacity must be >= workers (",
                                                     pool.workers, ") for model kMMcK, got ", k));
    }
  }
  return absl::OkStatus();
}

// See internal/validate.h: first bad field of `target`, named, with its value.
absl::Status ValidateTarget(const CapacityTarget& target) {
  if (!(target.response_p95 >= 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "response_p95 must be >= 0 (0 or +inf: not enforced), got ", target.response_p95));
  }
  if (std::isnan(target.max_backlog)) {
    return absl::InvalidArgumentError(
        "max_backlog must not be NaN (< 0 or +inf: not enforced), got nan");
  }
  if (!(target.max_utilization > 0 && target.max_utilization <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_utilization must be in (0, 1], got ", target.max_utilization));
  }
  if (target.max_workers < 1 || target.max_workers > kMaxWorkers) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_workers must be in [1, ", kMaxWorkers, "], got ", target.max_workers));
  }
  if (!(target.max_blocking >= 0 && target.max_blocking <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_blocking must be in [0, 1], got ", target.max_blocking));
  }
  if (!(target.tail > 0 && target.tail < 1)) {
    return absl::InvalidArgumentError(absl::StrCat("tail must be in (0, 1), got ", target.tail));
  }
  return absl::OkStatus();
}

}  // namespace horizonscale::queueing::internal

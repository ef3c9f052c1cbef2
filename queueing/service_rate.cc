// EstimateServiceRate: μ from whatever a running pool reports.
//
// Estimators (each used when its inputs are present and usable):
//  - direct:      μ = 1 / mean_service_time                      (weight 2)
//  - utilization: μ = throughput / (utilization · workers)        (weight 1)
//  - Little:      μ = throughput / active_jobs  (L = λ W on the servers)
//                                                                 (weight 1)
// The estimate is their weighted mean: the workers' own timing is the most
// direct measurement, the two others derive μ from a rate and an occupancy
// that are usually sampled at different instants.
//
// Confidence = coverage × agreement, in [0, 1]:
//  - agreement = min / max of the estimates (1 for a single one): 0.9 when
//    two estimators disagree by 10 %;
//  - coverage = 0.8 for the direct estimator alone, 0.6 for a single indirect
//    one, 0.9 for any two, 1 for all three (one number cannot be
//    cross-checked; an indirect one inherits the noise of two inputs).
//
// Missing inputs are negative. An input that is present but cannot feed an
// estimator (throughput 0, utilization 0, active_jobs 0) just disables it;
// NaN, infinite or out-of-range values are INVALID_ARGUMENT naming the field.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>

#include <absl/strings/str_cat.h>

#include "queueing/queueing.h"

namespace horizonscale::queueing {
namespace {

// INVALID_ARGUMENT naming `field` unless `value` is finite.
absl::Status CheckFinite(const char* field, double value) {
  if (std::isfinite(value)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(field, " must be finite (< 0 = missing), got ", value));
}

struct Estimate {
  double rate;
  double weight;
  bool direct;
  const char* name;
};

}  // namespace

// Contract: see queueing.h and the file comment.
absl::StatusOr<ServiceRateEstimate> EstimateServiceRate(const ServiceObservation& observation) {
  const ServiceObservation& o = observation;
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"mean_service_time", o.mean_service_time},
        {"throughput", o.throughput},
        {"utilization", o.utilization},
        {"active_jobs", o.active_jobs}}) {
    if (absl::Status status = CheckFinite(field, value); !status.ok()) return status;
  }
  if (o.utilization > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("utilization must be in [0, 1] (< 0 = missing), got ", o.utilization));
  }
  if (o.workers > kMaxWorkers) {
    return absl::InvalidArgumentError(
        absl::StrCat("workers must be in [1, ", kMaxWorkers, "] (< 0 = missing), got ", o.workers));
  }

  std::array<Estimate, 3> estimates{};
  size_t count = 0;
  if (o.mean_service_time >= 0) {
    const double rate = 1 / o.mean_service_time;
    if (!std::isfinite(rate)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "mean_service_time must be > 0 when given (< 0 = missing), got ", o.mean_service_time));
    }
    estimates[count++] = {rate, 2, true, "1/mean_service_time"};
  }
  if (o.throughput > 0 && o.utilization > 0 && o.workers >= 0) {
    if (o.workers == 0) {
      return absl::InvalidArgumentError(
          "workers must be >= 1 when throughput and utilization are given, got 0");
    }
    estimates[count++] = {o.throughput / (o.utilization * o.workers), 1, false,
                          "throughput/(utilization*workers)"};
  }
  if (o.throughput > 0 && o.active_jobs > 0) {
    estimates[count++] = {o.throughput / o.active_jobs, 1, false, "throughput/active_jobs"};
  }
  if (count == 0) {
    return absl::InvalidArgumentError(
        "no usable service-rate estimator: give mean_service_time > 0, or throughput > 0 with "
        "utilization > 0 and workers >= 1, or throughput > 0 with active_jobs > 0");
  }

  double weighted_sum = 0;
  double weight_total = 0;
  double lowest = estimates[0].rate;
  double highest = lowest;
  std::string names;
  for (size_t i = 0; i < count; ++i) {
    const Estimate& e = estimates[i];
    weighted_sum += e.weight * e.rate;
    weight_total += e.weight;
    lowest = std::min(lowest, e.rate);
    highest = std::max(highest, e.rate);
    absl::StrAppend(&names, i == 0 ? "" : ", ", e.name);
  }
  double coverage = 1;  // three estimators
  if (count == 1) coverage = estimates[0].direct ? 0.8 : 0.6;
  if (count == 2) coverage = 0.9;
  ServiceRateEstimate result;
  result.service_rate = weighted_sum / weight_total;
  result.confidence = std::clamp(coverage * (lowest / highest), 0.0, 1.0);
  result.method =
      count == 1 ? names : absl::StrCat("weighted mean (direct 2, indirect 1) of ", names);
  return result;
}

}  // namespace horizonscale::queueing

#include "server/planner/forecast_limits.h"

#include <vector>

#include <absl/strings/str_cat.h>

#include "server/common/errors.h"

namespace horizonscale::server {

grpc::Status CheckForecastGrid(int64_t grid_length, const ForecastSizeFields& fields) {
  if (grid_length <= kMaxForecastGridLength) return grpc::Status::OK;
  const std::string description = absl::StrCat(
      "makes a series of ", grid_length, " steps, more than the limit of ", kMaxForecastGridLength);
  std::vector<FieldViolation> violations = {{fields.grid, description}};
  if (!fields.step.empty()) violations.push_back({fields.step, description});
  return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kForecastTooLarge,
                   absl::StrCat("the series would have ", grid_length,
                                " steps after preparation (its time span divided by the step), "
                                "more than this server's limit of ",
                                kMaxForecastGridLength, "; use a longer step or a shorter span"),
                   violations);
}

grpc::Status ForecastWorkTooLarge(const absl::Status& status, const ForecastSizeFields& fields) {
  const std::string description(status.message());
  std::vector<FieldViolation> violations = {{fields.grid, description}};
  if (!fields.step.empty()) violations.push_back({fields.step, description});
  violations.push_back({"horizon_steps", description});
  if (fields.automatic) violations.push_back({"model", description});
  return MakeError(grpc::StatusCode::RESOURCE_EXHAUSTED, reason::kForecastTooLarge,
                   absl::StrCat("the forecast would cost ", description,
                                "; use a shorter series or a longer step, a shorter horizon or "
                                "a single model"),
                   violations);
}

}  // namespace horizonscale::server

// GetForecasts: validation, preparation of the series, the forecasting
// engine, and the answer; stored series are answered from a cache while they
// are unchanged.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <grpcpp/support/status.h>

#include "forecast/cancellation.h"
#include "forecast/time_series.h"
#include "horizonscale/v1/forecast.pb.h"
#include "server/planner/forecast_cache.h"

namespace horizonscale::server {

// Most points an inline series may have.
inline constexpr int kMaxInlineSeriesPoints = 100'000;

// Most additional_seasonal_periods a GetForecasts request may give.
inline constexpr int kMaxAdditionalSeasonalPeriods = 3;

// A stored queue's arrival-rate history within a window: one observation per
// minute that holds metrics (the minute's mean), and a version that differs
// whenever that history differs.
struct StoredRates {
  std::vector<forecast::Observation> observations;
  std::string version;
};

// Loads a queue's stored rates within (now − window, now]. Failures are
// database failures (UNAVAILABLE / INTERNAL).
using StoredRatesLoader =
    std::function<absl::StatusOr<StoredRates>(const std::string& queue, absl::Duration window)>;

// Answers `request` into `response`. The size is checked before any series
// is loaded or prepared (server/planner/forecast_limits.h); `cancelled` is polled
// throughout the forecast (forecast::ForecastRequest::cancelled). Errors:
// INVALID_ARGUMENT naming every bad field (reason INVALID_METRICS for series
// values, INVALID_REQUEST otherwise); MODEL_NOT_SUPPORTED for the fleet
// tournament's models; RESOURCE_EXHAUSTED / FORECAST_TOO_LARGE over a size
// limit, naming the fields that drive it; FAILED_PRECONDITION /
// INSUFFICIENT_HISTORY when the series is too short for the model, saying how
// much is needed; the loader's failures through DatabaseFailure (server/common/database_lease.h);
// CANCELLED / FORECAST_FAILED once `cancelled` said so.
grpc::Status GetForecasts(const horizonscale::v1::GetForecastsRequest& request,
                          const StoredRatesLoader& load_rates, ForecastCache& cache,
                          const forecast::CancelCheck& cancelled,
                          horizonscale::v1::GetForecastsResponse* response);

}  // namespace horizonscale::server

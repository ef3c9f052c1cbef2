// The size limits of GetForecasts, checked before the work they bound: the
// grid length before a series is loaded or prepared, the work once the
// seasonal period is known and before any model is fitted (the forecasting
// engine checks it: forecast::ForecastRequest::max_work_units). Over a limit
// the call is refused at once with RESOURCE_EXHAUSTED (reason
// FORECAST_TOO_LARGE), the estimate and the limit in the message, and field
// violations naming the fields that drive the size. Calibrated on this
// project's 2-core machine (bench/forecast/limits_bench.cc) so that the
// largest accepted request takes a few seconds of one core.
#pragma once

#include <cstdint>
#include <string>

#include <absl/status/status.h>
#include <grpcpp/support/status.h>

namespace horizonscale::server {

// Most steps a forecast series may have after preparation: inline points
// placed on the step grid from the earliest to the latest time (gaps
// interpolated, so three points a million steps apart make a
// 1,000,001-step grid), or a stored queue's history_window / step + 1. Covers
// every stored window at the 1-minute step (90 days: 129,601 steps) and the
// 100,000 points an inline series may carry at one per step.
inline constexpr int64_t kMaxForecastGridLength = 150'000;

// Most work units one call may cost (forecast::EstimateWork with the period
// given or detected; at most about 15 ns of one core each, measured by
// bench/forecast/limits_bench.cc): a few seconds of one core. A guard on
// the estimate, which no series within kMaxForecastGridLength reaches with
// the models GetForecasts serves (`auto` and the costly families fit on the
// last 10,080 steps or four seasons; the heaviest, the seasonal model on
// 150,000 steps 10,000 steps ahead, estimates 130M units and takes about
// 0.1 s).
inline constexpr int64_t kMaxForecastWorkUnits = 250'000'000;

// The request fields that set a call's size, for the error's violations.
struct ForecastSizeFields {
  std::string grid;        // "series.points" (their time span) or "history_window"
  std::string step;        // "step" or "series.step"; empty when the step was inferred
  bool automatic = false;  // `auto`: "model" drives the work too
};

// OK when a series of `grid_length` steps is within kMaxForecastGridLength;
// otherwise RESOURCE_EXHAUSTED / FORECAST_TOO_LARGE with violations on
// fields.grid and fields.step (when set).
grpc::Status CheckForecastGrid(int64_t grid_length, const ForecastSizeFields& fields);

// The engine's RESOURCE_EXHAUSTED over kMaxForecastWorkUnits as the API's
// error: FORECAST_TOO_LARGE with violations on fields.grid, fields.step (when
// set), "horizon_steps" and, for `auto`, "model".
grpc::Status ForecastWorkTooLarge(const absl::Status& status, const ForecastSizeFields& fields);

}  // namespace horizonscale::server

// The forecasting engine at the size limits GetForecasts accepts
// (server/planner/forecast_limits.h), and how fast a cancelled call stops:
//   cmake --preset bench && cmake --build --preset bench -j2 --target forecast_limits_bench
//   build-bench/bench/forecast/forecast_limits_bench
// BM_Forecast/length/period/model/horizon: one Forecast call on a series of
// `length` values with a cycle of `period` steps (0: none), a trend and
// noise; model -1 is `auto`, otherwise a ModelKind. The run also reports the
// engine's work estimate with the period it used (what GetForecasts checks
// against server/planner/forecast_limits.h's kMaxForecastWorkUnits) as "units".
// BM_CancelLatency/length/period/delay_ms: `auto` with a cancel predicate
// that turns true `delay_ms` after the call starts; "stop_ms" is the time
// from then until Forecast returned CANCELLED.
#include <chrono>
#include <cmath>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "forecast/engine.h"
#include "forecast/model.h"

namespace horizonscale::forecast {
namespace {

std::vector<double> Series(int64_t length, int period) {
  std::mt19937_64 random(7);
  std::normal_distribution<double> noise(0, 5);
  std::vector<double> values;
  values.reserve(static_cast<size_t>(length));
  for (int64_t t = 0; t < length; ++t) {
    const double cycle =
        period >= 2 ? 60 * std::sin(2 * M_PI * static_cast<double>(t) / period) : 0;
    values.push_back(300 + 0.001 * static_cast<double>(t) + cycle + noise(random));
  }
  return values;
}

ForecastRequest RequestFor(const std::vector<double>& values, int64_t model, int horizon) {
  ForecastRequest request;
  request.values = values;
  if (model >= 0) request.model = static_cast<ModelKind>(model);
  request.horizon = horizon;
  return request;
}

void BM_Forecast(benchmark::State& state) {
  const std::vector<double> values = Series(state.range(0), static_cast<int>(state.range(1)));
  const ForecastRequest request =
      RequestFor(values, state.range(2), static_cast<int>(state.range(3)));
  int period = 0;
  for (auto _ : state) {
    auto result = Forecast(request);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(result->points);
    period = result->seasonal_period;
  }
  // The estimate the engine checks once the period is known.
  ForecastRequest sized = request;
  sized.seasonal_period = period;
  state.counters["units"] =
      static_cast<double>(EstimateWork(sized, static_cast<int64_t>(values.size())).units);
}
BENCHMARK(BM_Forecast)
    ->ArgNames({"length", "period", "model", "horizon"})
    ->Args({10'000, 24, -1, 10'000})
    ->Args({100'000, 24, -1, 24})
    ->Args({100'000, 24, -1, 10'000})
    ->Args({100'000, 0, -1, 10'000})
    ->Args({100'000, 400, -1, 10'000})
    ->Args({100'000, 400, -1, 200})
    ->Args({150'000, 24, -1, 10'000})
    ->Args({150'000, 400, static_cast<int>(ModelKind::kHoltWinters), 10'000})
    ->Args({150'000, 400, static_cast<int>(ModelKind::kHoltWinters), 200})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kHoltWinters), 24})
    ->Args({150'000, 400, static_cast<int>(ModelKind::kSeasonal), 10'000})
    ->Args({150'000, 400, static_cast<int>(ModelKind::kSeasonal), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kHolt), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kEwma), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kLinear), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kProphet), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kEts), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kTheta), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kArima), 24})
    ->Args({150'000, 400, static_cast<int>(ModelKind::kMstl), 24})
    ->Args({150'000, 24, static_cast<int>(ModelKind::kCombination), 24})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_CancelLatency(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const std::vector<double> values = Series(state.range(0), static_cast<int>(state.range(1)));
  ForecastRequest request = RequestFor(values, -1, 10'000);
  double stop_ms = 0;
  for (auto _ : state) {
    const Clock::time_point flip = Clock::now() + std::chrono::milliseconds(state.range(2));
    request.cancelled = [flip] { return Clock::now() >= flip; };
    auto result = Forecast(request);
    stop_ms = std::chrono::duration<double, std::milli>(Clock::now() - flip).count();
    if (result.ok() || result.status().code() != absl::StatusCode::kCancelled) {
      state.SkipWithError("the call was not cancelled");
      break;
    }
  }
  state.counters["stop_ms"] = stop_ms;
}
BENCHMARK(BM_CancelLatency)
    ->ArgNames({"length", "period", "delay_ms"})
    ->Args({100'000, 24, 100})
    ->Args({100'000, 24, 500})
    ->Args({100'000, 400, 500})
    ->Args({100'000, 400, 1500})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace horizonscale::forecast

// The forecasting engine on 1,000 hourly points with a daily cycle, a trend
// and noise (the reference series), single-threaded:
//   cmake --preset bench && cmake --build --preset bench -j2 --target forecast_engine_bench
//   build-bench/bench/forecast/forecast_engine_bench --benchmark_repetitions=5
//     (add --benchmark_report_aggregates_only=true for medians only)
// BM_HoltWintersFitAndForecast: fit (both seasonalities, damped or not, as
// `auto` seasonality chooses) plus a 24-step forecast. BM_AutoSelection: the
// whole `auto` path (period detection, a backtest of every model, the final
// refit and forecast with intervals).
#include <cmath>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/forecast/hourly_series.h"
#include "forecast/engine.h"
#include "forecast/model.h"

namespace horizonscale::forecast {
namespace {

using bench::HourlySeries;

void BM_HoltWintersFitAndForecast(benchmark::State& state) {
  const std::vector<double> values = HourlySeries();
  ModelOptions options;
  options.seasonal_period = 24;
  for (auto _ : state) {
    auto model = FitModel(ModelKind::kHoltWinters, values, options);
    if (!model.ok()) state.SkipWithError(std::string(model.status().message()).c_str());
    benchmark::DoNotOptimize((*model)->Predict(24, 0.8));
  }
}
BENCHMARK(BM_HoltWintersFitAndForecast)->Unit(benchmark::kMillisecond);

void BM_HoltWintersAdditiveFitAndForecast(benchmark::State& state) {
  const std::vector<double> values = HourlySeries();
  ModelOptions options;
  options.seasonal_period = 24;
  options.seasonality = Seasonality::kAdditive;
  options.damped = false;
  for (auto _ : state) {
    auto model = FitModel(ModelKind::kHoltWinters, values, options);
    if (!model.ok()) state.SkipWithError(std::string(model.status().message()).c_str());
    benchmark::DoNotOptimize((*model)->Predict(24, 0.8));
  }
}
BENCHMARK(BM_HoltWintersAdditiveFitAndForecast)->Unit(benchmark::kMillisecond);

void BM_AutoSelection(benchmark::State& state) {
  const std::vector<double> values = HourlySeries();
  ForecastRequest request;
  request.values = values;
  request.horizon = 24;
  for (auto _ : state) {
    auto result = Forecast(request);
    if (!result.ok()) state.SkipWithError(std::string(result.status().message()).c_str());
    benchmark::DoNotOptimize(result->points);
  }
}
BENCHMARK(BM_AutoSelection)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace horizonscale::forecast

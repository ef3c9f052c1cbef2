// Auto-ARIMA (forecast/arima/): FitModel(ModelKind::kArima) plus a 24-step
// forecast with intervals, single-threaded:
//   cmake --preset bench && cmake --build --preset bench -j2 --target forecast_arima_bench
//   build-bench/bench/forecast/forecast_arima_bench --benchmark_repetitions=5
//     --benchmark_report_aggregates_only=true (on one line; medians only)
// BM_ArimaAirPassengers: R's AirPassengers (144 monthly values, period 12;
// the search fits every candidate by CSS-ML). BM_ArimaHourly: 1,000 hourly
// points 300 + 0.1 t + 60 sin(2πt/24) + N(0, 5²) (mt19937_64 seed 42),
// period 24 (n > 150: the search runs on CSS, then the candidates are
// refitted by CSS-ML in CSS-AICc order until one is accepted).
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/forecast/hourly_series.h"
#include "forecast/model.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast {
namespace {

using bench::HourlySeries;

void FitAndPredict(benchmark::State& state, const std::vector<double>& values, int period) {
  ModelOptions options;
  options.seasonal_period = period;
  for (auto _ : state) {
    auto model = FitModel(ModelKind::kArima, values, options);
    if (!model.ok()) {
      state.SkipWithError(std::string(model.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize((*model)->Predict(24, 0.8));
  }
}

void BM_ArimaAirPassengers(benchmark::State& state) {
  const std::vector<double> values(testing::kAirPassengers.begin(), testing::kAirPassengers.end());
  FitAndPredict(state, values, 12);
}
BENCHMARK(BM_ArimaAirPassengers)->Unit(benchmark::kMillisecond);

void BM_ArimaHourly(benchmark::State& state) { FitAndPredict(state, HourlySeries(), 24); }
BENCHMARK(BM_ArimaHourly)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace horizonscale::forecast

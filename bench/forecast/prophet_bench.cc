// The Prophet-style model on the fleet tournament's typical series: 1,065
// daily points (about three years) of a utilisation-like series with a trend
// change, weekly and yearly cycles and noise, single-threaded:
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DHS_BUILD_TESTS=OFF
//   cmake --build build-bench -j2 --target forecast_prophet_bench
//   build-bench/bench/forecast/forecast_prophet_bench --benchmark_repetitions=5
// BM_ProphetFitAndForecast: FitModel with Prophet's defaults (25
// changepoints, yearly order 10, weekly order 3) plus a 210-day forecast with
// 80 % intervals from 1,000 simulated futures — the target is under 5 ms.
// BM_ProphetFit and BM_ProphetForecast time the two halves.
#include <cmath>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "forecast/model.h"

namespace horizonscale::forecast {
namespace {

constexpr int kLength = 1065;
constexpr int kHorizon = 210;
// 2022-01-01 in days since the Unix epoch.
constexpr double kOrigin = 18993;

std::vector<double> DailySeries() {
  std::mt19937_64 random(42);
  std::normal_distribution<double> noise(0, 2);
  std::vector<double> values;
  for (int i = 0; i < kLength; ++i) {
    const double day = kOrigin + i;
    const double trend = i < 600 ? 40 + 0.01 * i : 46 + 0.03 * (i - 600);
    values.push_back(trend + 5 * std::sin(2 * std::numbers::pi * day / 7) +
                     8 * std::cos(2 * std::numbers::pi * day / 365.25) + noise(random));
  }
  return values;
}

ModelOptions DailyOptions() {
  ModelOptions options;
  options.origin_days = kOrigin;
  options.step_days = 1;
  return options;
}

void BM_ProphetFitAndForecast(benchmark::State& state) {
  const std::vector<double> values = DailySeries();
  const ModelOptions options = DailyOptions();
  for (auto _ : state) {
    auto model = FitModel(ModelKind::kProphet, values, options);
    if (!model.ok()) {
      state.SkipWithError(std::string(model.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize((*model)->Predict(kHorizon, 0.8));
  }
}
BENCHMARK(BM_ProphetFitAndForecast)->Unit(benchmark::kMillisecond);

void BM_ProphetFit(benchmark::State& state) {
  const std::vector<double> values = DailySeries();
  const ModelOptions options = DailyOptions();
  for (auto _ : state) {
    auto model = FitModel(ModelKind::kProphet, values, options);
    if (!model.ok()) {
      state.SkipWithError(std::string(model.status().message()).c_str());
      break;
    }
    benchmark::DoNotOptimize(model);
  }
}
BENCHMARK(BM_ProphetFit)->Unit(benchmark::kMillisecond);

void BM_ProphetForecast(benchmark::State& state) {
  const std::vector<double> values = DailySeries();
  auto model = FitModel(ModelKind::kProphet, values, DailyOptions());
  if (!model.ok()) {
    state.SkipWithError(std::string(model.status().message()).c_str());
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize((*model)->Predict(kHorizon, 0.8));
}
BENCHMARK(BM_ProphetForecast)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace horizonscale::forecast

// `auto` forecasts at the sizes issue 19 sets targets for, single-threaded
// (the whole call: period detection, every candidate's backtest, the
// combination, the winner's refit, calibrated intervals):
//   cmake --preset bench && cmake --build --preset bench -j2 --target forecast_auto_speed_bench
//   build-bench/bench/forecast/forecast_auto_speed_bench --benchmark_repetitions=5
//     (add --benchmark_report_aggregates_only=true for medians only)
// BM_AutoMonthly: R's AirPassengers (144 months) and a 150-month series
// with trend, multiplicative season and noise, period 12 given, 18 months
// ahead (target < 5 ms). BM_AutoHourly: 1,000 hourly points with a daily
// cycle, period detected, a day ahead (target < 20 ms). BM_AutoMinutesTwoPeriods:
// one week of minute data (10,080 points) with hourly and daily cycles,
// periods 60 and 1,440 given, an hour ahead (target < 100 ms). BM_AutoTaylor:
// R's taylor (half-hourly electricity load, 4,032 points, periods 48 and 336),
// a day ahead. The chosen model is reported as a label.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench/forecast/hourly_series.h"
#include "forecast/engine.h"
#include "forecast/model.h"
#include "tests/forecast/support/r_datasets.h"

namespace horizonscale::forecast {
namespace {

using bench::HourlySeries;

std::vector<double> MonthlySeries() {
  std::mt19937_64 random(3);
  std::normal_distribution<double> noise(0, 0.03);
  std::vector<double> values;
  for (int t = 0; t < 150; ++t) {
    const double season = 1 + 0.2 * std::sin(2 * M_PI * t / 12);
    values.push_back((200 + 2 * t) * season * (1 + noise(random)));
  }
  return values;
}

std::vector<double> MinuteWeek() {
  std::mt19937_64 random(9);
  std::normal_distribution<double> noise(0, 4);
  std::vector<double> values;
  for (int t = 0; t < 10'080; ++t) {
    values.push_back(500 + 80 * std::sin(2 * M_PI * t / 1440) + 15 * std::sin(2 * M_PI * t / 60) +
                     noise(random));
  }
  return values;
}

void RunAuto(benchmark::State& state, const ForecastRequest& request) {
  std::string chosen;
  for (auto _ : state) {
    absl::StatusOr<ForecastResult> result = Forecast(request);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    chosen = ModelName(result->model.kind);
    benchmark::DoNotOptimize(result->points);
  }
  state.SetLabel(chosen);
}

void BM_AutoMonthly(benchmark::State& state) {
  const std::vector<double> values =
      state.range(0) == 0
          ? std::vector<double>(testing::kAirPassengers.begin(), testing::kAirPassengers.end())
          : MonthlySeries();
  ForecastRequest request;
  request.values = values;
  request.horizon = 18;
  request.seasonal_period = 12;
  RunAuto(state, request);
}
BENCHMARK(BM_AutoMonthly)->ArgName("synthetic")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_AutoHourly(benchmark::State& state) {
  const std::vector<double> values = HourlySeries();
  ForecastRequest request;
  request.values = values;
  request.horizon = 24;
  RunAuto(state, request);
}
BENCHMARK(BM_AutoHourly)->Unit(benchmark::kMillisecond);

void BM_AutoMinutesTwoPeriods(benchmark::State& state) {
  const std::vector<double> values = MinuteWeek();
  ForecastRequest request;
  request.values = values;
  request.horizon = 60;
  request.seasonal_period = 60;
  request.options.seasonal_periods = {60, 1440};
  RunAuto(state, request);
}
BENCHMARK(BM_AutoMinutesTwoPeriods)->Unit(benchmark::kMillisecond);

void BM_AutoTaylor(benchmark::State& state) {
  const std::vector<double> values(testing::ktaylor.begin(), testing::ktaylor.end());
  ForecastRequest request;
  request.values = values;
  request.horizon = 48;
  request.seasonal_period = 48;
  request.options.seasonal_periods = {48, 336};
  RunAuto(state, request);
}
BENCHMARK(BM_AutoTaylor)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace horizonscale::forecast

// The forecasting benches' reference series: 1,000 hourly points
// 300 + 0.1 t + 60 sin(2πt / 24) + N(0, 5²), seeded (mt19937_64, 42), so
// every bench measures the same data.
#pragma once

#include <cmath>
#include <random>
#include <vector>

namespace horizonscale::forecast::bench {

inline std::vector<double> HourlySeries() {
  std::mt19937_64 random(42);
  std::normal_distribution<double> noise(0, 5);
  std::vector<double> values;
  for (int t = 0; t < 1000; ++t) {
    values.push_back(300 + 0.1 * t + 60 * std::sin(2 * M_PI * t / 24) + noise(random));
  }
  return values;
}

}  // namespace horizonscale::forecast::bench

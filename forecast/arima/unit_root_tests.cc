// Differencing tests of auto.arima (internal/unit_root_tests.h).
#include "forecast/arima/internal/unit_root_tests.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

namespace horizonscale::forecast::internal {
namespace {

// urca's 5 % critical value of the KPSS level statistic.
constexpr double kKpssCritical5 = 0.463;
// forecast's threshold on the seasonal strength for a seasonal difference.
constexpr double kSeasonalStrengthThreshold = 0.64;
// Seasons in the seasonal smoothing window (STL's s.window of mstl).
constexpr int kSeasonalWindow = 11;

double Variance(std::span<const double> values) {
  const double n = static_cast<double>(values.size());
  if (values.size() < 2) return 0;
  double mean = 0;
  for (const double value : values) mean += value;
  mean /= n;
  double sum = 0;
  for (const double value : values) sum += (value - mean) * (value - mean);
  return sum / (n - 1);
}

}  // namespace

bool IsConstant(std::span<const double> values) {
  if (values.empty()) return true;
  double deviation = 0;
  double magnitude = 0;
  for (const double value : values) {
    deviation += std::abs(value - values[0]);
    magnitude += std::abs(value);
  }
  constexpr double kTolerance = 1.5e-8;
  const double n = static_cast<double>(values.size());
  deviation /= n;
  magnitude /= n;
  if (magnitude > kTolerance) deviation /= magnitude;
  return deviation <= kTolerance;
}

double KpssStatistic(std::span<const double> values, int lags) {
  const size_t n = values.size();
  if (n < 2) return 0;
  double mean = 0;
  for (const double value : values) mean += value;
  mean /= static_cast<double>(n);
  std::vector<double> residuals(n);
  double partial = 0;
  double numerator = 0;
  double s2 = 0;
  for (size_t t = 0; t < n; ++t) {
    residuals[t] = values[t] - mean;
    partial += residuals[t];
    numerator += partial * partial;
    s2 += residuals[t] * residuals[t];
  }
  const double dn = static_cast<double>(n);
  numerator /= dn * dn;
  double denominator = s2 / dn;
  for (int s = 1; s <= lags && static_cast<size_t>(s) < n; ++s) {
    double covariance = 0;
    for (size_t t = static_cast<size_t>(s); t < n; ++t) {
      covariance += residuals[t] * residuals[t - static_cast<size_t>(s)];
    }
    denominator += 2.0 / dn * (1.0 - s / (lags + 1.0)) * covariance;
  }
  return denominator > 0 ? numerator / denominator : 0.0;
}

int NumberOfDifferences(std::span<const double> values, int max_d) {
  std::vector<double> x(values.begin(), values.end());
  if (IsConstant(x)) return 0;
  auto needs_difference = [](std::span<const double> series) {
    const int lags = static_cast<int>(3 * std::sqrt(static_cast<double>(series.size())) / 13);
    return KpssStatistic(series, lags) > kKpssCritical5;
  };
  int d = 0;
  bool more = needs_difference(x);
  while (more && d < max_d) {
    ++d;
    for (size_t t = x.size() - 1; t >= 1; --t) x[t] -= x[t - 1];
    x.erase(x.begin());
    if (x.size() < 2 || IsConstant(x)) return d;
    more = needs_difference(x);
  }
  return d;
}

double SeasonalStrength(std::span<const double> values, int period) {
  const size_t n = values.size();
  const size_t m = static_cast<size_t>(period);
  if (period < 2 || n <= 2 * m) return 0;
  // Centred moving average of order m (2×m for even m): defined on [half, n − half).
  const size_t half = m / 2;
  const size_t first = half;
  const size_t last = n - half;  // exclusive
  std::vector<double> detrended(n, 0.0);
  for (size_t t = first; t < last; ++t) {
    double sum = 0;
    if (m % 2 == 0) {
      sum = 0.5 * (values[t - half] + values[t + half]);
      for (size_t k = t - half + 1; k < t + half; ++k) sum += values[k];
    } else {
      for (size_t k = t - half; k <= t + half; ++k) sum += values[k];
    }
    detrended[t] = values[t] - sum / static_cast<double>(m);
  }
  // Tricube-weighted mean over the nearest kSeasonalWindow seasons.
  constexpr int kHalfWindow = kSeasonalWindow / 2;
  double weights[kHalfWindow + 1];
  for (int j = 0; j <= kHalfWindow; ++j) {
    const double u = static_cast<double>(j) / (kHalfWindow + 1);
    const double v = 1 - u * u * u;
    weights[j] = v * v * v;
  }
  std::vector<double> remainder;
  std::vector<double> remainder_plus_seasonal;
  remainder.reserve(last - first);
  remainder_plus_seasonal.reserve(last - first);
  for (size_t t = first; t < last; ++t) {
    double sum = 0;
    double total = 0;
    for (int j = -kHalfWindow; j <= kHalfWindow; ++j) {
      const long s = static_cast<long>(t) + static_cast<long>(j) * static_cast<long>(m);
      if (s < static_cast<long>(first) || s >= static_cast<long>(last)) continue;
      const double weight = weights[std::abs(j)];
      sum += weight * detrended[static_cast<size_t>(s)];
      total += weight;
    }
    const double seasonal = sum / total;
    remainder.push_back(detrended[t] - seasonal);
    remainder_plus_seasonal.push_back(detrended[t]);
  }
  const double total_variance = Variance(remainder_plus_seasonal);
  if (!(total_variance > 0)) return 0;
  return std::clamp(1 - Variance(remainder) / total_variance, 0.0, 1.0);
}

int NumberOfSeasonalDifferences(std::span<const double> values, int period) {
  if (period < 2 || IsConstant(values) || values.size() <= static_cast<size_t>(period)) return 0;
  return SeasonalStrength(values, period) > kSeasonalStrengthThreshold ? 1 : 0;
}

}  // namespace horizonscale::forecast::internal

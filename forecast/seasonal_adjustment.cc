// Classical seasonal adjustment pieces (forecast/internal/seasonal_adjustment.h),
// written to reproduce R's forecast::thetaf test and stats::decompose figure.
#include "forecast/internal/seasonal_adjustment.h"

#include <cmath>
#include <cstddef>
#include <limits>

#include "forecast/internal/seasonality.h"

namespace horizonscale::forecast {
namespace {

// qnorm(0.95): the one-sided 95 % standard normal point thetaf compares with.
constexpr double kZ90TwoSided = 1.6448536269514722;

// R's forecast:::is.constant, i.e. isTRUE(all.equal(x, rep(x[1], n))): over
// the values that differ from the first, the mean absolute difference from it,
// relative to their mean absolute value (absolute when that mean is at most
// the tolerance), is at most sqrt(DBL_EPSILON).
bool IsConstantLikeR(std::span<const double> values) {
  const double tolerance = std::sqrt(std::numeric_limits<double>::epsilon());
  double sum_difference = 0;
  double sum_magnitude = 0;
  size_t differing = 0;
  for (double y : values) {
    if (y == values[0]) continue;
    sum_difference += std::abs(y - values[0]);
    sum_magnitude += std::abs(y);
    ++differing;
  }
  if (differing == 0) return true;
  const double count = static_cast<double>(differing);
  const double scale = sum_magnitude / count > tolerance ? sum_magnitude / count : 1.0;
  return sum_difference / (count * scale) <= tolerance;
}

}  // namespace

bool ThetaSeasonalityTest(std::span<const double> values, int period) {
  const size_t n = values.size();
  if (period <= 1 || n <= 2 * static_cast<size_t>(period) || IsConstantLikeR(values)) {
    return false;
  }
  const std::vector<double> acf = Autocorrelation(values, period);
  double sum_squares = 0;  // Σ_{k=1}^{m−1} r_k²
  for (int k = 1; k < period; ++k)
    sum_squares += acf[static_cast<size_t>(k)] * acf[static_cast<size_t>(k)];
  const double standard_error = std::sqrt((1 + 2 * sum_squares) / static_cast<double>(n));
  return std::abs(acf[static_cast<size_t>(period)]) > kZ90TwoSided * standard_error;
}

std::vector<double> CentredMovingAverage(std::span<const double> values, int period) {
  const auto half = static_cast<size_t>(period / 2);
  const size_t n = values.size();
  const bool even = period % 2 == 0;
  // window = Σ values[t − half .. t + half] (m + 1 values for even m), slid
  // by one step and summed afresh every m steps, so rounding errors do not
  // accumulate along the series.
  double window = 0;
  std::vector<double> trend;
  trend.reserve(n - 2 * half);
  for (size_t t = half; t + half < n; ++t) {
    if ((t - half) % static_cast<size_t>(period) == 0) {
      window = 0;
      for (size_t j = t - half; j <= t + half; ++j) window += values[j];
    } else {
      window += values[t + half] - values[t - half - 1];
    }
    const double sum = even ? window - 0.5 * (values[t - half] + values[t + half]) : window;
    trend.push_back(sum / period);
  }
  return trend;
}

std::vector<double> SeasonalFigure(std::span<const double> values, int period,
                                   bool multiplicative) {
  const std::vector<double> trend = CentredMovingAverage(values, period);
  const auto m = static_cast<size_t>(period);
  const size_t half = m / 2;
  std::vector<double> figure(m, 0.0);
  std::vector<size_t> counts(m, 0);
  for (size_t i = 0; i < trend.size(); ++i) {
    const size_t t = i + half;
    figure[t % m] += multiplicative ? values[t] / trend[i] : values[t] - trend[i];
    ++counts[t % m];
  }
  double mean = 0;
  for (size_t p = 0; p < m; ++p) {
    figure[p] /= static_cast<double>(counts[p]);
    mean += figure[p];
  }
  mean /= static_cast<double>(m);
  for (double& factor : figure) factor = multiplicative ? factor / mean : factor - mean;
  return figure;
}

}  // namespace horizonscale::forecast

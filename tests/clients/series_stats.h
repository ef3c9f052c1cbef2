// Textbook statistics the fleet generator tests measure series with, kept
// apart from the generator so that its properties are checked independently:
// least squares (through Eigen), autocorrelation, moving averages, robust
// spread.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include <Eigen/Dense>

namespace horizonscale::fleetgen::testing {

// Least-squares coefficients of y on the columns of `design` (rows: days).
inline Eigen::VectorXd LeastSquares(const Eigen::MatrixXd& design, std::span<const double> y) {
  const Eigen::VectorXd target =
      Eigen::Map<const Eigen::VectorXd>(y.data(), static_cast<Eigen::Index>(y.size()));
  return design.colPivHouseholderQr().solve(target);
}

struct LineFit {
  double intercept = 0;
  double slope = 0;        // per day
  double residual_sd = 0;  // standard deviation of the residuals
};

// Ordinary least squares of y[t] = intercept + slope·t.
inline LineFit FitLine(std::span<const double> y) {
  const auto n = static_cast<Eigen::Index>(y.size());
  Eigen::MatrixXd design(n, 2);
  for (Eigen::Index t = 0; t < n; ++t) design.row(t) << 1.0, static_cast<double>(t);
  const Eigen::VectorXd beta = LeastSquares(design, y);
  double sum_squares = 0;
  for (Eigen::Index t = 0; t < n; ++t) {
    const double residual = y[static_cast<size_t>(t)] - beta(0) - beta(1) * static_cast<double>(t);
    sum_squares += residual * residual;
  }
  return {beta(0), beta(1), std::sqrt(sum_squares / static_cast<double>(n - 2))};
}

inline double Mean(std::span<const double> x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

inline double Median(std::span<const double> x) {
  std::vector<double> sorted(x.begin(), x.end());
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

// Standard deviation estimated from the median absolute deviation (exact for
// a normal sample, blind to a few outliers).
inline double RobustSd(std::span<const double> x) {
  const double median = Median(x);
  std::vector<double> deviations;
  for (double v : x) deviations.push_back(std::abs(v - median));
  return 1.4826 * Median(deviations);
}

// Sample autocorrelation of x at `lag`.
inline double Autocorrelation(std::span<const double> x, size_t lag) {
  const double mean = Mean(x);
  double numerator = 0, denominator = 0;
  for (size_t t = 0; t < x.size(); ++t) {
    denominator += (x[t] - mean) * (x[t] - mean);
    if (t >= lag) numerator += (x[t] - mean) * (x[t - lag] - mean);
  }
  return numerator / denominator;
}

// x minus its centred moving average of `window` (odd) days, for the days
// where the window fits: removes trend and slow seasonality, keeps the
// weekly pattern when window = 7.
inline std::vector<double> MinusMovingAverage(std::span<const double> x, size_t window) {
  const size_t half = window / 2;
  std::vector<double> result;
  for (size_t t = half; t + half < x.size(); ++t) {
    double sum = 0;
    for (size_t k = t - half; k <= t + half; ++k) sum += x[k];
    result.push_back(x[t] - sum / static_cast<double>(window));
  }
  return result;
}

}  // namespace horizonscale::fleetgen::testing

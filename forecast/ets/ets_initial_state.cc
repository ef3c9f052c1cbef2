#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include <Eigen/Dense>

#include "forecast/ets/internal/ets_initial_state.h"
#include "forecast/internal/seasonal_adjustment.h"

namespace horizonscale::forecast::internal {
namespace {

// With n < 3m: values detrended by the least-squares fit on 1, t, sin, cos.
std::vector<double> FourierDetrended(std::span<const double> values, int period,
                                     bool multiplicative) {
  const int n = static_cast<int>(values.size());
  const bool with_sine = period != 2;
  const int columns = with_sine ? 4 : 3;
  Eigen::MatrixXd design(n, columns);
  Eigen::VectorXd target(n);
  for (int i = 0; i < n; ++i) {
    const double t = i + 1;
    const double angle = 2 * std::numbers::pi * t / period;
    design(i, 0) = 1;
    design(i, 1) = t;
    int column = 2;
    if (with_sine) design(i, column++) = std::sin(angle);
    design(i, column) = std::cos(angle);
    target(i) = values[i];
  }
  const Eigen::VectorXd coefficients = design.colPivHouseholderQr().solve(target);
  std::vector<double> detrended(n);
  for (int i = 0; i < n; ++i) {
    const double line = coefficients(0) + coefficients(1) * (i + 1);
    detrended[i] = multiplicative ? values[i] / line : values[i] - line;
  }
  return detrended;
}

}  // namespace

int HeuristicInitialStateMinimumLength(const EtsSpec& spec) {
  return spec.has_season() ? std::max(4, spec.period + 1) : 1;
}

EtsState HeuristicInitialState(std::span<const double> values, const EtsSpec& spec) {
  const int n = static_cast<int>(values.size());
  const int m = spec.has_season() ? spec.period : 1;
  const bool multiplicative = spec.season == EtsComponent::kMultiplicative;
  EtsState state;
  // seasonal_at(t): the seasonal component at values[t], for the adjustment.
  std::vector<double> figure;     // n >= 3m: by position t mod m
  std::vector<double> detrended;  // n < 3m: by t
  std::vector<double> adjusted(values.begin(), values.end());
  if (spec.has_season()) {
    if (n >= 3 * m) {
      figure = SeasonalFigure(values, m, multiplicative);
    } else {
      detrended = FourierDetrended(values, m, multiplicative);
    }
    auto seasonal_at = [&](int t) { return figure.empty() ? detrended[t] : figure[t % m]; };
    state.seasonals.assign(m, 0.0);
    double sum = 0;
    for (int k = 1; k < m; ++k) {
      state.seasonals[k] = multiplicative ? std::max(seasonal_at(k), 0.01) : seasonal_at(k);
      sum += state.seasonals[k];
    }
    if (multiplicative && sum > m) {
      const double divisor = sum + 0.01 * (m - 1);
      sum = 0;
      for (int k = 1; k < m; ++k) {
        state.seasonals[k] /= divisor;
        sum += state.seasonals[k];
      }
    }
    state.seasonals[0] = (multiplicative ? m : 0) - sum;
    for (int t = 0; t < n; ++t) {
      adjusted[t] =
          multiplicative ? values[t] / std::max(seasonal_at(t), 0.01) : values[t] - seasonal_at(t);
    }
  }
  const int first = std::min(std::max(10, 2 * m), n);
  if (!spec.has_trend()) {
    state.level = std::accumulate(adjusted.begin(), adjusted.begin() + first, 0.0) / first;
    return state;
  }
  // Least-squares line through (t, adjusted[t − 1]), t = 1 … first.
  double mean_t = (first + 1) / 2.0;
  double mean_y = std::accumulate(adjusted.begin(), adjusted.begin() + first, 0.0) / first;
  double sxy = 0;
  double sxx = 0;
  for (int t = 1; t <= first; ++t) {
    sxy += (t - mean_t) * (adjusted[t - 1] - mean_y);
    sxx += (t - mean_t) * (t - mean_t);
  }
  const double slope = sxx > 0 ? sxy / sxx : 0.0;
  state.level = mean_y - slope * mean_t;
  state.trend = slope;
  if (std::fabs(state.level + state.trend) < 1e-8) {
    state.level *= 1.001;
    state.trend *= 0.999;
  }
  return state;
}

}  // namespace horizonscale::forecast::internal

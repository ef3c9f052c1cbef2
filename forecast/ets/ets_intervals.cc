#include "forecast/ets/internal/ets_intervals.h"

#include <array>

#include "forecast/ets/internal/ets_recursions.h"

namespace horizonscale::forecast::internal {
namespace {

// c_1 … c_{horizon−1} of class 1 and 2.
std::vector<double> ImpulseWeights(const EtsSpec& spec, const EtsParameters& params, int horizon) {
  std::vector<double> weights(horizon > 1 ? horizon - 1 : 0);
  double damping_sum = 0;
  double damping_power = 1;
  for (int j = 1; j < horizon; ++j) {
    damping_power *= params.phi;
    damping_sum += damping_power;
    double c = params.alpha;
    if (spec.has_trend()) c += params.beta * damping_sum;
    if (spec.has_season() && j % spec.period == 0) c += params.gamma;
    weights[j - 1] = c;
  }
  return weights;
}

// 2 × 2 matrices and 2-vectors of the level/trend state (the trend entries
// stay zero without trend).
using Vec2 = std::array<double, 2>;
using Mat2 = std::array<std::array<double, 2>, 2>;

EtsForecastMoments MultiplicativeSeasonMoments(const EtsSpec& spec, const EtsParameters& params,
                                               const EtsState& state, double sigma2, int horizon) {
  const bool trend = spec.has_trend();
  const double phi = trend ? params.phi : 0.0;
  const Mat2 f = {{{1, phi}, {0, phi}}};  // x_j = F x_{j−1} + g (wᵀx_{j−1}) ε_j
  const Vec2 w = {1, phi};
  const Vec2 g = {params.alpha, trend ? params.beta : 0.0};
  const Vec2 x0 = {state.level, trend ? state.trend : 0.0};
  const double gamma = params.gamma;
  const int m = spec.period;
  auto dot = [](const Vec2& a, const Vec2& b) { return a[0] * b[0] + a[1] * b[1]; };
  auto apply = [](const Mat2& a, const Vec2& v) {
    return Vec2{a[0][0] * v[0] + a[0][1] * v[1], a[1][0] * v[0] + a[1][1] * v[1]};
  };
  EtsForecastMoments moments;
  moments.mean.resize(horizon);
  moments.variance.resize(horizon);
  for (int h = 1; h <= horizon; ++h) {
    // m1 = E[x W], second = E[x xᵀ W²], W the product of (1 + γ ε_j) over
    // the steps j < h whose seasonal update reaches step h (j ≡ h mod m).
    Vec2 m1 = x0;
    Mat2 second = {{{x0[0] * x0[0], x0[0] * x0[1]}, {x0[1] * x0[0], x0[1] * x0[1]}}};
    for (int j = 1; j < h; ++j) {
      const double hit = (h - j) % m == 0 ? 1.0 : 0.0;
      const double wm = dot(w, m1);
      Vec2 next_m1 = apply(f, m1);
      for (int r = 0; r < 2; ++r) next_m1[r] += hit * gamma * sigma2 * g[r] * wm;
      // F X Fᵀ, (F X w) gᵀ and g (wᵀ X w) gᵀ.
      Mat2 fx{};
      for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 2; ++c) fx[r][c] = f[r][0] * second[0][c] + f[r][1] * second[1][c];
      }
      Mat2 fxf{};
      for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 2; ++c) fxf[r][c] = fx[r][0] * f[c][0] + fx[r][1] * f[c][1];
      }
      const Vec2 fxw = apply(fx, w);
      const double wxw = dot(w, apply(second, w));
      const double keep = 1 + hit * gamma * gamma * sigma2;
      const double cross = 2 * hit * gamma * sigma2;
      const double shock = sigma2 + 3 * hit * gamma * gamma * sigma2 * sigma2;
      for (int r = 0; r < 2; ++r) {
        for (int c = 0; c < 2; ++c) {
          second[r][c] = keep * fxf[r][c] + cross * (fxw[r] * g[c] + g[r] * fxw[c]) +
                         shock * wxw * g[r] * g[c];
        }
      }
      m1 = next_m1;
    }
    const double season = state.seasonals[(state.next_season + h - 1) % m];
    const double mean = season * dot(w, m1);
    moments.mean[h - 1] = mean;
    moments.variance[h - 1] =
        season * season * (1 + sigma2) * dot(w, apply(second, w)) - mean * mean;
  }
  return moments;
}

}  // namespace

EtsForecastMoments EtsForecastDistribution(const EtsSpec& spec, const EtsParameters& params,
                                           const EtsState& state, double sigma2, int horizon) {
  if (horizon <= 0) return {};
  if (spec.season == EtsComponent::kMultiplicative) {
    return MultiplicativeSeasonMoments(spec, params, state, sigma2, horizon);
  }
  EtsForecastMoments moments;
  moments.mean = EtsPointForecasts(spec, params, state, horizon);
  moments.variance.resize(horizon);
  const std::vector<double> c = ImpulseWeights(spec, params, horizon);
  if (spec.error == EtsComponent::kAdditive) {
    double sum = 0;
    for (int h = 1; h <= horizon; ++h) {
      if (h > 1) sum += c[h - 2] * c[h - 2];
      moments.variance[h - 1] = sigma2 * (1 + sum);
    }
    return moments;
  }
  std::vector<double> theta(horizon);
  for (int h = 1; h <= horizon; ++h) {
    const double mu = moments.mean[h - 1];
    double sum = 0;
    for (int j = 1; j < h; ++j) sum += c[j - 1] * c[j - 1] * theta[h - j - 1];
    theta[h - 1] = mu * mu + sigma2 * sum;
    moments.variance[h - 1] = (1 + sigma2) * theta[h - 1] - mu * mu;
  }
  return moments;
}

}  // namespace horizonscale::forecast::internal

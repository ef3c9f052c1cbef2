// Estimation of one seasonal ARIMA model (internal/arima_estimation.h).
#include "forecast/arima/internal/arima_estimation.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_cat.h>

#include "forecast/arima/internal/arima_kalman.h"
#include "forecast/arima/internal/arima_polynomials.h"
#include "forecast/arima/internal/least_squares.h"

namespace horizonscale::forecast::internal {
namespace {

// myarima rejects a fit with a root of modulus below this.
constexpr double kMinRootModulus = 1.01;
// Levenberg–Marquardt iterations for the CSS fit: it is only the starting
// point of CSS-ML, or the search's approximate criterion.
constexpr int kCssIterations = 20;

// The expanded polynomials of a coefficient vector.
struct Expanded {
  std::vector<double> phi;
  std::vector<double> theta;
  double constant = 0;
};

// The orders of `spec` and its coefficient blocks in `coefficients` (AR,
// MA, seasonal AR, seasonal MA, in that order).
struct CoefficientBlocks {
  size_t p, q, sp, sq, m;
  const double* ar;
  const double* ma;
  const double* sar;
  const double* sma;
};
CoefficientBlocks BlocksOf(const ArimaSpec& spec, std::span<const double> coefficients) {
  CoefficientBlocks blocks;
  blocks.p = static_cast<size_t>(spec.p);
  blocks.q = static_cast<size_t>(spec.q);
  blocks.sp = static_cast<size_t>(spec.seasonal_p);
  blocks.sq = static_cast<size_t>(spec.seasonal_q);
  blocks.m = static_cast<size_t>(spec.period);
  blocks.ar = coefficients.data();
  blocks.ma = blocks.ar + blocks.p;
  blocks.sar = blocks.ma + blocks.q;
  blocks.sma = blocks.sar + blocks.sp;
  return blocks;
}

// Expands `coefficients` into `out`, reusing its storage (ExpandAr and
// ExpandMa without allocating).
void ExpandInto(const ArimaSpec& spec, std::span<const double> coefficients, Expanded& out) {
  const auto [p, q, sp, sq, m, ar, ma, sar, sma] = BlocksOf(spec, coefficients);
  out.phi.assign(p + m * sp, 0.0);
  for (size_t i = 0; i < p; ++i) out.phi[i] += ar[i];
  for (size_t j = 0; j < sp; ++j) {
    const size_t lag = (j + 1) * m;
    out.phi[lag - 1] += sar[j];
    for (size_t i = 0; i < p; ++i) out.phi[lag + i] -= ar[i] * sar[j];
  }
  out.theta.assign(q + m * sq, 0.0);
  for (size_t i = 0; i < q; ++i) out.theta[i] += ma[i];
  for (size_t j = 0; j < sq; ++j) {
    const size_t lag = (j + 1) * m;
    out.theta[lag - 1] += sma[j];
    for (size_t i = 0; i < q; ++i) out.theta[lag + i] += ma[i] * sma[j];
  }
  out.constant = spec.constant ? coefficients[p + q + sp + sq] : 0.0;
}

Expanded Expand(const ArimaSpec& spec, std::span<const double> coefficients) {
  Expanded out;
  ExpandInto(spec, coefficients, out);
  return out;
}

// Storage reused across CSS evaluations.
struct CssWorkspace {
  std::vector<std::pair<size_t, double>> ar;  // (lag, φ_lag) for φ_lag != 0
  std::vector<std::pair<size_t, double>> ma;  // (lag, θ_lag) for θ_lag != 0
  std::vector<double> x;                      // w − shift
  std::vector<double> u;                      // CssJacobian's scratch
  std::vector<double*> filtered;              // CssJacobian's columns that L⁻¹ runs on
};

// Conditional-sum-of-squares residuals (R's ARIMA_CSS on the differenced
// series): e_t = x_t − Σ φ_j x_{t−j} − Σ θ_j e_{t−j} for t >= p' = phi.size(),
// x = w − shift, residuals before p' taken as zero. `out` has w.size() − p'
// entries.
void CssResiduals(std::span<const double> w, const Expanded& model, double shift,
                  std::span<double> out, CssWorkspace& work) {
  const size_t start = model.phi.size();
  work.ar.clear();
  work.ma.clear();
  for (size_t j = 0; j < model.phi.size(); ++j) {
    if (model.phi[j] != 0) work.ar.emplace_back(j + 1, model.phi[j]);
  }
  // MA lags in decreasing order: the lag-1 term, which waits for the
  // previous residual, comes last (a shorter dependency chain).
  for (size_t j = model.theta.size(); j >= 1; --j) {
    if (model.theta[j - 1] != 0) work.ma.emplace_back(j, model.theta[j - 1]);
  }
  work.x.resize(w.size());
  for (size_t t = 0; t < w.size(); ++t) work.x[t] = w[t] - shift;
  const double* x = work.x.data();
  // The first residuals see only part of the MA lags.
  const size_t full = work.ma.empty() ? 0 : work.ma.front().first;
  for (size_t t = start; t < w.size(); ++t) {
    double e = x[t];
    for (const auto& [lag, c] : work.ar) e -= c * x[t - lag];
    const size_t i = t - start;
    if (i >= full) {
      for (const auto& [lag, c] : work.ma) e -= c * out[i - lag];
    } else {
      for (const auto& [lag, c] : work.ma) {
        if (lag <= i) e -= c * out[i - lag];
      }
    }
    out[i] = e;
  }
}

// Runs the CSS residuals' MA recursion on each of `columns` (`count` values
// each) in place (u_i −= Σ θ'_lag u_{i−lag} over lag <= i), with `work.ma`
// as CssResiduals leaves it. The columns advance together: their recursions
// are independent, so the processor overlaps them.
void InverseMa(const CssWorkspace& work, std::span<double* const> columns, size_t count) {
  const size_t full = work.ma.empty() ? 0 : work.ma.front().first;
  for (size_t i = 0; i < std::min(full, count); ++i) {
    for (double* u : columns) {
      double value = u[i];
      for (const auto& [lag, c] : work.ma) {
        if (lag <= i) value -= c * u[i - lag];
      }
      u[i] = value;
    }
  }
  for (size_t i = full; i < count; ++i) {
    for (double* u : columns) {
      double value = u[i];
      for (const auto& [lag, c] : work.ma) value -= c * u[i - lag];
      u[i] = value;
    }
  }
}

// The Jacobian of the CSS residuals `e` (at `coefficients`) with respect to
// the coefficients, column-major into `jacobian`. With e = L⁻¹(φ(B)Φ(Bᵐ)x),
// L = θ(B)Θ(Bᵐ) applied with zero initial residuals (operators on sequences
// that start at p' commute):
//   ∂e/∂ma_j  = −Bʲ θ(B)⁻¹ e,          ∂e/∂sma_j = −B^{jm} Θ(Bᵐ)⁻¹ e,
//   ∂e/∂ar_j  = −L⁻¹ (Φ(Bᵐ)x)_{t−j},   ∂e/∂sar_j = −L⁻¹ (φ(B)x)_{t−jm},
//   ∂e/∂c     = −L⁻¹ (step·φ(1)Φ(1)),
// the AR, seasonal AR and constant columns one run of L⁻¹ together, the MA
// columns of a block one run of its own inverse. `model` and `work` are
// scratch (reused storage).
void CssJacobian(const ArimaSpec& spec, std::span<const double> w, double constant_step,
                 std::span<const double> coefficients, std::span<const double> e, Expanded& model,
                 CssWorkspace& work, std::span<double> jacobian) {
  const auto [p, q, sp, sq, m, ar, ma, sar, sma] = BlocksOf(spec, coefficients);
  ExpandInto(spec, coefficients, model);
  const size_t start = model.phi.size();
  const size_t count = e.size();
  const double shift = model.constant * constant_step;
  work.ma.clear();
  for (size_t j = model.theta.size(); j >= 1; --j) {
    if (model.theta[j - 1] != 0) work.ma.emplace_back(j, model.theta[j - 1]);
  }
  work.x.resize(w.size());
  for (size_t t = 0; t < w.size(); ++t) work.x[t] = w[t] - shift;
  const double* x = work.x.data();
  size_t column = 0;
  auto next_column = [&]() { return jacobian.subspan(count * column++, count); };
  work.filtered.clear();
  for (size_t j = 1; j <= p; ++j) {
    const std::span<double> u = next_column();
    for (size_t i = 0; i < count; ++i) {
      const size_t t = i + start - j;
      double y = x[t];
      for (size_t l = 1; l <= sp; ++l) y -= sar[l - 1] * x[t - l * m];
      u[i] = -y;
    }
    work.filtered.push_back(u.data());
  }
  // Columns of a block of MA lags: −B^{lag·j} applied to (block)⁻¹ e.
  auto ma_block = [&](const double* theta, size_t order, size_t lag) {
    if (order == 0) return;
    work.u.resize(count);
    for (size_t i = 0; i < count; ++i) {
      double value = e[i];
      for (size_t l = 1; l <= order && l * lag <= i; ++l)
        value -= theta[l - 1] * work.u[i - l * lag];
      work.u[i] = value;
    }
    for (size_t j = 1; j <= order; ++j) {
      const std::span<double> u = next_column();
      for (size_t i = 0; i < count; ++i) u[i] = i >= j * lag ? -work.u[i - j * lag] : 0.0;
    }
  };
  ma_block(ma, q, 1);
  for (size_t l = 1; l <= sp; ++l) {
    const std::span<double> u = next_column();
    for (size_t i = 0; i < count; ++i) {
      const size_t t = i + start - l * m;
      double z = x[t];
      for (size_t j = 1; j <= p; ++j) z -= ar[j - 1] * x[t - j];
      u[i] = -z;
    }
    work.filtered.push_back(u.data());
  }
  ma_block(sma, sq, m);
  if (spec.constant) {
    double level = 1;
    for (const double value : model.phi) level -= value;
    const std::span<double> u = next_column();
    std::fill(u.begin(), u.end(), -constant_step * level);
    work.filtered.push_back(u.data());
  }
  InverseMa(work, work.filtered, count);
}

// The exact likelihood's ingredients: Σ v_t²/F_t and Σ log F_t over the
// Kalman innovations of w − shift. With `standardised` non-empty it receives
// v_t / sqrt(F_t). False when the filter cannot start or breaks down.
bool KalmanTerms(std::span<const double> w, const Expanded& model, double shift,
                 ArmaKalmanFilter& filter, double* ssq, double* sumlog,
                 std::span<double> standardised) {
  if (!filter.Start(model.phi, model.theta)) return false;
  return filter.Likelihood(w, shift, standardised, ssq, sumlog);
}

double LogLikelihood(double ssq, double sumlog, double n) {
  return -0.5 * (n * std::log(2 * std::numbers::pi * ssq / n) + n + sumlog);
}

bool RootsAcceptable(const ArimaSpec& spec, std::span<const double> coefficients) {
  const ArmaPolynomials polys = SplitCoefficients(spec, coefficients);
  const double seasonal_radius = std::pow(kMinRootModulus, spec.period);
  auto negated = [](std::vector<double> values) {
    for (double& value : values) value = -value;
    return values;
  };
  return RootsOutside(polys.ar, kMinRootModulus) && RootsOutside(polys.sar, seasonal_radius) &&
         RootsOutside(negated(polys.ma), kMinRootModulus) &&
         RootsOutside(negated(polys.sma), seasonal_radius);
}

// AICc from AIC with npar = k + 1 estimated quantities (σ² included) over n*
// values; nullopt when undefined.
std::optional<double> Aicc(double aic, int npar, int nstar) {
  const int denominator = nstar - npar - 1;
  if (denominator <= 0 || !std::isfinite(aic)) return std::nullopt;
  return aic + 2.0 * npar * (npar + 1) / denominator;
}

double Mean(std::span<const double> values) {
  double sum = 0;
  for (const double value : values) sum += value;
  return values.empty() ? 0.0 : sum / static_cast<double>(values.size());
}

double StandardDeviation(std::span<const double> values) {
  const double mean = Mean(values);
  double sum = 0;
  for (const double value : values) sum += (value - mean) * (value - mean);
  return values.size() > 1 ? std::sqrt(sum / static_cast<double>(values.size() - 1)) : 0.0;
}

// Maps the ML search coordinates (PACF-transformed AR blocks) to
// coefficients, in place of `coefficients`.
void FromSearchCoordinates(const ArimaSpec& spec, std::span<const double> x,
                           std::span<double> coefficients) {
  std::copy(x.begin(), x.end(), coefficients.begin());
  const size_t p = static_cast<size_t>(spec.p);
  const size_t q = static_cast<size_t>(spec.q);
  const size_t sp = static_cast<size_t>(spec.seasonal_p);
  if (p > 0) PacfToAr(x.subspan(0, p), coefficients.subspan(0, p));
  if (sp > 0) PacfToAr(x.subspan(p + q, sp), coefficients.subspan(p + q, sp));
}

}  // namespace

int ArmaCoefficientCount(const ArimaSpec& spec) {
  return spec.p + spec.q + spec.seasonal_p + spec.seasonal_q;
}

std::string ArimaDescription(const ArimaSpec& spec) {
  std::string text = absl::StrCat("ARIMA(", spec.p, ",", spec.d, ",", spec.q, ")");
  if (spec.period > 1 && spec.seasonal_p + spec.seasonal_d + spec.seasonal_q > 0) {
    absl::StrAppend(&text, "(", spec.seasonal_p, ",", spec.seasonal_d, ",", spec.seasonal_q, ")[",
                    spec.period, "]");
  }
  const int differences = spec.d + spec.seasonal_d;
  if (spec.constant && differences == 1) absl::StrAppend(&text, " with drift");
  if (spec.constant && differences == 0) absl::StrAppend(&text, " with non-zero mean");
  if (!spec.constant && differences == 0) absl::StrAppend(&text, " with zero mean");
  return text;
}

DifferencedSeries Difference(std::span<const double> values, int d, int seasonal_d, int period) {
  DifferencedSeries out;
  out.d = d;
  out.seasonal_d = seasonal_d;
  out.period = period;
  out.constant_step = d + seasonal_d == 1 && seasonal_d == 1 ? period : 1;
  std::vector<double> w(values.begin(), values.end());
  for (int i = 0; i < d && !w.empty(); ++i) {
    for (size_t t = w.size() - 1; t >= 1; --t) w[t] -= w[t - 1];
    w.erase(w.begin());
  }
  const size_t lag = static_cast<size_t>(period);
  for (int i = 0; i < seasonal_d; ++i) {
    if (w.size() <= lag) {
      w.clear();
      break;
    }
    for (size_t t = w.size() - 1; t >= lag; --t) w[t] -= w[t - lag];
    w.erase(w.begin(), w.begin() + static_cast<long>(lag));
  }
  out.w = std::move(w);
  return out;
}

ArmaPolynomials SplitCoefficients(const ArimaSpec& spec, std::span<const double> coefficients) {
  ArmaPolynomials out;
  auto take = [&](size_t& at, int count) {
    std::vector<double> part(coefficients.begin() + static_cast<long>(at),
                             coefficients.begin() + static_cast<long>(at) + count);
    at += static_cast<size_t>(count);
    return part;
  };
  size_t at = 0;
  out.ar = take(at, spec.p);
  out.ma = take(at, spec.q);
  out.sar = take(at, spec.seasonal_p);
  out.sma = take(at, spec.seasonal_q);
  if (spec.constant) out.constant = coefficients[at];
  return out;
}

std::optional<ArimaFit> FitArima(const DifferencedSeries& series, const ArimaSpec& spec,
                                 ArimaMethod method, double offset,
                                 std::span<const double> css_estimate) {
  const std::span<const double> w = series.w;
  const int narma = ArmaCoefficientCount(spec);
  const int k = narma + (spec.constant ? 1 : 0);
  const int nstar = static_cast<int>(w.size());
  const int ncond = spec.p + spec.period * spec.seasonal_p;
  if (nstar - ncond < 1) return std::nullopt;
  const double step = series.constant_step;

  // CSS from zero ARMA coefficients and the least-squares constant.
  std::vector<double> start(static_cast<size_t>(k), 0.0);
  std::vector<double> scales(static_cast<size_t>(k), 1.0);
  if (spec.constant) {
    start.back() = Mean(w) / step;
    scales.back() = std::max(StandardDeviation(w) / step, 1e-8 * std::abs(start.back()) + 1e-300);
  }
  const size_t css_count = static_cast<size_t>(nstar - ncond);
  Expanded css_model;
  CssWorkspace css_work;
  auto css = [&](std::span<const double> x, std::span<double> residuals) {
    ExpandInto(spec, x, css_model);
    CssResiduals(w, css_model, css_model.constant * step, residuals, css_work);
    return true;
  };
  Expanded jacobian_model;
  CssWorkspace jacobian_work;
  auto css_jacobian = [&](std::span<const double> x, std::span<const double> residuals,
                          std::span<double> jacobian) {
    CssJacobian(spec, w, step, x, residuals, jacobian_model, jacobian_work, jacobian);
  };
  std::vector<double> coefficients = start;
  double css_ssq = 0;
  if (method == ArimaMethod::kCssMl && k > 0 && css_estimate.size() == static_cast<size_t>(k)) {
    coefficients.assign(css_estimate.begin(), css_estimate.end());
  } else if (k > 0) {
    const LeastSquaresResult result = MinimizeSumOfSquares(css, css_jacobian, css_count, start,
                                                           {.max_iterations = kCssIterations});
    if (!std::isfinite(result.value)) return std::nullopt;
    coefficients = result.point;
    css_ssq = result.value;
  } else {
    std::vector<double> residuals(css_count);
    css(coefficients, residuals);
    for (const double e : residuals) css_ssq += e * e;
  }

  ArimaFit fit;
  fit.spec = spec;
  if (method == ArimaMethod::kCss) {
    const double sigma2_css = css_ssq / static_cast<double>(css_count);
    if (!(sigma2_css > 0)) return std::nullopt;
    const double aic = offset + nstar * std::log(sigma2_css) + 2.0 * (k + 1);
    const std::optional<double> aicc = Aicc(aic, k + 1, nstar);
    if (!aicc.has_value() || nstar - k <= 0) return std::nullopt;
    fit.coefficients = coefficients;
    fit.sigma2 = css_ssq / (nstar - k);
    fit.aicc = *aicc;
    fit.exact = false;
    if (!RootsAcceptable(spec, fit.coefficients)) return std::nullopt;
    return fit;
  }

  // CSS-ML: the CSS AR blocks must be stationary.
  {
    const ArmaPolynomials polys = SplitCoefficients(spec, coefficients);
    if (!RootsOutside(polys.ar, 1.0) || !RootsOutside(polys.sar, 1.0)) return std::nullopt;
  }
  const size_t p = static_cast<size_t>(spec.p);
  const size_t q = static_cast<size_t>(spec.q);
  const size_t sp = static_cast<size_t>(spec.seasonal_p);
  const size_t sq = static_cast<size_t>(spec.seasonal_q);
  std::vector<double> x = coefficients;
  auto to_search = [&](size_t at, size_t count) {
    const std::vector<double> pacf =
        ArToPacf(std::span<const double>(coefficients).subspan(at, count));
    std::copy(pacf.begin(), pacf.end(), x.begin() + static_cast<long>(at));
  };
  auto invert_ma = [&](std::vector<double>& target, size_t at, size_t count) {
    const std::vector<double> inverted =
        InvertMa(std::span<const double>(target).subspan(at, count));
    std::copy(inverted.begin(), inverted.end(), target.begin() + static_cast<long>(at));
  };
  to_search(0, p);
  to_search(p + q, sp);
  invert_ma(x, p, q);
  invert_ma(x, p + q + sp, sq);

  ArmaKalmanFilter filter;
  std::vector<double> trial(static_cast<size_t>(k));
  Expanded ml_model;
  auto ml = [&](std::span<const double> point, std::span<double> residuals) {
    FromSearchCoordinates(spec, point, trial);
    ExpandInto(spec, trial, ml_model);
    double ssq = 0;
    double sumlog = 0;
    if (!KalmanTerms(w, ml_model, ml_model.constant * step, filter, &ssq, &sumlog, residuals)) {
      return false;
    }
    const double scale = std::exp(sumlog / (2.0 * nstar));
    for (double& value : residuals) value *= scale;
    return true;
  };
  if (k > 0) {
    const LeastSquaresResult result =
        MinimizeSumOfSquares(ml, static_cast<size_t>(nstar), x, scales, {.broyden = true});
    if (!std::isfinite(result.value)) return std::nullopt;
    x = result.point;
  }
  coefficients.assign(static_cast<size_t>(k), 0.0);
  FromSearchCoordinates(spec, x, coefficients);
  invert_ma(coefficients, p, q);
  invert_ma(coefficients, p + q + sp, sq);
  const Expanded model = Expand(spec, coefficients);
  double ssq = 0;
  double sumlog = 0;
  if (!KalmanTerms(w, model, model.constant * step, filter, &ssq, &sumlog, {})) {
    return std::nullopt;
  }
  if (!(ssq > 0) || nstar - k <= 0) return std::nullopt;
  fit.coefficients = coefficients;
  fit.loglik = LogLikelihood(ssq, sumlog, nstar);
  fit.sigma2 = ssq / (nstar - k);
  fit.exact = true;
  const std::optional<double> aicc = Aicc(-2 * fit.loglik + 2.0 * (k + 1), k + 1, nstar);
  if (!aicc.has_value() || !RootsAcceptable(spec, fit.coefficients)) return std::nullopt;
  fit.aicc = *aicc;
  return fit;
}

std::optional<ArimaFit> EvaluateArima(const DifferencedSeries& series, const ArimaSpec& spec,
                                      std::span<const double> coefficients) {
  const std::span<const double> w = series.w;
  const Expanded model = Expand(spec, coefficients);
  ArmaKalmanFilter filter;
  double ssq = 0;
  double sumlog = 0;
  if (w.empty() ||
      !KalmanTerms(w, model, model.constant * series.constant_step, filter, &ssq, &sumlog, {})) {
    return std::nullopt;
  }
  ArimaFit fit;
  fit.spec = spec;
  fit.coefficients.assign(coefficients.begin(), coefficients.end());
  const double n = static_cast<double>(w.size());
  fit.loglik = ssq > 0 ? LogLikelihood(ssq, sumlog, n) : std::numeric_limits<double>::infinity();
  fit.sigma2 = ssq / n;
  fit.exact = true;
  fit.aicc = std::numeric_limits<double>::quiet_NaN();
  return fit;
}

}  // namespace horizonscale::forecast::internal

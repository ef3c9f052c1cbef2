// Estimation of one seasonal ARIMA model (internal/arima_estimation.h).
#include "forecast/arima/internal/arima_estimation.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <span>
#include <string>
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

Expanded Expand(const ArimaSpec& spec, std::span<const double> coefficients) {
  const ArmaPolynomials polys = SplitCoefficients(spec, coefficients);
  return {ExpandAr(polys.ar, polys.sar, spec.period), ExpandMa(polys.ma, polys.sma, spec.period),
          polys.constant};
}

// Conditional-sum-of-squares residuals (R's ARIMA_CSS on the differenced
// series): e_t = x_t − Σ φ_j x_{t−j} − Σ θ_j e_{t−j} for t >= p' = phi.size(),
// x = w − shift, residuals before p' taken as zero. `out` has w.size() − p'
// entries.
void CssResiduals(std::span<const double> w, const Expanded& model, double shift,
                  std::span<double> out) {
  const size_t start = model.phi.size();
  std::vector<size_t> ar_lags;
  std::vector<size_t> ma_lags;
  for (size_t j = 0; j < model.phi.size(); ++j) {
    if (model.phi[j] != 0) ar_lags.push_back(j + 1);
  }
  for (size_t j = 0; j < model.theta.size(); ++j) {
    if (model.theta[j] != 0) ma_lags.push_back(j + 1);
  }
  for (size_t t = start; t < w.size(); ++t) {
    double e = w[t] - shift;
    for (const size_t lag : ar_lags) e -= model.phi[lag - 1] * (w[t - lag] - shift);
    const size_t i = t - start;
    for (const size_t lag : ma_lags) {
      if (lag > i) break;
      e -= model.theta[lag - 1] * out[i - lag];
    }
    out[i] = e;
  }
}

// The exact likelihood's ingredients: Σ v_t²/F_t and Σ log F_t over the
// Kalman innovations of w − shift. With `standardised` non-empty it receives
// v_t / sqrt(F_t). False when the filter cannot start or breaks down.
bool KalmanTerms(std::span<const double> w, const Expanded& model, double shift,
                 ArmaKalmanFilter& filter, double* ssq, double* sumlog,
                 std::span<double> standardised) {
  if (!filter.Start(model.phi, model.theta)) return false;
  double squares = 0;
  double logs = 0;
  // Σ log F_t as the log of products of 16 (F_t >= 1 in exact arithmetic:
  // no overflow), one log call per block.
  double product = 1;
  for (size_t t = 0; t < w.size(); ++t) {
    double variance = 0;
    const double v = filter.Update(w[t] - shift, &variance);
    if (!(variance > 0)) return false;
    squares += v * v / variance;
    product *= variance;
    if ((t & 15) == 15) {
      logs += std::log(product);
      product = 1;
    }
    if (!standardised.empty()) standardised[t] = v / std::sqrt(variance);
  }
  *ssq = squares;
  *sumlog = logs + std::log(product);
  return std::isfinite(squares) && std::isfinite(logs);
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
                                 ArimaMethod method, double offset) {
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
  auto css = [&](std::span<const double> x, std::span<double> residuals) {
    const Expanded model = Expand(spec, x);
    CssResiduals(w, model, model.constant * step, residuals);
    return true;
  };
  std::vector<double> coefficients = start;
  double css_ssq = 0;
  if (k > 0) {
    const LeastSquaresResult result =
        MinimizeSumOfSquares(css, css_count, start, scales, {.max_iterations = kCssIterations});
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
  auto ml = [&](std::span<const double> point, std::span<double> residuals) {
    FromSearchCoordinates(spec, point, trial);
    const Expanded model = Expand(spec, trial);
    double ssq = 0;
    double sumlog = 0;
    if (!KalmanTerms(w, model, model.constant * step, filter, &ssq, &sumlog, residuals)) {
      return false;
    }
    const double scale = std::exp(sumlog / (2.0 * nstar));
    for (double& value : residuals) value *= scale;
    return true;
  };
  if (k > 0) {
    const LeastSquaresResult result =
        MinimizeSumOfSquares(ml, static_cast<size_t>(nstar), x, scales);
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

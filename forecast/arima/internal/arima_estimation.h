// Estimation of one seasonal ARIMA(p,d,q)(P,D,Q)[m] model, as R's
// stats::arima does it inside forecast::auto.arima's myarima (forecast 8.20):
//
//  - CSS: the conditional sum of squares of the differenced series, the
//    first p + m·P residuals conditioned on (R's method "CSS"), minimised by
//    Levenberg–Marquardt (analytic Jacobian) from zero ARMA coefficients and
//    the least-squares constant;
//  - CSS-ML: CSS first (failing when its AR part is not stationary), then the
//    exact Gaussian likelihood of the differenced series by the Kalman filter
//    (internal/arima_kalman.h) from there, AR blocks kept stationary by R's
//    partial-autocorrelation transform and MA roots reflected into
//    invertibility afterwards (R's method "CSS-ML"); Levenberg–Marquardt with
//    forward differences kept up to date by Broyden updates between
//    recomputations.
//
// The likelihood of the differenced series is what R's diffuse-prior filter
// on the undifferenced series computes in the limit κ → ∞ (R uses κ = 1e6).
//
// A fit is rejected (nullopt), as myarima gives it IC = ∞, when the
// estimation fails, when an AR or MA root of the expanded polynomials lies
// within modulus 1.01, or when the AICc is undefined (n* − k − 2 <= 0).
// myarima's other rejection, a non-finite standard error from the Hessian
// (checkarima), is not reproduced: no Hessian is computed.
//
// Internal to forecast/arima/.
#pragma once

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace horizonscale::forecast::internal {

// The orders of a seasonal ARIMA and whether it has a constant.
struct ArimaSpec {
  int p = 0;
  int d = 0;
  int q = 0;
  int seasonal_p = 0;  // P
  int seasonal_d = 0;  // D
  int seasonal_q = 0;  // Q
  int period = 1;      // m; 1: no seasonal part (P = D = Q = 0)
  // An intercept when d + D = 0, a drift (a slope per step on the original
  // scale) when d + D = 1; must be false when d + D >= 2.
  bool constant = false;
};

// Estimated coefficients, excluding the constant: p + q + P + Q.
int ArmaCoefficientCount(const ArimaSpec& spec);

// "ARIMA(p,d,q)(P,D,Q)[m]" plus " with drift" / " with non-zero mean" /
// " with zero mean" as R's arima.string.
std::string ArimaDescription(const ArimaSpec& spec);

// A series prepared for the fits of one (d, D, m): w = (1 − B)^d (1 − B^m)^D y.
struct DifferencedSeries {
  int d = 0;
  int seasonal_d = 0;
  int period = 1;
  std::vector<double> w;  // length n − d − m·D
  // The differenced constant regressor: 1 for an intercept (d + D = 0) or a
  // drift with d = 1, m for a drift with D = 1.
  double constant_step = 1;
};

// Differences `values` d times at lag 1 and D times at lag m (m >= 1).
DifferencedSeries Difference(std::span<const double> values, int d, int seasonal_d, int period);

// A fitted model. coefficients in R's order: ar1..arp, ma1..maq,
// sar1..sarP, sma1..smaQ, then the intercept or drift when spec.constant.
struct ArimaFit {
  ArimaSpec spec;
  std::vector<double> coefficients;
  // auto.arima's σ²: the sum of squared (standardised) residuals over
  // n* − k, n* = n − d − m·D, k = coefficients.size().
  double sigma2 = 0;
  // The exact log-likelihood (NaN for a CSS fit).
  double loglik = std::numeric_limits<double>::quiet_NaN();
  // myarima's AICc: from the exact likelihood for CSS-ML, and
  // offset + n*·log(σ²_CSS) + 2(k + 1) + correction for CSS.
  double aicc = std::numeric_limits<double>::infinity();
  bool exact = false;  // CSS-ML (true) or CSS (false)
};

enum class ArimaMethod { kCss, kCssMl };

// Fits `spec` to the series behind `series` (spec's d, D, m must match it).
// `offset` is auto.arima's AIC offset for CSS fits (ignored for CSS-ML).
// nullopt when myarima would reject the fit (see above). For CSS-ML,
// `css_estimate` may hold the coefficients of an earlier CSS fit of the same
// spec and series (what the CSS stage would compute again): ML starts there.
std::optional<ArimaFit> FitArima(const DifferencedSeries& series, const ArimaSpec& spec,
                                 ArimaMethod method, double offset,
                                 std::span<const double> css_estimate = {});

// The fit with every coefficient given (nothing estimated; R's Arima with
// `fixed`): exact likelihood, σ² over n* (no estimated coefficient). nullopt
// when the AR part is not stationary.
std::optional<ArimaFit> EvaluateArima(const DifferencedSeries& series, const ArimaSpec& spec,
                                      std::span<const double> coefficients);

// The split of a coefficient vector into the four polynomials and the
// constant (0 without one).
struct ArmaPolynomials {
  std::vector<double> ar, ma, sar, sma;
  double constant = 0;
};
ArmaPolynomials SplitCoefficients(const ArimaSpec& spec, std::span<const double> coefficients);

}  // namespace horizonscale::forecast::internal

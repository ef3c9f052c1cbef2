// Classical seasonal adjustment pieces shared by the models that follow R's
// forecast package: the ACF seasonality test of thetaf and the seasonal figure
// of multiplicative classical decomposition (stats::decompose). Pure;
// thread-safe.
#pragma once

#include <span>
#include <vector>

namespace horizonscale::forecast {

// R forecast::thetaf's seasonality test (forecast 8.20) at the 90 % level:
// true when period m > 1, the series is not constant (R's is.constant: the
// mean relative difference of the values from the first is at most
// sqrt(DBL_EPSILON)), n > 2m (strictly) and the ACF r (Autocorrelation) at lag
// m satisfies |r_m| > 1.6449 · sqrt((1 + 2 Σ_{k=1}^{m−1} r_k²) / n), the
// one-sided 95 % (two-sided 90 %) point of its Bartlett standard error.
// O(n · m).
bool ThetaSeasonalityTest(std::span<const double> values, int period);

// The centred moving average of order m of `values` (R's filter in
// stats::decompose): for odd m the mean of the m values centred on t; for even
// m the 2×m average, weights 1/(2m) at t ± m/2 and 1/m between. Defined for t
// in [floor(m/2), n − 1 − floor(m/2)]; returned indexed by t − floor(m/2)
// (n − 2·floor(m/2) values). Requires m >= 2 and n >= m + 1. O(n).
std::vector<double> CentredMovingAverage(std::span<const double> values, int period);

// The seasonal figure of classical decomposition, R's decompose(x, type =
// "multiplicative" or "additive")$figure: the ratios y_t / trend_t (or the
// differences y_t − trend_t) to CentredMovingAverage averaged over each
// position p = t mod m (t counted from the first value), then divided by
// their mean (or less their mean), so the m factors average 1 (or the m
// offsets 0). Position p applies to the steps t ≡ p (mod m). Requires
// m >= 2 and n >= 2m (every position then has a value). A multiplicative
// figure is meant for positive series: a zero or negative value can make a
// factor non-finite or meaningless, so callers check the result. O(n).
std::vector<double> SeasonalFigure(std::span<const double> values, int period, bool multiplicative);

}  // namespace horizonscale::forecast

// How many differences a series needs, as forecast::auto.arima (8.20)
// decides by default: ndiffs (KPSS, level stationarity, 5 %) for d and
// nsdiffs (test = "seas": seasonal strength > 0.64) for D. Internal to
// forecast/arima/.
#pragma once

#include <span>

namespace horizonscale::forecast::internal {

// R's forecast:::is.constant: all.equal(x, rep(x[1], n)), i.e. the mean
// absolute deviation from the first value is at most 1.5e-8 times the mean
// absolute value (absolute when that mean is <= 1.5e-8). True when empty.
bool IsConstant(std::span<const double> values);

// The KPSS level-stationarity statistic of urca::ur.kpss(type = "mu",
// use.lag = lags): Σ S_t² / (n² σ̂²), S the partial sums of the demeaned
// series, σ̂² the Newey–West long-run variance with Bartlett weights over
// `lags` >= 0 lags. Needs at least 2 values (0 otherwise).
double KpssStatistic(std::span<const double> values, int lags);

// forecast::ndiffs(x, test = "kpss", alpha = 0.05, max.d = max_d): the
// number of first differences (0..max_d) after which the KPSS statistic
// (lag trunc(3·sqrt(n)/13) of the current series) is at most 0.463, the 5 %
// critical value; stops at a constant series.
int NumberOfDifferences(std::span<const double> values, int max_d);

// The seasonal strength max(0, min(1, 1 − Var(R) / Var(R + S))) of a
// decomposition y = T + S + R with period m >= 2; needs more than 2m values
// (0 otherwise). R's seas.heuristic takes S and R from MSTL (STL with
// s.window = 11). Here the decomposition is the classical one with an
// evolving seasonal component: T the centred 2×m moving average, S at each
// time the tricube-weighted mean of the detrended values at the same phase
// over the 11 nearest seasons (the window truncated at the ends), R the rest,
// all over the span where T is defined. Like STL's s.window = 11 it lets the
// seasonal pattern change, so it tracks R's figure closely (within ~0.03 on
// R's seasonal datasets) where a fixed seasonal pattern would not (UKgas:
// 0.59 classical vs 0.98 STL). SeasonalStrength is the single place to swap
// in STL.
double SeasonalStrength(std::span<const double> values, int period);

// forecast::nsdiffs(x, test = "seas", max.D = 1): 1 when the series is not
// constant, longer than m, and SeasonalStrength > 0.64; else 0.
int NumberOfSeasonalDifferences(std::span<const double> values, int period);

}  // namespace horizonscale::forecast::internal

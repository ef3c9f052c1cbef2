// Seasonal period detection from the autocorrelation function. Pure;
// thread-safe.
#pragma once

#include <span>
#include <vector>

namespace horizonscale::forecast {

// Sample autocorrelation of `values` at lags 0..max_lag (r_0 = 1):
// r_k = Σ_{t<n−k} (y_t − ȳ)(y_{t+k} − ȳ) / Σ_t (y_t − ȳ)², the usual (biased)
// estimator; all zeros after r_0 for a constant series. max_lag is capped at
// n − 1 (a negative one counts as 0); empty for empty input. O(n · max_lag).
std::vector<double> Autocorrelation(std::span<const double> values, int max_lag);

// The dominant seasonal period of `values` in steps, or 0 when there is none.
// The rule (documented in full in the implementation): remove the linear
// trend, compute the ACF up to min(max_period, n / 2), and take the lag >= 2
// of the highest local maximum of the ACF that is above 0.3, the 95 %
// white-noise bound 1.96 / sqrt(n) and Bartlett's 95 % band for a series
// correlated up to the previous lag, and that rises clearly above the lowest
// ACF value before it; among lags within 0.05 of that height, the smallest
// (so a multiple of the true period does not win). That lag is then refined
// within ±1/8 of itself by the mean variogram correlation at its multiples,
// so noise on the flat top of an ACF peak does not shift the period by a
// step, and replaced by its smallest divisor that is an equally good period.
// Analyses at most the last 10,000 values; a smooth cycle needs about
// five periods of history to be found.
int DetectSeasonalPeriod(std::span<const double> values, int max_period);

// The seasonal periods of `values`, shortest first, at most two: the
// dominant one (DetectSeasonalPeriod) and, when there is one, a shorter
// period dividing it (DetectSeasonalPeriod up to half the dominant one: the
// day within a week of hourly data) or else a longer multiple of it (found
// on the series with the dominant period's mean profile removed, and kept
// only when the series holds at least two of its cycles). Empty when there
// is none.
std::vector<int> DetectSeasonalPeriods(std::span<const double> values, int max_period);

}  // namespace horizonscale::forecast

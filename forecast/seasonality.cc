// Seasonal period detection.
//
// The detection rule, in full (DetectSeasonalPeriod). n is the number of
// values analysed and r_k the sample ACF (Autocorrelation) of the detrended
// values.
//  1. Work on the last min(n, kDetectionWindow) values (bounds the cost).
//     Fewer than 4 values or max_period < 2: no period (0).
//  2. Remove the least-squares line on time. A series the line explains to
//     within rounding (residual sum of squares <= 1e-12 of the total sum of
//     squares; this includes a constant series) has no period: the ACF of
//     rounding noise means nothing.
//  3. Compute the ACF for lags up to L = min(max_period, n / 2) (so at least
//     two full cycles are seen), and one lag further, to tell whether lag L
//     is a peak.
//  4. Candidates are the lags k in [2, L] where r has a local maximum
//     (r_k > r_{k−1} and r_k >= r_{k+1}) that is
//       - above max(0.3, 1.96 / sqrt(n)): a sizeable share of the variance and
//         outside the 95 % white-noise band;
//       - above Bartlett's 95 % band 1.96 · sqrt((1 + 2 Σ_{0<i<k} r_i²) / n),
//         the band of r_k for a series correlated only up to lag k − 1: a
//         smooth series (a random walk, a slow autoregression) has large ACF
//         values everywhere, and its bumps are not cycles. The price: a
//         smooth (sinusoid-like) cycle needs about five periods of history to
//         pass, a sharper one (weekday/weekend) about four;
//       - prominent: at least max(0.1, 1.96 · sqrt(2 / n)) above the lowest r
//         at a smaller lag (the 95 % band of a difference of two ACF values),
//         so a wiggle on a slowly decaying ACF is not taken for a cycle.
//     No candidate: no period (0).
//  5. Take the highest candidate; among candidates within 0.05 of its height,
//     the smallest lag k* (a multiple of the true period is nearly as high
//     and must not win).
//  6. Refine k* against noise and edge effects: the top of an ACF hump is
//     flat (for a sinusoid r_{k*±1} is below r_{k*} by only ~2π²/k*² of its
//     height), so sampling noise can move the local maximum a step or two off
//     the period. Among the lags p within reach(k*) = max(1, round(k*/8)) of
//     k* (and in [2, L]), take the one with the highest comb score: the mean,
//     over the multiples jp <= n / 2 (j = 1..10), of the variogram
//     correlation 1 − mean((x_t − x_{t−jp})²) / (2·variance), which is exactly
//     1 at the period of a noise-free periodic series. One step off the
//     period the j-th multiple is j steps off, so the comb separates what a
//     single lag cannot. Ties keep the smaller lag.
//  7. Return the smallest divisor d >= 2 of that period that has a candidate
//     of step 4 within reach(d) and a comb score within 0.025 of the
//     period's (noise can lift a multiple of the period slightly above it;
//     the comb at the true period covers the multiple's lags and more); else
//     the period itself.
#include "forecast/internal/seasonality.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace horizonscale::forecast {
namespace {

// Largest number of (most recent) values DetectSeasonalPeriod analyses: at
// most about kDetectionWindow² / 2 multiply-adds for the ACF, and
// kDetectionWindow × (2·reach + 1) × 10 for the comb of step 6.
constexpr size_t kDetectionWindow = 10'000;
// A series whose linear-trend residuals hold less than this share of its
// variance is a line (or a constant) up to rounding.
constexpr double kRoundingVarianceShare = 1e-12;
// Lowest ACF height of a seasonal peak (besides the significance bounds).
constexpr double kMinPeakHeight = 0.3;
// Two-sided 95 % standard normal quantile, for the significance bounds.
constexpr double kZ95 = 1.96;
// Least rise of a peak above the lowest ACF value before it (besides the
// noise bound).
constexpr double kMinPeakProminence = 0.1;
// Peaks within this of the highest count as equally high.
constexpr double kPeakHeightTolerance = 0.05;
// Divisors whose comb score is within this of the period's are preferred.
constexpr double kCombTolerance = kPeakHeightTolerance / 2;
// Multiples of a period the comb score averages over.
constexpr int kCombMultiples = 10;

// Residuals of the least-squares line of `values` on t = 0, 1, ...; empty
// when the line explains the series to within rounding (rule step 2).
std::vector<double> DetrendedOrEmpty(std::span<const double> values) {
  const auto n = static_cast<double>(values.size());
  const double mean_t = (n - 1) / 2;
  double mean_y = 0;
  for (double y : values) mean_y += y;
  mean_y /= n;
  double s_tt = 0;
  double s_ty = 0;
  double s_yy = 0;
  for (size_t t = 0; t < values.size(); ++t) {
    const double dt = static_cast<double>(t) - mean_t;
    const double dy = values[t] - mean_y;
    s_tt += dt * dt;
    s_ty += dt * dy;
    s_yy += dy * dy;
  }
  if (s_yy == 0) return {};
  const double slope = s_ty / s_tt;
  std::vector<double> residuals(values.size());
  double s_rr = 0;
  for (size_t t = 0; t < values.size(); ++t) {
    residuals[t] = values[t] - mean_y - slope * (static_cast<double>(t) - mean_t);
    s_rr += residuals[t] * residuals[t];
  }
  if (s_rr <= kRoundingVarianceShare * s_yy) return {};
  return residuals;
}

// Lags in [2, last_lag] passing rule step 4, for the ACF `acf` (lags
// 0..last_lag + 1) of n values.
std::vector<int> PeakCandidates(const std::vector<double>& acf, int last_lag, size_t n) {
  const auto count = static_cast<double>(n);
  const double height_bound = std::max(kMinPeakHeight, kZ95 / std::sqrt(count));
  const double prominence_bound = std::max(kMinPeakProminence, kZ95 * std::sqrt(2 / count));
  std::vector<int> candidates;
  double sum_sq_before = acf[1] * acf[1];  // Σ_{0<i<k} r_i²
  double lowest_before = acf[1];
  for (int k = 2; k <= last_lag; ++k) {
    const auto lag = static_cast<size_t>(k);
    const double height = acf[lag];
    const bool local_maximum = height > acf[lag - 1] && height >= acf[lag + 1];
    const double bartlett_bound = kZ95 * std::sqrt((1 + 2 * sum_sq_before) / count);
    if (local_maximum && height > height_bound && height > bartlett_bound &&
        height - lowest_before >= prominence_bound) {
      candidates.push_back(k);
    }
    sum_sq_before += height * height;
    lowest_before = std::min(lowest_before, height);
  }
  return candidates;
}

// The smallest candidate lag within kPeakHeightTolerance of the highest
// candidate (rule step 5). `candidates` is non-empty and ascending.
int ChoosePeak(const std::vector<double>& acf, const std::vector<int>& candidates) {
  double highest = acf[static_cast<size_t>(candidates.front())];
  for (int k : candidates) highest = std::max(highest, acf[static_cast<size_t>(k)]);
  for (int k : candidates) {
    if (acf[static_cast<size_t>(k)] >= highest - kPeakHeightTolerance) return k;
  }
  return candidates.front();  // not reached: the highest is within tolerance
}

// How far from a peak at `lag` the true period may lie (rule steps 6, 7).
int Reach(int lag) { return std::max(1, static_cast<int>(std::lround(lag / 8.0))); }

// The comb score of rule step 6, over the mean-zero `residuals`.
class CombScorer {
 public:
  explicit CombScorer(const std::vector<double>& residuals) : residuals_(residuals) {
    for (double r : residuals) variance_ += r * r;
    variance_ /= static_cast<double>(residuals.size());
  }

  // Mean variogram correlation at the multiples of `period` up to n / 2, at
  // most kCombMultiples of them. 2 <= period <= n / 2.
  double Score(int period) const {
    const size_t max_lag = residuals_.size() / 2;
    const auto step = static_cast<size_t>(period);
    double sum = 0;
    int count = 0;
    for (size_t lag = step; count < kCombMultiples && lag <= max_lag; lag += step) {
      sum += VariogramCorrelation(lag);
      ++count;
    }
    return sum / count;
  }

 private:
  // 1 − mean((x_t − x_{t−lag})²) / (2 · variance), the mean over the n − lag
  // available pairs: an ACF estimate without the (n − lag) / n shrinkage,
  // exactly 1 at the period of a noise-free periodic series.
  double VariogramCorrelation(size_t lag) const {
    double sum = 0;
    for (size_t t = lag; t < residuals_.size(); ++t) {
      const double difference = residuals_[t] - residuals_[t - lag];
      sum += difference * difference;
    }
    return 1 - sum / static_cast<double>(residuals_.size() - lag) / (2 * variance_);
  }

  const std::vector<double>& residuals_;
  double variance_ = 0;
};

// Rule step 6: the lag within Reach(peak) of `peak`, in [2, last_lag], with
// the best comb score; ties keep the smaller lag.
int RefinePeak(const CombScorer& comb, int peak, int last_lag) {
  int best = 0;
  double best_score = 0;
  const int reach = Reach(peak);
  for (int p = std::max(2, peak - reach); p <= std::min(last_lag, peak + reach); ++p) {
    const double score = comb.Score(p);
    if (best == 0 || score > best_score) {
      best = p;
      best_score = score;
    }
  }
  return best;
}

// Whether a candidate lies within Reach(lag) of `lag`.
bool NearACandidate(const std::vector<int>& candidates, int lag) {
  return std::any_of(candidates.begin(), candidates.end(),
                     [&](int k) { return std::abs(k - lag) <= Reach(lag); });
}

// Rule step 7: the smallest divisor d >= 2 of `period` near a candidate with
// a comb score within kCombTolerance of the period's; else `period`.
int SmallestEquivalentDivisor(const CombScorer& comb, const std::vector<int>& candidates,
                              int period) {
  const double period_score = comb.Score(period);
  for (int d = 2; d <= period / 2; ++d) {
    if (period % d != 0 || !NearACandidate(candidates, d)) continue;
    if (comb.Score(d) >= period_score - kCombTolerance) return d;
  }
  return period;
}

}  // namespace

std::vector<double> Autocorrelation(std::span<const double> values, int max_lag) {
  if (values.empty()) return {};
  const size_t n = values.size();
  const size_t last_lag = std::min(static_cast<size_t>(std::max(max_lag, 0)), n - 1);
  std::vector<double> acf(last_lag + 1, 0.0);
  acf[0] = 1;
  // An exact test: for a constant series the mean can be off by a rounding
  // error, and the ACF of that error would be noise.
  if (std::all_of(values.begin(), values.end(), [&](double y) { return y == values[0]; })) {
    return acf;
  }
  double mean = 0;
  for (double y : values) mean += y;
  mean /= static_cast<double>(n);
  std::vector<double> deviations(n);
  double denominator = 0;
  for (size_t t = 0; t < n; ++t) {
    deviations[t] = values[t] - mean;
    denominator += deviations[t] * deviations[t];
  }
  for (size_t k = 1; k <= last_lag; ++k) {
    double sum = 0;
    for (size_t t = 0; t + k < n; ++t) sum += deviations[t] * deviations[t + k];
    acf[k] = sum / denominator;
  }
  return acf;
}

int DetectSeasonalPeriod(std::span<const double> values, int max_period) {
  if (values.size() > kDetectionWindow) values = values.last(kDetectionWindow);
  const size_t n = values.size();
  if (n < 4 || max_period < 2) return 0;
  const std::vector<double> residuals = DetrendedOrEmpty(values);
  if (residuals.empty()) return 0;

  const int last_lag = std::min(max_period, static_cast<int>(n / 2));
  const std::vector<double> acf = Autocorrelation(residuals, last_lag + 1);
  const std::vector<int> candidates = PeakCandidates(acf, last_lag, n);
  if (candidates.empty()) return 0;

  const CombScorer comb(residuals);
  const int period = RefinePeak(comb, ChoosePeak(acf, candidates), last_lag);
  return SmallestEquivalentDivisor(comb, candidates, period);
}

std::vector<int> DetectSeasonalPeriods(std::span<const double> values, int max_period) {
  const int first = DetectSeasonalPeriod(values, max_period);
  if (first < 2) return {};
  // A shorter cycle within the dominant one (the day within a week).
  const int shorter = DetectSeasonalPeriod(values, first / 2);
  if (shorter >= 2 && first % shorter == 0) return {shorter, first};
  std::vector<int> periods = {first};
  const size_t n = values.size();
  if (static_cast<int64_t>(n) < 4LL * first) return periods;
  // The first period's mean profile (per phase), removed.
  std::vector<double> profile(static_cast<size_t>(first), 0.0);
  std::vector<int> counts(static_cast<size_t>(first), 0);
  for (size_t t = 0; t < n; ++t) {
    profile[t % first] += values[t];
    ++counts[t % first];
  }
  for (int phase = 0; phase < first; ++phase) profile[phase] /= counts[phase];
  std::vector<double> adjusted(n);
  for (size_t t = 0; t < n; ++t) adjusted[t] = values[t] - profile[t % first];
  const int second = DetectSeasonalPeriod(adjusted, max_period);
  if (second > first && second % first == 0 && static_cast<int64_t>(n) >= 2LL * second) {
    periods.push_back(second);
  }
  return periods;
}

}  // namespace horizonscale::forecast

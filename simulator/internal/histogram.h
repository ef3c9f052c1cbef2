// Log-bucketed histogram of latencies (seconds) with bounded memory, for the
// percentiles of the summary and of each timeline window. Internal to
// hs_simulator.
//
// Buckets: every binary octave [2^e, 2^{e+1}) for e in [−20, 40) is split
// into 128 equal sub-buckets (the top 7 mantissa bits of the double), plus
// one underflow bucket [0, 2^-20 s ≈ 0.95 µs) and one overflow bucket
// [2^40 s, ∞). A sub-bucket is at most 2^-7 of its lower edge wide, so its
// midpoint is within 2^-8 ≈ 0.39 % of any value in it: a quantile is
// reported with a relative error of at most 0.39 % against the exact
// nearest-rank sample quantile, and never outside the observed [min, max] (so
// equal values are reported exactly). Out of range: the underflow bucket
// reports its midpoint (2^-21 s), the overflow bucket the maximum.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

namespace horizonscale::simulator::internal {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 7;
  static constexpr int kMinExponent = -20;
  static constexpr int kMaxExponent = 40;
  static constexpr int kBuckets = ((kMaxExponent - kMinExponent) << kSubBucketBits) + 2;

  LatencyHistogram() : counts_(kBuckets, 0) {}

  // Records one latency (seconds, >= 0; negative or NaN count as 0).
  void Add(double seconds) {
    const int index = Index(seconds);
    ++counts_[index];
    ++count_;
    low_ = std::min(low_, index);
    high_ = std::max(high_, index);
    min_ = std::min(min_, seconds);
    max_ = std::max(max_, seconds);
  }

  // Adds every observation of `other` (cost: the buckets `other` touched).
  void Merge(const LatencyHistogram& other);

  // Forgets every observation (cost: the buckets touched since the last clear).
  void Clear();

  // The nearest-rank `p`-quantile (p in (0, 1]): the value of the
  // ⌈p·n⌉-th smallest observation, to within the bucket error above; 0 when
  // empty.
  double Quantile(double p) const;

  int64_t count() const { return count_; }

  // The bucket holding `seconds`.
  static int Index(double seconds) {
    if (!(seconds >= kMinValue)) return 0;
    if (seconds >= kMaxValue) return kBuckets - 1;
    return static_cast<int>((std::bit_cast<uint64_t>(seconds) >> kShift) - kMinKey) + 1;
  }

 private:
  static constexpr int kShift = 52 - kSubBucketBits;
  static constexpr double kMinValue = 0x1.0p-20;
  static constexpr double kMaxValue = 0x1.0p40;
  static constexpr uint64_t kMinKey = std::bit_cast<uint64_t>(kMinValue) >> kShift;

  // The midpoint of bucket `index`.
  static double Midpoint(int index);

  std::vector<int64_t> counts_;
  int64_t count_ = 0;
  int low_ = kBuckets;  // touched bucket range [low_, high_]
  int high_ = -1;
  double min_ = std::numeric_limits<double>::infinity();
  double max_ = -std::numeric_limits<double>::infinity();
};

}  // namespace horizonscale::simulator::internal

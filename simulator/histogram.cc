// LatencyHistogram: merging, clearing and quantiles (see internal/histogram.h).
#include <bit>
#include <cmath>

#include "simulator/internal/histogram.h"

namespace horizonscale::simulator::internal {

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (int i = other.low_; i <= other.high_; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  low_ = std::min(low_, other.low_);
  high_ = std::max(high_, other.high_);
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LatencyHistogram::Clear() {
  for (int i = low_; i <= high_; ++i) counts_[i] = 0;
  count_ = 0;
  low_ = kBuckets;
  high_ = -1;
  min_ = std::numeric_limits<double>::infinity();
  max_ = -std::numeric_limits<double>::infinity();
}

double LatencyHistogram::Midpoint(int index) {
  if (index == 0) return kMinValue / 2;
  if (index == kBuckets - 1) return kMaxValue;
  const uint64_t key = static_cast<uint64_t>(index - 1) + kMinKey;
  const auto lower = std::bit_cast<double>(key << kShift);
  const auto upper = std::bit_cast<double>((key + 1) << kShift);
  return (lower + upper) / 2;
}

double LatencyHistogram::Quantile(double p) const {
  if (count_ == 0) return 0;
  // ⌈p·n⌉, robust to p·n landing a rounding error above an integer.
  auto rank = static_cast<int64_t>(std::ceil(p * static_cast<double>(count_) - 1e-9));
  rank = std::clamp<int64_t>(rank, 1, count_);
  int64_t seen = 0;
  for (int i = low_; i <= high_; ++i) {
    seen += counts_[i];
    if (seen >= rank) return i == kBuckets - 1 ? max_ : std::clamp(Midpoint(i), min_, max_);
  }
  return max_;
}

}  // namespace horizonscale::simulator::internal

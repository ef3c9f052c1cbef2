// The latency histogram's quantiles against exact nearest-rank quantiles of
// the same data: relative error at most 2^-8 (the documented bound).
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "simulator/internal/histogram.h"
#include "simulator/internal/random.h"

namespace horizonscale::simulator {
namespace {

double ExactQuantile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::max<size_t>(rank, 1) - 1];
}

TEST(HistogramTest, QuantilesWithinDocumentedError) {
  internal::Rng rng(3, internal::Stream::kService);
  std::vector<double> values;
  internal::LatencyHistogram histogram;
  for (int i = 0; i < 100'000; ++i) {
    // Log-uniform over 1 ms .. 1000 s.
    const double x = std::exp(std::log(1e-3) + rng.Uniform() * std::log(1e6));
    values.push_back(x);
    histogram.Add(x);
  }
  for (double p : {0.01, 0.5, 0.9, 0.95, 0.99, 0.999}) {
    const double exact = ExactQuantile(values, p);
    EXPECT_NEAR(histogram.Quantile(p), exact, exact * 0x1.0p-8) << "p = " << p;
  }
}

TEST(HistogramTest, EqualValuesAreExactAndEmptyIsZero) {
  internal::LatencyHistogram histogram;
  EXPECT_EQ(histogram.Quantile(0.95), 0);
  for (int i = 0; i < 50; ++i) histogram.Add(1.7);
  EXPECT_EQ(histogram.Quantile(0.5), 1.7);
  EXPECT_EQ(histogram.Quantile(0.95), 1.7);
}

TEST(HistogramTest, MergeAndClear) {
  internal::LatencyHistogram a;
  internal::LatencyHistogram b;
  for (int i = 1; i <= 100; ++i) a.Add(i);
  for (int i = 101; i <= 200; ++i) b.Add(i);
  a.Merge(b);
  EXPECT_EQ(a.count(), 200);
  EXPECT_NEAR(a.Quantile(0.95), 190, 190 * 0x1.0p-8);
  a.Clear();
  EXPECT_EQ(a.count(), 0);
  EXPECT_EQ(a.Quantile(0.5), 0);
  a.Add(3);
  EXPECT_EQ(a.Quantile(0.5), 3);
}

TEST(HistogramTest, OutOfRangeValues) {
  internal::LatencyHistogram histogram;
  histogram.Add(0);
  histogram.Add(1e-9);
  histogram.Add(1e15);
  EXPECT_LE(histogram.Quantile(0.3), 0x1.0p-20);  // the underflow bucket: below 1 µs
  EXPECT_EQ(histogram.Quantile(1.0), 1e15);       // the overflow bucket: the maximum
}

}  // namespace
}  // namespace horizonscale::simulator

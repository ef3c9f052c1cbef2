// Service-time laws used by the Erlang-C family (M/M/1, M/M/c, M/G/c) and the
// convolution of a service time with an exponential wait. Internal to
// hs_queueing.
#pragma once

namespace horizonscale::queueing::internal {

// Gamma shapes above this (CV < 0.01) use a normal approximation of the
// service time; the percentile effect of the neglected skewness (2/√k) is
// below 1e-4 of the mean service time.
inline constexpr double kMaxGammaShape = 1e4;

// A positive service time S with a given mean and coefficient of variation:
// exponential (CV = 1, exactly as in M/M/c), deterministic (CV = 0), gamma
// with shape k = 1/CV² and the given mean (other CVs), or normal when the
// gamma shape exceeds kMaxGammaShape. Value type, cheap to copy.
class ServiceDistribution {
 public:
  enum class Kind { kExponential, kDeterministic, kGamma, kNormal };

  static ServiceDistribution Exponential(double mean);
  // mean > 0, cv >= 0, both finite.
  static ServiceDistribution WithMeanAndCv(double mean, double cv);

  Kind kind() const { return kind_; }
  double mean() const { return mean_; }
  // Short description for QueueMetrics::method.
  const char* Describe() const;

  // P(S > t).
  double Survival(double t) const;
  // inf{t : P(S > t) <= 1 − p} for p in (0, 1).
  double Quantile(double p) const;
  // P(E + S > t) − P(S > t) = ∫_0^t f_S(s) e^{−ν(t−s)} ds for E ~ Exp(ν)
  // independent of S (ν > 0): the extra tail a waiting time with an
  // exponential tail adds to the service time. In [0, 1].
  double ExpSumExcess(double t, double nu) const;

 private:
  ServiceDistribution(Kind kind, double mean, double cv);

  Kind kind_;
  double mean_;
  double cv_;
  double shape_ = 1;  // gamma shape k = 1/CV²
  double rate_ = 1;   // 1/mean for the exponential, k/mean for the gamma
};

}  // namespace horizonscale::queueing::internal

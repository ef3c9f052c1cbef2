// M/G/c by the Allen–Cunneen approximation.
//
// Approximation used for the percentiles (the mean figures are Allen–Cunneen):
//  - P(wait) = Erlang C of the M/M/c with the same λ, μ, c.
//  - Wq = Wq(M/M/c) · (Ca² + Cs²)/2 with Ca = 1 (Poisson arrivals) and
//    Cs = stddev/mean of the service time; Lq = λ Wq.
//  - Waiting time: an atom at 0 of mass 1 − C plus, with probability C, an
//    exponential of mean Wq/C (rate ν = (cμ − λ) · 2/(1 + Cs²)), so that the
//    mean is exactly the Allen–Cunneen Wq.
//  - Service time: gamma with the given mean and CV (shape 1/Cs²):
//    exponential at Cs = 1, which reproduces M/M/c exactly; deterministic at
//    Cs = 0 (T = s + W); normal above shape 1e4 (Cs < 0.01).
//  - Response time: that wait plus the service time, independent; its CDF is
//    the exact convolution (closed form through the incomplete gamma and
//    Kummer's function), percentiles by Brent's method.
//  - Queue length: P(Nq >= k) = C ρ_q^k for k >= 1 with ρ_q = λ/(λ + ν), the
//    geometric tail whose mean equals Lq (ρ_q = ρ at Cs = 1).
#include <absl/strings/str_cat.h>

#include "queueing/internal/erlang_c_family.h"

namespace horizonscale::queueing::internal {

// M/G/c model at `servers`: factor (1 + Cs²)/2, service law from mean and CV.
ErlangCFamilyModel MakeMGcModel(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b) {
  const double cv = pool.service_time_stddev / pool.mean_service_time;
  const double factor = (1 + cv * cv) / 2;
  return MakeErlangCFamilyModel(pool.arrival_rate, pool.mean_service_time, servers,
                                erlang_b.blocking(), factor,
                                ServiceDistribution::WithMeanAndCv(pool.mean_service_time, cv));
}

// Contract: Allen–Cunneen M/G/c figures at `servers` (see the file comment),
// given Erlang B at `servers`.
QueueMetrics EvaluateMGc(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b) {
  const ErlangCFamilyModel model = MakeMGcModel(pool, servers, erlang_b);
  const double cv = pool.service_time_stddev / pool.mean_service_time;
  return ErlangCFamilyMetrics(
      model, absl::StrCat("Allen-Cunneen M/G/c (Ca=1, Cs=", cv,
                          "): P(wait) = Erlang C; wait = atom 1-C at 0 + exponential tail of "
                          "mean Wq/C; response = that wait + ",
                          model.service.Describe(),
                          " (exact convolution, Brent's method); queue length: geometric "
                          "tail matched to Lq"));
}

}  // namespace horizonscale::queueing::internal

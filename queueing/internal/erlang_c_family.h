// The Erlang-C family: M/M/1, M/M/c (exact) and M/G/c (Allen–Cunneen), which
// share P(wait) = Erlang C, an exponential tail of the waiting time and a
// geometric tail of the queue length; they differ in the Allen–Cunneen factor
// and the service-time law. Internal to hs_queueing.
#pragma once

#include <string>

#include "queueing/internal/erlang.h"
#include "queueing/internal/service_distribution.h"
#include "queueing/queueing.h"

namespace horizonscale::queueing::internal {

struct ErlangCFamilyModel {
  double arrival_rate = 0;  // λ
  double mean_service = 0;  // s = 1/μ
  double offered_load = 0;  // a = λ s
  int servers = 1;          // c
  bool stable = true;       // a < c
  double erlang_c = 1;      // C = P(wait); 1 when unstable
  // Allen–Cunneen factor (Ca² + Cs²)/2 with Ca = 1; exactly 1 for M/M/c.
  double factor = 1;
  // ν: the wait is 0 with probability 1 − C and Exp(ν) otherwise, with
  // ν = μ(c − a)/factor so that the mean wait is factor · Wq(M/M/c). For
  // M/M/c this is the exact law (ν = cμ − λ).
  double tail_rate = 0;
  // ln ρ_q: P(Nq > k) = C ρ_q^{k+1}. For M/M/c ρ_q = ρ (exact); for M/G/c
  // ρ_q = λ/(λ + ν), the geometric tail whose mean C ρ_q/(1 − ρ_q) equals the
  // Allen–Cunneen Lq = λ Wq.
  double log_queue_ratio = 0;
  ServiceDistribution service = ServiceDistribution::Exponential(1);
};

// Builds the model for c servers from Erlang B at c (`erlang_b`). `factor` is
// 1 for M/M/c. Inputs are validated by the caller.
ErlangCFamilyModel MakeErlangCFamilyModel(double arrival_rate, double mean_service, int servers,
                                          double erlang_b, double factor,
                                          const ServiceDistribution& service);

// Mean number waiting, Lq = factor · C a/(c − a) (+inf when unstable).
double MeanQueueLength(const ErlangCFamilyModel& model);
// Mean wait, Wq = factor · C s/(c − a) (+inf when unstable).
double MeanWait(const ErlangCFamilyModel& model);

// p-quantile of the wait: 0 when C <= 1 − p, else ln(C/(1 − p))/ν.
double WaitQuantile(const ErlangCFamilyModel& model, double p);

// P(T > t) for the response T = wait + S: S's survival plus C times the
// exponential-convolution excess (see ServiceDistribution::ExpSumExcess).
// For M/M/c this is exactly (1−C)e^{−μt} + C (θe^{−μt} − μe^{−θt})/(θ − μ),
// θ = cμ − λ, in a form without cancellation at θ ≈ μ.
double ResponseSurvival(const ErlangCFamilyModel& model, double t);

// p-quantile of the response time from the CDF above by Brent's method
// (relative tolerance ~1e-13), bracketed below by max(wait, service)
// quantiles and above by the union bound; closed form for deterministic
// service (T = s + wait). +inf when unstable.
double ResponseQuantile(const ErlangCFamilyModel& model, double p);

// Smallest integer k >= 0 with P(Nq > k) = C exp((k+1) log_ratio) <= 1 − p,
// i.e. the p-quantile of the number waiting under the convention
// P(Nq >= k) = C ρ^k for k >= 1 (so P(Nq > k) = C ρ^{k+1}). log_ratio < 0.
double GeometricQueueQuantile(double erlang_c, double log_ratio, double p);

// Every figure of QueueMetrics for the model, with `method` appended with a
// description of the percentile methods.
QueueMetrics ErlangCFamilyMetrics(const ErlangCFamilyModel& model, const std::string& method);

// M/M/1 and M/M/c: exact model (factor 1, exponential service).
ErlangCFamilyModel MakeMMcModel(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b);
QueueMetrics EvaluateMMc(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b);

// M/G/c: Allen–Cunneen factor (1 + Cs²)/2, gamma (or deterministic,
// exponential, normal) service with the pool's mean and CV.
ErlangCFamilyModel MakeMGcModel(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b);
QueueMetrics EvaluateMGc(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b);

}  // namespace horizonscale::queueing::internal

// M/M/1 and M/M/c (exact), and the figures the whole Erlang-C family shares.
#include <cmath>

#include "queueing/internal/erlang_c_family.h"

namespace horizonscale::queueing::internal {

// Builds C, ν and ρ_q for c servers from B(a, c); unstable (C = 1) when a >= c.
ErlangCFamilyModel MakeErlangCFamilyModel(double arrival_rate, double mean_service, int servers,
                                          double erlang_b, double factor,
                                          const ServiceDistribution& service) {
  ErlangCFamilyModel model;
  model.arrival_rate = arrival_rate;
  model.mean_service = mean_service;
  model.offered_load = arrival_rate * mean_service;
  model.servers = servers;
  model.factor = factor;
  model.service = service;
  const double a = model.offered_load;
  const double c = servers;
  model.stable = a < c;
  if (!model.stable) return model;  // erlang_c = 1
  model.erlang_c = ErlangCFromB(a, servers, erlang_b);
  // ν = μ (c − a) / factor; c − a is exact for moderate a (Sterbenz), so
  // ρ within 1e-9 of 1 keeps full relative precision in ν.
  model.tail_rate = (c - a) / (mean_service * factor);
  // ln ρ_q = −ln(1 + ν/λ) = −ln(1 + (c − a)/(a · factor)).
  model.log_queue_ratio = a > 0 ? -std::log1p((c - a) / (a * factor)) : -HUGE_VAL;
  return model;
}

// Lq = factor · C a/(c − a); +inf when unstable.
double MeanQueueLength(const ErlangCFamilyModel& model) {
  if (!model.stable) return HUGE_VAL;
  return model.factor * model.erlang_c * model.offered_load / (model.servers - model.offered_load);
}

// Wq = factor · C s/(c − a); +inf when unstable.
double MeanWait(const ErlangCFamilyModel& model) {
  if (!model.stable) return HUGE_VAL;
  return model.factor * model.erlang_c * model.mean_service / (model.servers - model.offered_load);
}

// All of QueueMetrics for the model; infinities (never NaN) when unstable.
QueueMetrics ErlangCFamilyMetrics(const ErlangCFamilyModel& model, const std::string& method) {
  QueueMetrics metrics;
  metrics.workers = model.servers;
  metrics.stable = model.stable;
  metrics.utilization = model.offered_load / model.servers;
  metrics.effective_arrival_rate = model.arrival_rate;
  metrics.blocking_probability = 0;
  if (!model.stable) {
    constexpr double kInf = HUGE_VAL;
    metrics.probability_of_wait = 1;
    metrics.mean_queue_length = metrics.queue_length_p95 = kInf;
    metrics.mean_wait = metrics.mean_response = kInf;
    metrics.wait_p50 = metrics.wait_p95 = metrics.wait_p99 = kInf;
    metrics.response_p50 = metrics.response_p95 = metrics.response_p99 = kInf;
    metrics.method = method + "; unstable (rho >= 1): waiting and response figures are +infinity";
    return metrics;
  }
  metrics.probability_of_wait = model.erlang_c;
  metrics.mean_queue_length = MeanQueueLength(model);
  metrics.queue_length_p95 = GeometricQueueQuantile(model.erlang_c, model.log_queue_ratio, 0.95);
  metrics.mean_wait = MeanWait(model);
  metrics.mean_response = metrics.mean_wait + model.mean_service;
  metrics.wait_p50 = WaitQuantile(model, 0.50);
  metrics.wait_p95 = WaitQuantile(model, 0.95);
  metrics.wait_p99 = WaitQuantile(model, 0.99);
  metrics.response_p50 = ResponseQuantile(model, 0.50);
  metrics.response_p95 = ResponseQuantile(model, 0.95);
  metrics.response_p99 = ResponseQuantile(model, 0.99);
  metrics.method = method;
  return metrics;
}

// Exact M/M/c model at `servers`: factor 1, exponential service.
ErlangCFamilyModel MakeMMcModel(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b) {
  return MakeErlangCFamilyModel(pool.arrival_rate, pool.mean_service_time, servers,
                                erlang_b.blocking(), 1.0,
                                ServiceDistribution::Exponential(pool.mean_service_time));
}

// Contract: exact M/M/c (M/M/1 when c = 1) figures at `servers`, given Erlang
// B at `servers`.
QueueMetrics EvaluateMMc(const PoolSpec& pool, int servers, const ErlangBStepper& erlang_b) {
  const ErlangCFamilyModel model = MakeMMcModel(pool, servers, erlang_b);
  return ErlangCFamilyMetrics(
      model, std::string(servers == 1 ? "exact M/M/1" : "exact M/M/c (Erlang C)") +
                 ": wait percentiles in closed form (P(W > t) = C e^{-(c mu - lambda) t}); "
                 "response percentiles by Brent's method on the exact CDF of wait + "
                 "exponential service; queue length P(Nq > k) = C rho^{k+1}");
}

}  // namespace horizonscale::queueing::internal

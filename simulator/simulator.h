// Discrete-event simulation of a worker pool following a scaling plan under
// a traffic scenario: a FIFO queue, a pool whose size follows the plan's
// steps (scale-ups arrive after a provisioning delay; scale-downs let busy
// workers finish their job), arrivals from a non-homogeneous Poisson process,
// service times from a chosen distribution. Pure library; thread-safe (every
// call owns its state). Deterministic: the same inputs give the same result,
// bit for bit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/time.h>

namespace horizonscale::simulator {

enum class PatternKind { kConstant, kSinusoidal, kLinear, kSpiky, kDaily, kWeekly, kPiecewise };
enum class SpikeShape { kInstant, kLinear, kExp, kBell };

// A temporary multiplication of the arrival rate: over [start, start +
// duration) the rate is multiplied by 1 + (magnitude − 1)·shape(x), x the time
// since the spike's start, D its duration:
//   instant: shape = 1 throughout
//   linear:  1 − |2x/D − 1| (rises to the full magnitude at mid-duration, falls)
//   exp:     e^{−x/τ} with τ = D/5 (jumps to the full magnitude, decays)
//   bell:    e^{−(x − D/2)²/(2σ²)} with σ = D/6 (Gaussian centred at
//            mid-duration, cut at ±3σ)
// Several spikes multiply. The start must lie within the run; the part of a
// spike past the run's end is ignored.
struct Spike {
  absl::Duration start;     // from the scenario's start, in [0, duration)
  absl::Duration duration;  // > 0
  double magnitude = 1;     // peak multiplier, >= 1
  SpikeShape shape = SpikeShape::kInstant;
};

// The arrival rate over time (jobs per second), before noise and spikes:
//   constant:   base
//   sinusoidal: base (1 + amplitude sin(2π t / period))
//   linear:     max(0, base + trend_per_hour · t / 3600 s)
//   spiky:      base (the spikes make it spiky)
//   daily:      base (1 + amplitude · d(time of day)), d a fixed profile in
//               [−1, 1] given at each whole UTC hour and linear in between:
//               low (−1) at 04:00, peak (+1) at 15:00, mean 0 over the day
//               (so base is the daily mean). d at 00:00, 01:00, ..., 23:00:
//               −.60 −.75 −.85 −.95 −1 −.90 −.70 −.40 −.10 .20 .40 .55
//               .60 .70 .85 1 .95 .70 .50 .30 .10 0 −.20 −.40
//   weekly:     base · w(day) · (1 + amplitude · d(hour)), w = 1 Monday to
//               Friday and 0.6 on Saturday and Sunday, linear between whole
//               UTC hours (the weekend ramps in during Friday 23:00-24:00).
//   piecewise:  piecewise_rates[floor(t / piecewise_step)], the last value
//               holding beyond the list (a forecast replayed as traffic).
// t is the time since the scenario's start; daily and weekly use the UTC
// wall-clock time of start + t. Spikes multiply the rate while active.
// Arrivals are a non-homogeneous Poisson process with this rate, generated
// exactly (thinning), from their own random streams: they depend on the
// scenario and the seed only, not on the plan or the service times.
struct TrafficPattern {
  PatternKind kind = PatternKind::kConstant;
  double base_rate = 0;                    // jobs per second, >= 0
  double amplitude = 0;                    // [0, 1]
  absl::Duration period = absl::Hours(1);  // sinusoidal: > 0
  double trend_per_hour = 0;               // jobs per second per hour, finite
  // Relative noise: the rate is multiplied by max(0, 1 + noise · Z), with Z
  // standard normal drawn independently for each granularity window (in
  // window order, from a stream of its own); [0, 1]. The floor lifts the
  // factor's mean slightly above 1 (1.004 at 0.5, 1.083 at 1).
  double noise = 0;
  std::vector<Spike> spikes;
  // Piecewise: the rate of each step (jobs per second, >= 0; at least one)
  // and the step (> 0).
  std::vector<double> piecewise_rates;
  absl::Duration piecewise_step = absl::Minutes(1);
};

enum class ServiceDistribution { kExponential, kDeterministic, kLognormal, kGamma };

// Service times with mean m and coefficient of variation c (stddev / mean):
//   exponential:   rate 1/m (c ignored: it is 1)
//   deterministic: m (c ignored)
//   lognormal:     exp(μ + σZ), σ² = ln(1 + c²), μ = ln m − σ²/2
//   gamma:         shape 1/c², scale m·c² (Marsaglia–Tsang)
// A lognormal or gamma with c below 1e-6 is sampled as deterministic.
// The k-th job to arrive gets the k-th draw of the service stream (FIFO).
struct ServiceTime {
  ServiceDistribution distribution = ServiceDistribution::kExponential;
  double mean = 1;                      // seconds, > 0
  double coefficient_of_variation = 1;  // lognormal and gamma: > 0; others: >= 0
};

// The pool's size over time: `initial_workers` at the start, then at each
// step's time the target becomes its `workers`. Steps are applied in time
// order (equal times in the given order). Steps strictly before the start
// set the initial size (already provisioned); steps at or after the end are
// ignored.
//
// A rise in the target first keeps workers that were due to leave, then
// provisions the rest: they serve `provisioning_delay` after the step. A fall
// first cancels workers still provisioning (latest first), then removes idle
// workers at once, then lets busy workers finish their job and leave (no job
// is interrupted). Workers are paid from the step that requested them
// (provisioning included, like cloud instances) until they leave, their
// provisioning is cancelled, or the run ends.
struct PoolPlan {
  int initial_workers = 0;
  struct Step {
    absl::Time time;
    int workers = 0;
  };
  std::vector<Step> steps;
};

// Judged per timeline window (see Window::slo_met); unset = not enforced.
struct Slo {
  std::optional<double> p95_latency;   // seconds, response time, > 0
  std::optional<int64_t> max_backlog;  // jobs waiting, at any time, >= 0
};

struct Scenario {
  std::string name;
  TrafficPattern traffic;
  absl::Duration duration;  // > 0
  // Timeline window, <= duration, at most 1,000,000 windows per run; the
  // last window is shorter when it does not divide the duration.
  absl::Duration granularity = absl::Minutes(1);
  absl::Time start;  // simulated start instant
  // Jobs already waiting at the start, in [0, kMaxInitialBacklog]: they
  // arrived at the start (their response times count from it) and are served
  // before any arrival. Not counted in jobs_arrived or in any window's
  // arrivals; they are in the first window's backlog until served.
  int64_t initial_backlog = 0;
};

inline constexpr int64_t kMaxInitialBacklog = 10'000'000;

struct SimulationConfig {
  ServiceTime service;
  Slo slo;
  // Seeds the arrival, noise and service streams (xoshiro256**, SplitMix64).
  uint64_t seed = 0;
  absl::Duration provisioning_delay = absl::ZeroDuration();  // >= 0
  double worker_cost_per_hour = 0.5;                         // per paid worker, >= 0
  double violation_cost_per_hour = 100;  // per hour of windows missing the SLO, >= 0
};

// Latencies are response times (wait + service) of the jobs completed
// during the run (jobs still waiting or in service at the end are not
// counted). Percentiles are nearest-rank, read from a log-bucketed histogram
// (128 buckets per octave): within 0.39 % of the exact sample percentile.
struct Summary {
  double slo_achievement = 0;  // share of windows meeting the SLO
  double average_latency = 0;  // seconds, response time of completed jobs (exact mean)
  double p50_latency = 0;
  double p95_latency = 0;
  double p99_latency = 0;
  int64_t max_backlog = 0;  // most jobs waiting at any instant
  int64_t jobs_completed = 0;
  int64_t jobs_arrived = 0;
  double worker_cost = 0;     // paid worker-hours × worker_cost_per_hour
  double violation_cost = 0;  // hours of windows missing the SLO × violation_cost_per_hour
  double total_cost = 0;      // worker_cost + violation_cost
  // slo_achievement × busy worker-seconds / paid worker-seconds, in [0, 1]
  // (0 when nothing was paid): high only when the SLO holds and the paid
  // capacity does work.
  double efficiency_score = 0;
  // Events processed: arrivals, completions and pool changes (plan steps,
  // workers becoming ready).
  int64_t events = 0;
};

// One granularity window [start, start + granularity) of the run. An event
// at a window's boundary belongs to the window it starts.
struct Window {
  absl::Time start;
  int64_t arrivals = 0;
  int64_t completions = 0;
  // Workers present at the end of the window: idle or busy (including busy
  // ones due to leave after their job), not those still provisioning.
  int workers = 0;
  // Busy worker-seconds / present worker-seconds in the window (0 when no
  // worker was present).
  double utilization = 0;
  int64_t backlog = 0;     // waiting at the end of the window
  double p95_latency = 0;  // response time, of jobs completed in the window; 0 when none
  // Latency: p95_latency <= slo.p95_latency; a window without completions
  // meets it unless the oldest job waiting at its end has already waited
  // longer than the target. Backlog: the jobs waiting never exceeded
  // slo.max_backlog at any time in the window (the peak, not the end).
  bool slo_met = true;
};

enum class ViolationType { kLatency, kBacklog };

// Contiguous windows violating the SLO the same way, merged; a window
// violating both ways is in one period of each type. Sorted by start, then
// type.
struct Violation {
  absl::Time start;  // start of the first violating window
  absl::Time end;    // end of the last one
  ViolationType type = ViolationType::kLatency;
};

struct RunResult {
  Summary summary;
  std::vector<Window> timeline;
  std::vector<Violation> violations;
};

// Checks a scenario and configuration: INVALID_ARGUMENT naming the field
// ("traffic.base_rate", "traffic.spikes[2].start", "duration",
// "granularity", "service.mean", ...) for negative rates, zero duration,
// granularity larger than the duration, spikes outside the run, magnitudes
// below 1, NaN or infinite numbers, and the like. The message starts with
// the field's path and a colon ("traffic.noise: must be ...").
absl::Status ValidateScenario(const Scenario& scenario, const SimulationConfig& config);

// Expected number of events of a run (arrivals + service completions), from
// the rate integrated over the run (spikes included, noise excluded) plus the
// initial backlog: about twice the expected jobs. 0 for a scenario ValidateScenario rejects.
// Cheap: O(duration / 60 s + 32 per shaped spike).
int64_t EstimateEvents(const Scenario& scenario);

// Simulates `scenario` with the pool following `plan`. `cancelled` is polled
// every 4096 events (well under a millisecond); when it returns true the run
// stops promptly with CANCELLED. Errors: ValidateScenario's,
// INVALID_ARGUMENT for a negative worker count ("plan.initial_workers",
// "plan.steps[i].workers") or an infinite step time in the plan.
absl::StatusOr<RunResult> Simulate(const Scenario& scenario, const PoolPlan& plan,
                                   const SimulationConfig& config,
                                   const std::function<bool()>& cancelled = nullptr);

// A confidence interval on one summary figure across replications.
struct MetricInterval {
  std::string metric;  // the Summary field's name, e.g. "p95_latency"
  double mean = 0;
  double lower = 0;
  double upper = 0;
  double level = 0.95;
};

// Student-t confidence intervals at `level` on every Summary figure (except
// `events`) across `replications` (at least 2; empty otherwise, or when
// level is not in (0, 1)): mean ± t_{(1+level)/2, n−1} · s / √n, in the
// Summary's field order.
std::vector<MetricInterval> SummaryIntervals(const std::vector<Summary>& replications,
                                             double level = 0.95);

}  // namespace horizonscale::simulator

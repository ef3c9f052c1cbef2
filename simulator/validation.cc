// Input validation (see internal/validation.h and simulator.h).
#include "simulator/internal/validation.h"

#include <cmath>
#include <string>

#include <absl/strings/str_cat.h>

namespace horizonscale::simulator {
namespace internal {
namespace {

absl::Status Invalid(const std::string& field, const std::string& problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// OK when `value` is finite and in [low, high].
absl::Status CheckRange(const std::string& field, double value, double low, double high) {
  if (!std::isfinite(value) || value < low || value > high) {
    return Invalid(field,
                   absl::StrCat("must be finite and in [", low, ", ", high, "], got ", value));
  }
  return absl::OkStatus();
}

// OK when `value` is finite and > 0.
absl::Status CheckPositive(const std::string& field, double value) {
  if (!std::isfinite(value) || value <= 0) {
    return Invalid(field, absl::StrCat("must be finite and > 0, got ", value));
  }
  return absl::OkStatus();
}

// OK when `value` is finite and >= 0.
absl::Status CheckNonNegative(const std::string& field, double value) {
  if (!std::isfinite(value) || value < 0) {
    return Invalid(field, absl::StrCat("must be finite and >= 0, got ", value));
  }
  return absl::OkStatus();
}

absl::Status CheckSpike(const Spike& spike, size_t index, absl::Duration run) {
  const std::string field = absl::StrCat("traffic.spikes[", index, "]");
  if (spike.start < absl::ZeroDuration() || spike.start >= run) {
    return Invalid(field + ".start",
                   absl::StrCat("must lie within the run [0, ", absl::FormatDuration(run),
                                "), got ", absl::FormatDuration(spike.start)));
  }
  if (spike.duration <= absl::ZeroDuration() || spike.duration == absl::InfiniteDuration()) {
    return Invalid(field + ".duration", absl::StrCat("must be finite and > 0, got ",
                                                     absl::FormatDuration(spike.duration)));
  }
  if (!std::isfinite(spike.magnitude) || spike.magnitude < 1) {
    return Invalid(field + ".magnitude",
                   absl::StrCat("must be finite and >= 1, got ", spike.magnitude));
  }
  const int shape = static_cast<int>(spike.shape);
  if (shape < 0 || shape > static_cast<int>(SpikeShape::kBell)) {
    return Invalid(field + ".shape", absl::StrCat("unknown shape ", shape));
  }
  return absl::OkStatus();
}

absl::Status CheckTraffic(const TrafficPattern& traffic, absl::Duration run) {
  const int kind = static_cast<int>(traffic.kind);
  if (kind < 0 || kind > static_cast<int>(PatternKind::kPiecewise)) {
    return Invalid("traffic.kind", absl::StrCat("unknown pattern ", kind));
  }
  if (traffic.kind == PatternKind::kPiecewise) {
    if (traffic.piecewise_rates.empty()) {
      return Invalid("traffic.piecewise_rates", "needs at least one rate");
    }
    if (traffic.piecewise_step <= absl::ZeroDuration() ||
        traffic.piecewise_step == absl::InfiniteDuration()) {
      return Invalid("traffic.piecewise_step",
                     absl::StrCat("must be finite and > 0, got ",
                                  absl::FormatDuration(traffic.piecewise_step)));
    }
    for (size_t i = 0; i < traffic.piecewise_rates.size(); ++i) {
      if (absl::Status s = CheckNonNegative(absl::StrCat("traffic.piecewise_rates[", i, "]"),
                                            traffic.piecewise_rates[i]);
          !s.ok()) {
        return s;
      }
    }
  }
  if (absl::Status s = CheckNonNegative("traffic.base_rate", traffic.base_rate); !s.ok()) return s;
  if (absl::Status s = CheckRange("traffic.amplitude", traffic.amplitude, 0, 1); !s.ok()) return s;
  if (traffic.kind == PatternKind::kSinusoidal &&
      (traffic.period <= absl::ZeroDuration() || traffic.period == absl::InfiniteDuration())) {
    return Invalid("traffic.period", absl::StrCat("must be finite and > 0, got ",
                                                  absl::FormatDuration(traffic.period)));
  }
  if (!std::isfinite(traffic.trend_per_hour)) {
    return Invalid("traffic.trend_per_hour",
                   absl::StrCat("must be finite, got ", traffic.trend_per_hour));
  }
  if (absl::Status s = CheckRange("traffic.noise", traffic.noise, 0, 1); !s.ok()) return s;
  if (traffic.spikes.size() > kMaxSpikes) {
    return Invalid("traffic.spikes",
                   absl::StrCat("at most ", kMaxSpikes, " spikes, got ", traffic.spikes.size()));
  }
  for (size_t i = 0; i < traffic.spikes.size(); ++i) {
    if (absl::Status s = CheckSpike(traffic.spikes[i], i, run); !s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateScenarioOnly(const Scenario& scenario) {
  if (scenario.duration <= absl::ZeroDuration() || scenario.duration == absl::InfiniteDuration()) {
    return Invalid("duration", absl::StrCat("must be finite and > 0, got ",
                                            absl::FormatDuration(scenario.duration)));
  }
  if (scenario.granularity <= absl::ZeroDuration() || scenario.granularity > scenario.duration) {
    return Invalid("granularity", absl::StrCat("must be > 0 and <= duration (",
                                               absl::FormatDuration(scenario.duration), "), got ",
                                               absl::FormatDuration(scenario.granularity)));
  }
  absl::Duration remainder;
  const int64_t whole = absl::IDivDuration(scenario.duration, scenario.granularity, &remainder);
  if (whole + (remainder > absl::ZeroDuration() ? 1 : 0) > kMaxWindows) {
    return Invalid("granularity",
                   absl::StrCat("too fine: at most ", kMaxWindows, " windows per run"));
  }
  if (scenario.start == absl::InfiniteFuture() || scenario.start == absl::InfinitePast()) {
    return Invalid("start", "must be a finite time");
  }
  if (scenario.initial_backlog < 0 || scenario.initial_backlog > kMaxInitialBacklog) {
    return Invalid("initial_backlog", absl::StrCat("must be in [0, ", kMaxInitialBacklog, "], got ",
                                                   scenario.initial_backlog));
  }
  return CheckTraffic(scenario.traffic, scenario.duration);
}

absl::Status ValidateConfig(const SimulationConfig& config) {
  const int distribution = static_cast<int>(config.service.distribution);
  if (distribution < 0 || distribution > static_cast<int>(ServiceDistribution::kGamma)) {
    return Invalid("service.distribution", absl::StrCat("unknown distribution ", distribution));
  }
  if (absl::Status s = CheckPositive("service.mean", config.service.mean); !s.ok()) return s;
  const double cv = config.service.coefficient_of_variation;
  const bool needs_cv = config.service.distribution == ServiceDistribution::kLognormal ||
                        config.service.distribution == ServiceDistribution::kGamma;
  if (absl::Status s = needs_cv ? CheckPositive("service.coefficient_of_variation", cv)
                                : CheckNonNegative("service.coefficient_of_variation", cv);
      !s.ok()) {
    return s;
  }
  if (config.slo.p95_latency.has_value()) {
    if (absl::Status s = CheckPositive("slo.p95_latency", *config.slo.p95_latency); !s.ok()) {
      return s;
    }
  }
  if (config.slo.max_backlog.has_value() && *config.slo.max_backlog < 0) {
    return Invalid("slo.max_backlog", absl::StrCat("must be >= 0, got ", *config.slo.max_backlog));
  }
  if (config.provisioning_delay < absl::ZeroDuration() ||
      config.provisioning_delay == absl::InfiniteDuration()) {
    return Invalid("provisioning_delay",
                   absl::StrCat("must be finite and >= 0, got ",
                                absl::FormatDuration(config.provisioning_delay)));
  }
  if (absl::Status s = CheckNonNegative("worker_cost_per_hour", config.worker_cost_per_hour);
      !s.ok()) {
    return s;
  }
  return CheckNonNegative("violation_cost_per_hour", config.violation_cost_per_hour);
}

absl::Status ValidatePlan(const PoolPlan& plan) {
  if (plan.initial_workers < 0) {
    return Invalid("plan.initial_workers",
                   absl::StrCat("must be >= 0, got ", plan.initial_workers));
  }
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const std::string field = absl::StrCat("plan.steps[", i, "]");
    if (plan.steps[i].workers < 0) {
      return Invalid(field + ".workers", absl::StrCat("must be >= 0, got ", plan.steps[i].workers));
    }
    if (plan.steps[i].time == absl::InfiniteFuture() ||
        plan.steps[i].time == absl::InfinitePast()) {
      return Invalid(field + ".time", "must be a finite time");
    }
  }
  return absl::OkStatus();
}

}  // namespace internal

// Contract: see simulator.h.
absl::Status ValidateScenario(const Scenario& scenario, const SimulationConfig& config) {
  if (absl::Status s = internal::ValidateScenarioOnly(scenario); !s.ok()) return s;
  return internal::ValidateConfig(config);
}

}  // namespace horizonscale::simulator

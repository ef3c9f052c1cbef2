// SummaryIntervals: Student-t confidence intervals across replications.
#include <cmath>
#include <vector>

#include "forecast/numerics/student_t.h"
#include "simulator/simulator.h"

namespace horizonscale::simulator {
namespace {

struct Figure {
  const char* name;
  double (*value)(const Summary&);
};

// Every Summary figure but `events`, in declaration order.
constexpr Figure kFigures[] = {
    {"slo_achievement", [](const Summary& s) { return s.slo_achievement; }},
    {"average_latency", [](const Summary& s) { return s.average_latency; }},
    {"p50_latency", [](const Summary& s) { return s.p50_latency; }},
    {"p95_latency", [](const Summary& s) { return s.p95_latency; }},
    {"p99_latency", [](const Summary& s) { return s.p99_latency; }},
    {"max_backlog", [](const Summary& s) { return static_cast<double>(s.max_backlog); }},
    {"jobs_completed", [](const Summary& s) { return static_cast<double>(s.jobs_completed); }},
    {"jobs_arrived", [](const Summary& s) { return static_cast<double>(s.jobs_arrived); }},
    {"worker_cost", [](const Summary& s) { return s.worker_cost; }},
    {"violation_cost", [](const Summary& s) { return s.violation_cost; }},
    {"total_cost", [](const Summary& s) { return s.total_cost; }},
    {"efficiency_score", [](const Summary& s) { return s.efficiency_score; }},
};

// mean ± t_{(1+level)/2, n−1} · s / √n for one figure.
MetricInterval IntervalOf(const Figure& figure, const std::vector<Summary>& replications,
                          double level, double t_quantile) {
  const auto n = static_cast<double>(replications.size());
  double sum = 0;
  for (const Summary& summary : replications) sum += figure.value(summary);
  const double mean = sum / n;
  double squares = 0;
  for (const Summary& summary : replications) {
    const double deviation = figure.value(summary) - mean;
    squares += deviation * deviation;
  }
  const double half_width = t_quantile * std::sqrt(squares / (n - 1) / n);
  return {figure.name, mean, mean - half_width, mean + half_width, level};
}

}  // namespace

// Contract: see simulator.h. Empty also when `level` is not in (0, 1).
std::vector<MetricInterval> SummaryIntervals(const std::vector<Summary>& replications,
                                             double level) {
  std::vector<MetricInterval> intervals;
  if (replications.size() < 2 || !(level > 0 && level < 1)) return intervals;
  const double t_quantile =
      numerics::StudentTQuantile((1 + level) / 2, static_cast<double>(replications.size() - 1));
  for (const Figure& figure : kFigures) {
    intervals.push_back(IntervalOf(figure, replications, level, t_quantile));
  }
  return intervals;
}

}  // namespace horizonscale::simulator

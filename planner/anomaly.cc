#include "planner/anomaly.h"

#include <cmath>

#include <absl/strings/str_format.h>

namespace horizonscale::planner {

AnomalyReport DetectAnomaly(std::span<const double> history, double current_rate,
                            double expected_rate, double z_threshold, double spike_multiplier) {
  AnomalyReport report;
  if (history.size() >= 5) {
    double mean = 0;
    for (double value : history) mean += value;
    mean /= static_cast<double>(history.size());
    double variance = 0;
    for (double value : history) variance += (value - mean) * (value - mean);
    const double stddev = std::sqrt(variance / static_cast<double>(history.size() - 1));
    if (stddev > 1e-12 * std::max(1.0, std::fabs(mean))) {
      report.z_score = (current_rate - mean) / stddev;
    }
  }
  if (expected_rate > 0) report.spike_ratio = current_rate / expected_rate;

  const bool z_crossed = std::fabs(report.z_score) > z_threshold;
  const bool spike = report.spike_ratio > spike_multiplier;
  report.detected = z_crossed || spike;
  if (spike) {
    report.description =
        absl::StrFormat("arrival rate %.4g/s is %.2fx the forecast %.4g/s (spike multiplier %.2g)",
                        current_rate, report.spike_ratio, expected_rate, spike_multiplier);
  }
  if (z_crossed) {
    if (!report.description.empty()) report.description += "; ";
    report.description += absl::StrFormat(
        "arrival rate %.4g/s is %.1f standard deviations from the recent mean (threshold %.2g)",
        current_rate, report.z_score, z_threshold);
  }
  if (report.detected) report.description += "; pause automatic application";
  return report;
}

}  // namespace horizonscale::planner

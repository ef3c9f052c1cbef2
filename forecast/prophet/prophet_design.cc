// The regression layout of the Prophet-style model: changepoint placement,
// the auto seasonality rule and the design rows (forecast/prophet/internal/prophet_design.h).
#include "forecast/prophet/internal/prophet_design.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <span>

namespace horizonscale::forecast::internal {
namespace {

// Prophet's parse_seasonality_args: the given order, or under the auto rule
// the default order unless disabled.
int ResolveOrder(const std::optional<int>& given, bool auto_enabled, int default_order) {
  if (given.has_value()) return *given;
  return auto_enabled ? default_order : 0;
}

}  // namespace

ProphetLayout MakeProphetLayout(int points, const ModelOptions& options) {
  ProphetLayout layout;
  layout.points = points;
  layout.origin_days = options.origin_days;
  layout.step_days = options.step_days;

  // set_changepoints: hist_size = floor(n · range); at most hist_size − 1
  // changepoints, at np.linspace(0, hist_size − 1, S + 1).round()[1:].
  const ProphetOptions& prophet = options.prophet;
  const int hist_size = static_cast<int>(std::floor(points * prophet.changepoint_range));
  const int changepoints = std::min(prophet.changepoints, hist_size - 1);
  if (changepoints > 0) {
    const double spacing = static_cast<double>(hist_size - 1) / changepoints;
    for (int i = 1; i <= changepoints; ++i) {
      // nearbyint rounds half to even under the default rounding mode, as
      // numpy's round does.
      const int index = static_cast<int>(std::nearbyint(i * spacing));
      layout.changepoint_index.push_back(index);
      layout.changepoint_t.push_back(layout.ScaledTime(index));
    }
  }

  // set_auto_seasonalities.
  const double span = layout.span_days();
  layout.yearly_order =
      ResolveOrder(prophet.yearly_order, span >= kYearlyAutoSpanDays, kYearlyDefaultOrder);
  layout.weekly_order =
      ResolveOrder(prophet.weekly_order, span >= kWeeklyAutoSpanDays && options.step_days < 7,
                   kWeeklyDefaultOrder);
  return layout;
}

void FourierTerms(double day, double period, int order, double* out) {
  if (order <= 0) return;
  // fmod is exact, so the reduction loses nothing; the angle is then small.
  const double angle = 2 * std::numbers::pi * (std::fmod(day, period) / period);
  const double sin1 = std::sin(angle);
  const double cos1 = std::cos(angle);
  double sin_r = sin1;
  double cos_r = cos1;
  for (ptrdiff_t r = 0; r < order; ++r) {
    out[2 * r] = sin_r;
    out[2 * r + 1] = cos_r;
    const double next_sin = sin_r * cos1 + cos_r * sin1;
    cos_r = cos_r * cos1 - sin_r * sin1;
    sin_r = next_sin;
  }
}

void SeasonalRow(const ProphetLayout& layout, double step, double* out) {
  const double day = layout.DayOf(step);
  FourierTerms(day, kYearlyPeriodDays, layout.yearly_order, out);
  FourierTerms(day, kWeeklyPeriodDays, layout.weekly_order,
               out + 2 * static_cast<ptrdiff_t>(layout.yearly_order));
}

void DesignRows(const ProphetLayout& layout, int first, Eigen::Ref<Eigen::MatrixXd> block) {
  const int changepoints = layout.changepoint_count();
  const int seasonal = 2 * (layout.yearly_order + layout.weekly_order);
  const int offset = layout.yearly_offset();
  std::array<double, kMaxSeasonalTerms> row;
  for (int r = 0; r < block.rows(); ++r) {
    const int i = first + r;
    const double t = layout.ScaledTime(i);
    block(r, 0) = t;
    block(r, 1) = 1;
    for (int j = 0; j < changepoints; ++j) {
      block(r, 2 + j) = std::max(t - layout.changepoint_t[j], 0.0);
    }
    SeasonalRow(layout, i, row.data());
    for (int c = 0; c < seasonal; ++c) block(r, offset + c) = row[c];
  }
}

double PiecewiseLinearTrend(const ProphetLayout& layout, double k, double m,
                            std::span<const double> deltas, double t) {
  double trend = k * t + m;
  for (size_t j = 0; j < deltas.size(); ++j) {
    const double s = layout.changepoint_t[j];
    if (t >= s) trend += deltas[j] * (t - s);
  }
  return trend;
}

}  // namespace horizonscale::forecast::internal

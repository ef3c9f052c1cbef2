// The regression layout of the Prophet-style model (forecast/prophet/prophet.h): how
// the history is placed on Prophet's scaled time axis, where the potential
// trend changepoints sit, which Fourier terms are on, and the design row of
// any step. Internal to forecast/; pure functions, thread-safe.
//
// The model is linear in its coefficients
//   θ = (k, m, δ_1..δ_S, a_1, b_1, ..., a_Y, b_Y, c_1, d_1, ..., c_W, d_W):
//   y_scaled(t) = k·t + m + Σ_j δ_j (t − s_j)₊            (trend g)
//               + Σ_r a_r sin(2πr·day/365.25) + b_r cos(…)  (yearly, r ≤ Y)
//               + Σ_r c_r sin(2πr·day/7) + d_r cos(…)       (weekly, r ≤ W)
// with t = step / (n − 1) (Prophet's t: 0 at the first value, 1 at the last)
// and `day` the absolute time in days since the Unix epoch (Prophet's
// fourier_series), so the seasonal terms line up with the calendar.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "forecast/model.h"

namespace horizonscale::forecast::internal {

// Periods of Prophet's built-in seasonalities, in days.
inline constexpr double kYearlyPeriodDays = 365.25;
inline constexpr double kWeeklyPeriodDays = 7.0;
// Prophet's auto rule: yearly seasonality when the history spans at least
// two years, weekly when it spans at least two weeks with a step under a
// week; their default Fourier orders.
inline constexpr double kYearlyAutoSpanDays = 730;
inline constexpr double kWeeklyAutoSpanDays = 14;
inline constexpr int kYearlyDefaultOrder = 10;
inline constexpr int kWeeklyDefaultOrder = 3;
// Largest Fourier order accepted (Prophet has no bound; 50 harmonics is far
// beyond anything useful and keeps the design small), and so the most
// seasonal terms a row can have (two seasonalities, sin and cos).
inline constexpr int kMaxFourierOrder = 50;
inline constexpr size_t kMaxSeasonalTerms = 4 * size_t{kMaxFourierOrder};

// Where a history of `points` regular values sits and which terms the model
// has. Built by MakeProphetLayout; immutable afterwards.
struct ProphetLayout {
  int points = 0;          // n, the history length (>= 2)
  double origin_days = 0;  // time of value 0, days since the Unix epoch
  double step_days = 1;    // days between consecutive values (> 0)
  // Potential changepoints, increasing: their data index and their time s_j
  // on the scaled axis (index / (n − 1)).
  std::vector<int> changepoint_index;
  std::vector<double> changepoint_t;
  int yearly_order = 0;  // Fourier order of the yearly term, 0 = off
  int weekly_order = 0;  // Fourier order of the weekly term, 0 = off

  int changepoint_count() const { return static_cast<int>(changepoint_t.size()); }
  // Columns of the design: k, m, the δ_j, then the sin/cos pairs.
  int coefficient_count() const {
    return 2 + changepoint_count() + 2 * (yearly_order + weekly_order);
  }
  // Index of the first δ, of the first yearly and of the first weekly
  // coefficient in θ.
  int delta_offset() const { return 2; }
  int yearly_offset() const { return 2 + changepoint_count(); }
  int weekly_offset() const { return yearly_offset() + 2 * yearly_order; }
  // Prophet's time scale: days from the first to the last value.
  double span_days() const { return (points - 1) * step_days; }
  // Scaled time of step `step` (0 = first value, n − 1 = last; later steps
  // are the future): step / (n − 1).
  double ScaledTime(double step) const { return step / (points - 1); }
  // Absolute time of step `step`, days since the Unix epoch.
  double DayOf(double step) const { return origin_days + step * step_days; }
};

// The layout of a history of `points` values (>= 2) under `options`, which
// must have passed ValidateProphetOptions (forecast/prophet/internal/prophet_fit.h):
// Prophet's set_changepoints (hist = floor(n·changepoint_range) values hold
// min(changepoints, hist − 1) changepoints at the data indices
// round(i·(hist − 1)/S), i = 1..S, rounding half to even like numpy; none
// when that is <= 0) and set_auto_seasonalities for unset orders.
ProphetLayout MakeProphetLayout(int points, const ModelOptions& options);

// Writes sin(2πr·day/period), cos(2πr·day/period) for r = 1..order into
// out[0..2·order) as (sin, cos) pairs. The angle is reduced modulo the period
// before the trigonometry and the harmonics follow by the angle-addition
// recurrence (|error| ~ order·1e-16).
void FourierTerms(double day, double period, int order, double* out);

// The seasonal part of the design row at step `step`: the 2·(Y + W) Fourier
// terms in θ order, into `out` (size >= 2·(Y + W)).
void SeasonalRow(const ProphetLayout& layout, double step, double* out);

// Rows [first, first + block.rows()) of the n × p design matrix X of the
// history (p = coefficient_count() = block.cols()): row i is (t_i, 1,
// (t_i − s_1)₊, ..., (t_i − s_S)₊, Fourier terms of DayOf(i)). The fit
// streams X through a small block rather than holding all n rows.
void DesignRows(const ProphetLayout& layout, int first, Eigen::Ref<Eigen::MatrixXd> block);

// The trend k·t + m + Σ_j δ_j (t − s_j)₊ at scaled time t (scaled units).
double PiecewiseLinearTrend(const ProphetLayout& layout, double k, double m,
                            std::span<const double> deltas, double t);

}  // namespace horizonscale::forecast::internal

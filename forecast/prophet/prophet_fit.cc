// Fitting the Prophet-style model: option checks, scaling and the MAP
// estimate (forecast/prophet/internal/prophet_fit.h).
#include "forecast/prophet/internal/prophet_fit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <string>

#include <absl/strings/str_cat.h>

#include "forecast/prophet/internal/prophet_map.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

// Prophet's priors that are not options: k, m ~ Normal(0, 5) and
// σ ~ HalfNormal(0, 0.5) (prophet.stan).
constexpr double kTrendPriorScale = 5;
constexpr double kSigmaPriorScale = 0.5;
// Prophet's σ for a constant series.
constexpr double kConstantSeriesSigma = 1e-9;
// Rows of the design matrix formed at a time.
constexpr int kDesignBlockRows = 128;
// Below this share of yᵀy, an RSS from the Gram matrix (error ~ 4ε·yᵀy) is
// recomputed from the residuals.
constexpr double kGramRssFloor = 1e-6;

absl::Status OutOfRange(const char* option, const std::string& requirement, double value) {
  return absl::InvalidArgumentError(
      absl::StrCat("option ", option, " must be ", requirement, ", got ", value));
}

bool PositiveFinite(double value) { return std::isfinite(value) && value > 0; }

absl::Status CheckOrder(const char* option, const std::optional<int>& order) {
  if (order.has_value() && (*order < 0 || *order > kMaxFourierOrder)) {
    return OutOfRange(option, absl::StrCat("in [0, ", kMaxFourierOrder, "]"), *order);
  }
  return absl::OkStatus();
}

double Amplitude(std::span<const double> coefficients) {
  double sum = 0;
  for (const double c : coefficients) sum += c * c;
  return std::sqrt(sum);
}

// One Fourier component of `fit` (coefficients beta[offset, offset + 2·order))
// at step `step`, in data units.
double FourierComponent(const ProphetFit& fit, double step, double period, int order, int offset) {
  std::array<double, kMaxSeasonalTerms> row;
  FourierTerms(fit.layout.DayOf(step), period, order, row.data());
  double sum = 0;
  for (int c = 0; c < 2 * order; ++c) sum += row[c] * fit.beta[offset + c];
  return fit.y_scale * sum;
}

// Calls visit(first, block) for consecutive blocks of design rows covering
// the history; the block is reused.
template <typename Visit>
void ForEachDesignBlock(const ProphetLayout& layout, Visit visit) {
  const int n = layout.points;
  Eigen::MatrixXd block(std::min(n, kDesignBlockRows), layout.coefficient_count());
  for (int first = 0; first < n; first += kDesignBlockRows) {
    const int rows = std::min(kDesignBlockRows, n - first);
    auto rows_block = block.topRows(rows);
    DesignRows(layout, first, rows_block);
    visit(first, rows_block);
  }
}

// XᵀX, Xᵀy, yᵀy of the history's design, streamed through blocks of rows so
// that no n × p matrix is held (a large transient allocation costs more in
// page faults than the arithmetic).
LinearMapData DesignStatistics(const ProphetLayout& layout, const Eigen::VectorXd& y) {
  const int p = layout.coefficient_count();
  LinearMapData data;
  data.gram = Eigen::MatrixXd::Zero(p, p);
  data.xty = Eigen::VectorXd::Zero(p);
  ForEachDesignBlock(layout, [&](int first, const auto& block) {
    data.gram.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
    data.xty.noalias() += block.transpose() * y.segment(first, block.rows());
  });
  data.gram.triangularView<Eigen::StrictlyUpper>() = data.gram.transpose();
  data.yty = y.squaredNorm();
  data.centred_yty = (y.array() - y.mean()).matrix().squaredNorm();
  data.n = layout.points;
  return data;
}

// ‖y − Xθ‖² from the residuals themselves.
double ResidualSumOfSquaresOf(const ProphetLayout& layout, const Eigen::VectorXd& y,
                              const Eigen::VectorXd& theta) {
  double sum = 0;
  ForEachDesignBlock(layout, [&](int first, const auto& block) {
    sum += (y.segment(first, block.rows()) - block * theta).squaredNorm();
  });
  return sum;
}

}  // namespace

absl::Status ValidateProphetOptions(const ModelOptions& options) {
  const ProphetOptions& prophet = options.prophet;
  if (prophet.changepoints < 0) {
    return OutOfRange("prophet.changepoints", ">= 0", prophet.changepoints);
  }
  if (!(prophet.changepoint_range > 0 && prophet.changepoint_range <= 1)) {
    return OutOfRange("prophet.changepoint_range", "in (0, 1]", prophet.changepoint_range);
  }
  if (!PositiveFinite(prophet.changepoint_prior_scale)) {
    return OutOfRange("prophet.changepoint_prior_scale", "finite and > 0",
                      prophet.changepoint_prior_scale);
  }
  if (!PositiveFinite(prophet.seasonality_prior_scale)) {
    return OutOfRange("prophet.seasonality_prior_scale", "finite and > 0",
                      prophet.seasonality_prior_scale);
  }
  if (absl::Status status = CheckOrder("prophet.yearly_order", prophet.yearly_order);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckOrder("prophet.weekly_order", prophet.weekly_order);
      !status.ok()) {
    return status;
  }
  if (prophet.uncertainty_samples < 1 ||
      prophet.uncertainty_samples > kProphetMaxUncertaintySamples) {
    return OutOfRange("prophet.uncertainty_samples",
                      absl::StrCat("in [1, ", kProphetMaxUncertaintySamples, "]"),
                      prophet.uncertainty_samples);
  }
  if (!PositiveFinite(options.step_days)) {
    return OutOfRange("step_days", "finite and > 0", options.step_days);
  }
  if (!std::isfinite(options.origin_days)) {
    return OutOfRange("origin_days", "finite", options.origin_days);
  }
  return absl::OkStatus();
}

double ProphetFit::Trend(double step) const {
  return y_scale * PiecewiseLinearTrend(layout, k, m, delta, layout.ScaledTime(step));
}

double ProphetFit::Seasonality(double step) const { return Yearly(step) + Weekly(step); }

double ProphetFit::Yearly(double step) const {
  return FourierComponent(*this, step, kYearlyPeriodDays, layout.yearly_order, 0);
}

double ProphetFit::Weekly(double step) const {
  return FourierComponent(*this, step, kWeeklyPeriodDays, layout.weekly_order,
                          2 * layout.yearly_order);
}

double ProphetFit::RatePerDay(double t) const {
  double rate = k;
  for (size_t j = 0; j < delta.size(); ++j) {
    if (t >= layout.changepoint_t[j]) rate += delta[j];
  }
  return rate * y_scale / layout.span_days();
}

double ProphetFit::YearlyAmplitude() const {
  return y_scale * Amplitude(std::span(beta).first(2 * static_cast<size_t>(layout.yearly_order)));
}

double ProphetFit::WeeklyAmplitude() const {
  return y_scale * Amplitude(std::span(beta).subspan(2 * static_cast<size_t>(layout.yearly_order),
                                                     2 * static_cast<size_t>(layout.weekly_order)));
}

int ProphetFit::ActiveChangepoints() const {
  return static_cast<int>(
      std::count_if(delta.begin(), delta.end(), [](double d) { return d != 0; }));
}

absl::StatusOr<ProphetFit> FitProphet(std::span<const double> values, const ModelOptions& options) {
  if (absl::Status status = ValidateProphetOptions(options); !status.ok()) return status;
  if (values.size() < 2) {
    return InsufficientHistoryError(
        absl::StrCat("the prophet model needs at least 2 points of history, got ", values.size()));
  }
  const int n = static_cast<int>(values.size());
  ProphetFit fit;
  fit.layout = MakeProphetLayout(n, options);
  const ProphetLayout& layout = fit.layout;
  const int p = layout.coefficient_count();
  const int changepoints = layout.changepoint_count();

  double y_scale = 0;
  for (const double y : values) y_scale = std::max(y_scale, std::abs(y));
  fit.y_scale = y_scale > 0 ? y_scale : 1;
  Eigen::VectorXd y(n);
  for (int i = 0; i < n; ++i) y[i] = values[i] / fit.y_scale;

  const auto [lowest, highest] = std::minmax_element(values.begin(), values.end());
  if (*lowest == *highest) {
    // Prophet's fit() for a constant series: the initial values, σ = 1e-9.
    fit.m = y[0];
    fit.delta.assign(changepoints, 0.0);
    fit.beta.assign(p - 2 - changepoints, 0.0);
    fit.sigma = kConstantSeriesSigma;
    fit.converged = true;
    return fit;
  }

  LinearMapPriors priors;
  priors.normal_precision = Eigen::VectorXd::Zero(p);
  priors.laplace_rate = Eigen::VectorXd::Zero(p);
  priors.normal_precision.head(2).setConstant(1 / (kTrendPriorScale * kTrendPriorScale));
  priors.laplace_rate.segment(layout.delta_offset(), changepoints)
      .setConstant(1 / options.prophet.changepoint_prior_scale);
  const double seasonal_scale = options.prophet.seasonality_prior_scale;
  priors.normal_precision.tail(p - layout.yearly_offset())
      .setConstant(1 / (seasonal_scale * seasonal_scale));
  priors.sigma_scale = kSigmaPriorScale;
  priors.sigma_floor = kConstantSeriesSigma;

  const LinearMapData data = DesignStatistics(layout, y);
  // ‖y − Xθ‖² from the Gram matrix, yᵀy − 2θᵀXᵀy + θᵀXᵀXθ, costs O(p²) but
  // loses about ε·yᵀy to cancellation; when that is not negligible against the
  // result (a fit this close), the residuals are recomputed instead.
  auto rss = [&](const Eigen::VectorXd& theta) {
    const double from_gram = data.yty - 2 * theta.dot(data.xty) + theta.dot(data.gram * theta);
    if (from_gram > kGramRssFloor * data.yty) return from_gram;
    return ResidualSumOfSquaresOf(layout, y, theta);
  };
  const LinearMapFit map = FitLinearMap(data, rss, priors);
  fit.k = map.theta[0];
  fit.m = map.theta[1];
  fit.delta.assign(map.theta.data() + layout.delta_offset(),
                   map.theta.data() + layout.yearly_offset());
  fit.beta.assign(map.theta.data() + layout.yearly_offset(), map.theta.data() + p);
  fit.sigma = map.sigma;
  fit.outer_iterations = map.outer_iterations;
  fit.active_set_steps = map.active_set_steps;
  fit.sweeps = map.sweeps;
  fit.converged = map.converged;
  return fit;
}

}  // namespace horizonscale::forecast::internal

// The baseline models: a least-squares linear trend and the seasonal-naive
// forecast (the naive forecast when there is no season).
//
// Linear trend: OLS of y on t = 0, 1, ..., n − 1 with the analytic OLS
// prediction interval (FitLinear / PredictLinear in forecast/forecast.h).
// Extend refits on the longer series exactly; the model keeps centred running
// sums (Welford's updates of the mean of y, Σ(t − t̄)(y − ȳ) and Σ(y − ȳ)²),
// so absorbing one value is O(1) and no history is stored.
//
// Seasonal naive with period m (m = 1 when the period is < 2: the naive
// forecast): ŷ_{T+h} = y_{T+h−m(k+1)}, k = floor((h − 1) / m), with the
// interval ŷ ± z·σ·sqrt(k + 1) (Hyndman & Athanasopoulos, FPP3 §5.5,
// Table 5.2), σ² the mean of the squared in-sample residuals
// e_t = y_t − y_{t−m} (FPP3 §5.5: no parameters are estimated, so the divisor
// is the number of residuals). It needs m + 1 values: the last season to
// repeat and at least one residual for σ. Extend appends: it computes the
// residuals of the new values and keeps only the last m values plus the
// running sum of squared residuals, O(m + len) per call.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include <absl/strings/str_cat.h>

#include "forecast/internal/models.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

// FAILED_PRECONDITION (INSUFFICIENT_HISTORY) unless `values` has `needed`.
absl::Status CheckLength(std::span<const double> values, int needed, const char* model) {
  if (values.size() >= static_cast<size_t>(needed)) return absl::OkStatus();
  return InsufficientHistoryError(absl::StrCat("the ", model, " model needs at least ", needed,
                                               " points of history, got ", values.size()));
}

// ---------------------------------------------------------------------------
// Linear trend.

// Least-squares sums of y on t = 0, 1, ..., points − 1, kept centred so
// that appending a value is O(1) and numerically stable.
struct LinearSums {
  int64_t points = 0;
  double mean_y = 0;
  double s_ty = 0;  // Σ (t − t̄)(y − ȳ)
  double s_yy = 0;  // Σ (y − ȳ)²

  // Appends the observation at t = points (Welford's co-moment update:
  // C += (t − t̄_old)(y − ȳ_new)).
  void Add(double y) {
    const auto n = static_cast<double>(points);
    const double dt = n - (n - 1) / 2;  // t − t̄ before the update
    const double dy = y - mean_y;
    ++points;
    mean_y += dy / static_cast<double>(points);
    s_ty += dt * (y - mean_y);
    s_yy += dy * (y - mean_y);
  }

  // The fit these sums define (points >= 3).
  LinearFit ToFit() const {
    LinearFit fit;
    fit.points = static_cast<int>(points);
    const auto n = static_cast<double>(points);
    fit.mean_t = (n - 1) / 2;
    fit.sum_sq_t = n * (n * n - 1) / 12;  // Σ (t − t̄)² for t = 0..n−1
    fit.slope = s_ty / fit.sum_sq_t;
    fit.intercept = mean_y - fit.slope * fit.mean_t;
    const double sse = std::max(0.0, s_yy - fit.slope * s_ty);
    fit.residual_stddev = std::sqrt(sse / (n - 2));
    return fit;
  }
};

class LinearModel final : public FittedModel {
 public:
  explicit LinearModel(const LinearSums& sums) : sums_(sums), fit_(sums.ToFit()) {}

  ModelKind kind() const override { return ModelKind::kLinear; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    return PredictLinear(fit_, horizon, level);
  }

  bool analytic_interval() const override { return true; }

  // The OLS fit on the fitted series followed by `more` (an exact refit).
  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    LinearSums sums = sums_;
    for (double y : more) sums.Add(y);
    return std::make_unique<LinearModel>(sums);
  }

  // "intercept" (the line at the first fitted value, t = 0) and "slope"
  // (per step).
  std::vector<std::pair<std::string, double>> parameters() const override {
    return {{"intercept", fit_.intercept}, {"slope", fit_.slope}};
  }

  std::string description() const override {
    return absl::StrCat("Linear trend (least squares on time), slope ", fit_.slope, " per step");
  }

 private:
  LinearSums sums_;
  LinearFit fit_;
};

// ---------------------------------------------------------------------------
// Seasonal naive.

// The period the seasonal-naive model repeats: the seasonal period, or 1
// (the naive forecast) when it is < 2.
int NaivePeriod(const ModelOptions& options) {
  return options.seasonal_period >= 2 ? options.seasonal_period : 1;
}

class SeasonalNaiveModel final : public FittedModel {
 public:
  // A model that has seen only `first_season` (period() values, no
  // residuals yet); Absorb the rest.
  explicit SeasonalNaiveModel(std::vector<double> first_season)
      : last_season_(std::move(first_season)) {}

  ModelKind kind() const override { return ModelKind::kSeasonalNaive; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    const double z = NormalQuantile((1 + level) / 2);
    const double sigma = ResidualStddev();
    const int m = period();
    std::vector<ForecastValue> out;
    out.reserve(static_cast<size_t>(std::max(horizon, 0)));
    for (int h = 1; h <= horizon; ++h) {
      const int seasons_ahead = (h - 1) / m;  // k
      const double value = last_season_[static_cast<size_t>((h - 1) % m)];
      const double half_width = z * sigma * std::sqrt(seasons_ahead + 1.0);
      out.push_back({value, value - half_width, value + half_width});
    }
    return out;
  }

  bool analytic_interval() const override { return true; }

  // This model after `more`: their residuals join σ and the last season
  // moves on.
  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    auto extended = std::make_unique<SeasonalNaiveModel>(*this);
    extended->Absorb(more);
    return extended;
  }

  // "period" (1 for the naive forecast) and "residual_stddev" (σ).
  std::vector<std::pair<std::string, double>> parameters() const override {
    return {{"period", period()}, {"residual_stddev", ResidualStddev()}};
  }

  std::string description() const override {
    if (period() == 1) return "Naive (repeat the last value)";
    return absl::StrCat("Seasonal naive (repeat the last season of ", period(), " steps)");
  }

  // Appends `more` to the series seen: adds their residuals y_t − y_{t−m}
  // and keeps the last m values. O(m + more.size()).
  void Absorb(std::span<const double> more) {
    const size_t m = last_season_.size();
    std::vector<double> window = last_season_;
    window.insert(window.end(), more.begin(), more.end());
    for (size_t t = m; t < window.size(); ++t) {
      const double residual = window[t] - window[t - m];
      sum_sq_residuals_ += residual * residual;
      ++residuals_;
    }
    last_season_.assign(window.end() - static_cast<std::ptrdiff_t>(m), window.end());
  }

 private:
  int period() const { return static_cast<int>(last_season_.size()); }

  // sqrt of the mean squared residual; 0 before any residual.
  double ResidualStddev() const {
    return residuals_ > 0 ? std::sqrt(sum_sq_residuals_ / static_cast<double>(residuals_)) : 0;
  }

  std::vector<double> last_season_;  // y_{T−m+1}, ..., y_T
  double sum_sq_residuals_ = 0;
  int64_t residuals_ = 0;
};

}  // namespace

// Three points: two for the line, one more for a residual standard deviation.
int LinearMinimumLength(const ModelOptions& /*options*/) { return 3; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitLinearModel(std::span<const double> values,
                                                            const ModelOptions& options) {
  if (absl::Status status = CheckLength(values, LinearMinimumLength(options), "linear");
      !status.ok()) {
    return status;
  }
  LinearSums sums;
  for (double y : values) sums.Add(y);
  return std::make_unique<LinearModel>(sums);
}

// m + 1 points: one season to repeat and one residual for σ (m = 1 without a
// period: two points).
int SeasonalNaiveMinimumLength(const ModelOptions& options) { return NaivePeriod(options) + 1; }

absl::StatusOr<std::unique_ptr<FittedModel>> FitSeasonalNaiveModel(std::span<const double> values,
                                                                   const ModelOptions& options) {
  if (options.seasonal_period < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the seasonal period must be >= 0 steps, got ", options.seasonal_period));
  }
  if (absl::Status status =
          CheckLength(values, SeasonalNaiveMinimumLength(options), "seasonal_naive");
      !status.ok()) {
    return status;
  }
  const auto m = static_cast<size_t>(NaivePeriod(options));
  auto model = std::make_unique<SeasonalNaiveModel>(
      std::vector<double>(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(m)));
  model->Absorb(values.subspan(m));
  return model;
}

}  // namespace horizonscale::forecast::internal

// Seasonal decomposition model (ModelKind::kSeasonal).
//
// Fit, for a period m >= 2 and n >= 2m values y_0..y_{n−1}:
//  1. Trend by the centred moving average of order m (classical additive
//     decomposition): for odd m the plain mean of the m values centred on t;
//     for even m the 2×m MA, weights 1/(2m) at t ± m/2 and 1/m between.
//     Defined for t in [floor(m/2), n − 1 − floor(m/2)].
//  2. Seasonal indices: the mean of the detrended values y_t − trend_t at each
//     position p = t mod m (positions counted from the first value), shifted
//     to sum to zero. With n >= 2m every position has at least one value.
//  3. Trend extrapolation: a least-squares line through the deseasonalised
//     values y_t − s_{t mod m} of the last W values, where W is a whole
//     number of seasons covering about the last half of the series:
//     W = m · clamp(floor(n / 2m), 2, max(2, floor(kMaxTrendWindow / m))).
//     Why a line on a recent window: capacity series grow at rates that
//     change over months, so the forecast should follow the current growth,
//     not the average over all history; yet a window of at least two (and
//     usually many) whole seasons averages out noise and what the seasonal
//     indices missed, so the slope is steadier than a Holt-style drift from
//     the last few points. The window is whole seasons so that leftover
//     seasonality does not tilt the line.
// Forecast: ŷ_{T+h} = L_T + h·b + s_{(T+h) mod m}, with b the slope and L_T
// the line's value at the last observation T. No interval of its own.
//
// Extend keeps the period, the seasonal indices and W fixed: the new values
// are deseasonalised with the fitted indices, the window slides to the last W
// deseasonalised values and the line is refitted on it (two passes over W
// values, exact and numerically stable): O(W + len) per call, which is
// negligible for a backtest of hundreds of one-value Extends on a series of
// thousands. Extending by a then b gives exactly what extending by a ++ b
// gives.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include <absl/strings/str_cat.h>

#include "forecast/forecast.h"
#include "forecast/internal/models.h"
#include "forecast/internal/seasonal_adjustment.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

// Periods up to this many steps report their seasonal indices as parameters.
constexpr int kMaxReportedSeasonIndices = 24;

// Length of the trend window for n values of period m (step 3 of the fit).
int64_t TrendWindow(int64_t n, int m) {
  const int64_t max_seasons = std::max<int64_t>(2, kMaxTrendWindow / m);
  return m * std::clamp<int64_t>(n / (2 * int64_t{m}), 2, max_seasons);
}

// A straight trend line, as the forecast needs it.
struct TrendLine {
  double last_level = 0;  // the line at the last value
  double slope = 0;       // per step
};

// The least-squares line through `values` at t = 0..size − 1 (size >= 3,
// finite: the trend window always holds two seasons or more).
TrendLine FitTrendLine(const std::vector<double>& values) {
  const absl::StatusOr<LinearFit> fit = FitLinear(values);
  TrendLine line;
  if (!fit.ok()) return line;
  line.slope = fit->slope;
  line.last_level = fit->intercept + fit->slope * static_cast<double>(values.size() - 1);
  return line;
}

class SeasonalDecompositionModel final : public FittedModel {
 public:
  // A model with the given seasonal indices (size m) and trend window length
  // that has seen no values yet; Absorb them.
  SeasonalDecompositionModel(std::vector<double> seasonal, int64_t trend_window)
      : seasonal_(std::move(seasonal)), trend_window_(trend_window) {}

  ModelKind kind() const override { return ModelKind::kSeasonal; }

  std::vector<ForecastValue> Predict(int horizon, double /*level*/) const override {
    std::vector<ForecastValue> out;
    out.reserve(static_cast<size_t>(std::max(horizon, 0)));
    for (int h = 1; h <= horizon; ++h) {
      const double value = line_.last_level + h * line_.slope + SeasonalIndexAt(seen_ + h - 1);
      out.push_back({value, value, value});
    }
    return out;
  }

  bool analytic_interval() const override { return false; }

  // Seasonal indices and window length fixed; the trend line refitted on the
  // last trend_window deseasonalised values.
  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    auto extended = std::make_unique<SeasonalDecompositionModel>(*this);
    extended->Absorb(more);
    return extended;
  }

  // "period", "trend_slope" (per step) and, for periods up to 24, the
  // seasonal indices "season_0".."season_{m−1}" (position p is the steps
  // t ≡ p mod m, t counted from the first fitted value).
  std::vector<std::pair<std::string, double>> parameters() const override {
    std::vector<std::pair<std::string, double>> out = {{"period", period()},
                                                       {"trend_slope", line_.slope}};
    if (period() <= kMaxReportedSeasonIndices) {
      for (int p = 0; p < period(); ++p) {
        out.emplace_back(absl::StrCat("season_", p), seasonal_[static_cast<size_t>(p)]);
      }
    }
    return out;
  }

  std::string description() const override {
    return absl::StrCat("Seasonal decomposition (classical additive, period ", period(),
                        "), linear trend over the last ", trend_window_, " steps");
  }

  // Appends `more` to the series seen and refits the trend line.
  void Absorb(std::span<const double> more) {
    std::vector<double> window = deseasonalised_;
    window.reserve(window.size() + more.size());
    for (double y : more) window.push_back(y - SeasonalIndexAt(seen_++));
    const auto keep = static_cast<size_t>(trend_window_);
    if (window.size() > keep) {
      window.erase(window.begin(), window.end() - static_cast<std::ptrdiff_t>(keep));
    }
    deseasonalised_ = std::move(window);
    line_ = FitTrendLine(deseasonalised_);
  }

 private:
  int period() const { return static_cast<int>(seasonal_.size()); }

  // The seasonal index of step t (counted from the first fitted value).
  double SeasonalIndexAt(int64_t t) const {
    return seasonal_[static_cast<size_t>(t % static_cast<int64_t>(seasonal_.size()))];
  }

  std::vector<double> seasonal_;        // zero-sum indices by position
  int64_t trend_window_ = 0;            // W
  int64_t seen_ = 0;                    // values seen (fitted and absorbed)
  std::vector<double> deseasonalised_;  // the last W values minus their indices
  TrendLine line_;
};

}  // namespace

// Two full seasons (2m); 0 for a period < 2, which no length can make valid:
// FitSeasonalModel then reports the bad option (INVALID_ARGUMENT) rather than
// FitModel a misleading shortage of history.
int SeasonalMinimumLength(const ModelOptions& options) {
  return options.seasonal_period >= 2 ? 2 * options.seasonal_period : 0;
}

absl::StatusOr<std::unique_ptr<FittedModel>> FitSeasonalModel(std::span<const double> values,
                                                              const ModelOptions& options) {
  const int m = options.seasonal_period;
  if (m < 2) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the seasonal decomposition model needs a seasonal period >= 2 steps, got ", m));
  }
  const int needed = SeasonalMinimumLength(options);
  if (values.size() < static_cast<size_t>(needed)) {
    return InsufficientHistoryError(absl::StrCat("the seasonal model needs at least ", needed,
                                                 " points of history with a seasonal period of ", m,
                                                 " steps, got ", values.size()));
  }
  auto model = std::make_unique<SeasonalDecompositionModel>(
      SeasonalFigure(values, m, /*multiplicative=*/false),
      TrendWindow(static_cast<int64_t>(values.size()), m));
  model->Absorb(values);
  return model;
}

}  // namespace horizonscale::forecast::internal

// The MSTL model, as R's stlf / forecast.mstl: decompose over the seasonal
// periods, forecast the seasonally adjusted series (trend + remainder) with a
// non-seasonal ETS model and add back each seasonal component's last cycle
// (seasonal naive). The adjusted model's intervals are shifted by the same
// seasonal forecast.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/strings/str_cat.h>
#include <absl/strings/str_join.h>

#include "forecast/internal/models.h"
#include "forecast/mstl/internal/mstl.h"
#include "forecast/mstl/internal/stl.h"
#include "forecast/status_reason.h"

namespace horizonscale::forecast::internal {
namespace {

// The periods to decompose over: options.seasonal_periods, or the single
// options.seasonal_period. Errors: INVALID_ARGUMENT when there is none (a
// seasonal_period < 2 with no seasonal_periods), a period < 2, or periods not
// strictly ascending.
absl::StatusOr<std::vector<int>> RequestedPeriods(const ModelOptions& options) {
  if (options.seasonal_periods.empty()) {
    if (options.seasonal_period < 2) {
      return absl::InvalidArgumentError(
          absl::StrCat("MSTL needs a seasonal_period of at least 2 steps (or seasonal_periods), "
                       "got seasonal_period ",
                       options.seasonal_period));
    }
    return std::vector<int>{options.seasonal_period};
  }
  const std::vector<int>& periods = options.seasonal_periods;
  for (size_t i = 0; i < periods.size(); ++i) {
    if (periods[i] < 2 || (i > 0 && periods[i] <= periods[i - 1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("seasonal_periods must be strictly ascending and each >= 2, got [",
                       absl::StrJoin(periods, ", "), "]"));
    }
  }
  return periods;
}

// The options of the non-seasonal model fitted to the adjusted series.
ModelOptions AdjustedOptions(const ModelOptions& options) {
  ModelOptions adjusted = options;
  adjusted.seasonal_period = 0;
  adjusted.seasonal_periods.clear();
  adjusted.seasonality = Seasonality::kAuto;
  // The season is the decomposition's: ETS gets none (as R's stlf forces).
  if (adjusted.ets_model.size() == 3) adjusted.ets_model[2] = 'N';
  return adjusted;
}

// Fits ETS to the seasonally adjusted series.
absl::StatusOr<std::unique_ptr<FittedModel>> FitAdjustedModel(std::span<const double> adjusted,
                                                              const ModelOptions& options) {
  return FitModel(ModelKind::kEts, adjusted, options);
}

// One period's seasonal component as the forecast sees it: its last cycle,
// repeated.
struct SeasonalCycle {
  int period = 0;
  std::vector<double> last_cycle;  // the final `period` values of the component
  double strength = 0;             // SeasonalStrength of the component
};

// A fitted MSTL model. `phase_` counts the values absorbed by Extend since
// the decomposition, so that the seasonal cycles continue in step.
class MstlModel final : public FittedModel {
 public:
  MstlModel(std::vector<SeasonalCycle> cycles, std::shared_ptr<const FittedModel> adjusted,
            long long phase)
      : cycles_(std::move(cycles)), adjusted_(std::move(adjusted)), phase_(phase) {}

  ModelKind kind() const override { return ModelKind::kMstl; }

  std::vector<ForecastValue> Predict(int horizon, double level) const override {
    std::vector<ForecastValue> forecast = adjusted_->Predict(horizon, level);
    for (int h = 0; h < static_cast<int>(forecast.size()); ++h) {
      const double seasonal = SeasonalAt(phase_ + h);
      forecast[h].value += seasonal;
      forecast[h].lower += seasonal;
      forecast[h].upper += seasonal;
    }
    return forecast;
  }

  // As the adjusted-series model: its interval, shifted, is this model's.
  bool analytic_interval() const override { return adjusted_->analytic_interval(); }

  // Approximation: the decomposition is not redone. The continued seasonal
  // cycles are subtracted from `more` and the adjusted-series model absorbs
  // the result, so a rolling-origin backtest stays cheap.
  std::unique_ptr<FittedModel> Extend(std::span<const double> more) const override {
    std::vector<double> adjusted(more.begin(), more.end());
    for (size_t t = 0; t < adjusted.size(); ++t) {
      adjusted[t] -= SeasonalAt(phase_ + static_cast<long long>(t));
    }
    std::shared_ptr<const FittedModel> extended = adjusted_->Extend(adjusted);
    return std::make_unique<MstlModel>(cycles_, std::move(extended),
                                       phase_ + static_cast<long long>(more.size()));
  }

  std::vector<std::pair<std::string, double>> parameters() const override {
    std::vector<std::pair<std::string, double>> named = adjusted_->parameters();
    for (const SeasonalCycle& cycle : cycles_) {
      named.emplace_back(absl::StrCat("seasonal_strength_", cycle.period), cycle.strength);
    }
    return named;
  }

  std::string description() const override {
    std::vector<int> periods;
    for (const SeasonalCycle& cycle : cycles_) periods.push_back(cycle.period);
    return absl::StrCat("MSTL (period", periods.size() > 1 ? "s " : " ",
                        absl::StrJoin(periods, ", "), ") + ", adjusted_->description(),
                        " on the seasonally adjusted series");
  }

 private:
  // The sum of the seasonal forecasts `step` steps after the decomposed
  // series (0: the first step after it).
  double SeasonalAt(long long step) const {
    double sum = 0;
    for (const SeasonalCycle& cycle : cycles_) {
      sum += cycle.last_cycle[static_cast<size_t>(step % cycle.period)];
    }
    return sum;
  }

  std::vector<SeasonalCycle> cycles_;
  std::shared_ptr<const FittedModel> adjusted_;
  long long phase_;
};

}  // namespace

int MstlMinimumLength(const ModelOptions& options) {
  // More than two full cycles of the shortest period (what R's stl needs),
  // and what the adjusted-series model needs. Invalid periods: 0 lets the fit report them whatever
  // the length.
  absl::StatusOr<std::vector<int>> periods = RequestedPeriods(options);
  if (!periods.ok()) return 0;
  const ModelOptions adjusted = AdjustedOptions(options);
  return std::max(2 * periods->front() + 1, MinimumLength(ModelKind::kEts, adjusted));
}

absl::StatusOr<std::unique_ptr<FittedModel>> FitMstlModel(std::span<const double> values,
                                                          const ModelOptions& options) {
  absl::StatusOr<std::vector<int>> periods = RequestedPeriods(options);
  if (!periods.ok()) return periods.status();
  const int needed = MstlMinimumLength(options);
  if (values.size() < static_cast<size_t>(needed)) {
    return InsufficientHistoryError(absl::StrCat("the mstl model needs at least ", needed,
                                                 " points of history with a shortest period of ",
                                                 periods->front(), " steps, got ", values.size()));
  }
  MstlOptions decomposition;
  decomposition.cancelled = options.cancelled;
  absl::StatusOr<MstlResult> parts = Mstl(values, *periods, decomposition);
  if (!parts.ok()) return parts.status();
  if (IsCancelled(options.cancelled)) return CancelledStatus("MSTL model fit");

  const size_t n = values.size();
  std::vector<double> adjusted(n);
  for (size_t t = 0; t < n; ++t) adjusted[t] = parts->trend[t] + parts->remainder[t];
  absl::StatusOr<std::unique_ptr<FittedModel>> model =
      FitAdjustedModel(adjusted, AdjustedOptions(options));
  if (!model.ok()) return model.status();

  std::vector<SeasonalCycle> cycles;
  for (size_t i = 0; i < parts->periods.size(); ++i) {
    const std::vector<double>& seasonal = parts->seasonal[i];
    const size_t period = static_cast<size_t>(parts->periods[i]);
    cycles.push_back(
        {parts->periods[i],
         std::vector<double>(seasonal.end() - static_cast<std::ptrdiff_t>(period), seasonal.end()),
         SeasonalStrength(seasonal, parts->remainder)});
  }
  return std::make_unique<MstlModel>(std::move(cycles), std::move(*model), 0);
}

}  // namespace horizonscale::forecast::internal

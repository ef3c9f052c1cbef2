#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "forecast/engine.h"
#include "forecast/internal/backtest.h"
#include "forecast/internal/model_selection.h"
#include "forecast/internal/models.h"

namespace horizonscale::forecast {

WorkEstimate EstimateWorkWithPeriod(std::optional<ModelKind> model, int horizon, int64_t period,
                                    size_t period_count, int64_t length) {
  WorkEstimate estimate;
  std::vector<ModelKind> kinds;
  if (model.has_value()) {
    kinds.push_back(*model);
  } else {
    kinds = AutoCandidates(static_cast<int>(std::min<int64_t>(period, 1 << 30)), period_count);
  }
  estimate.fit_length = FitsRecentPast(model) ? RecentFitLength(length, period) : length;
  estimate.models = static_cast<int>(kinds.size());
  for (ModelKind kind : kinds) estimate.fit_units_per_value += 2 * FitUnitsPerValue(kind);
  const int n = static_cast<int>(std::min<int64_t>(estimate.fit_length, 1 << 30));
  const BacktestPlan plan = PlanBacktest(n, horizon);
  estimate.backtest_horizon = plan.horizon;
  // At most: the models without analytic intervals use more origins.
  const int64_t origins =
      plan.test_length == 0
          ? 0
          : (plan.test_length + plan.empirical_origin_stride - 1) / plan.empirical_origin_stride;
  estimate.backtest_points = origins * plan.horizon;
  // The seasonal decomposition model refits its trend line on a window of up
  // to kMaxTrendWindow values (two seasons at least) at each origin.
  const bool decomposition =
      period >= 2 && std::find(kinds.begin(), kinds.end(), ModelKind::kSeasonal) != kinds.end();
  if (decomposition) {
    const int64_t window = std::min(
        length, std::max(std::min<int64_t>(internal::kMaxTrendWindow, length / 2), 2 * period));
    estimate.trend_refit_units = origins * window;
  }
  const double units =
      static_cast<double>(estimate.fit_length) * static_cast<double>(estimate.fit_units_per_value) +
      static_cast<double>(estimate.models) * (static_cast<double>(estimate.backtest_points) +
                                              static_cast<double>(estimate.fit_length)) +
      static_cast<double>(estimate.trend_refit_units);
  estimate.units =
      units >= 9.2e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(units);
  return estimate;
}

int64_t FitUnitsPerValue(ModelKind kind) {
  switch (kind) {
    case ModelKind::kSeasonalNaive:
    case ModelKind::kXgboost:  // refused before any work
      return 1;
    case ModelKind::kLinear:
      return 2;
    case ModelKind::kTheta:
      return 20;
    case ModelKind::kSeasonal:
      return 17;
    case ModelKind::kEwma:
      return 20;
    case ModelKind::kProphet:
      return 800;
    case ModelKind::kHolt:
      return 100;
    case ModelKind::kMstl:
      return 100;
    case ModelKind::kHoltWinters:
      return 300;
    case ModelKind::kEts:
      return 600;
    case ModelKind::kArima:
      return 400;
    case ModelKind::kCombination:
      return FitUnitsPerValue(ModelKind::kEts) + FitUnitsPerValue(ModelKind::kTheta) +
             FitUnitsPerValue(ModelKind::kArima);
  }
  return 1;
}

int64_t RecentFitLength(int64_t length, int64_t longest_period) {
  return std::min(length, std::max(kRecentFitValues, 4 * longest_period));
}

WorkEstimate EstimateWork(const ForecastRequest& request, int64_t length) {
  // The longest seasonal period the call can end up with (0: none).
  int64_t period = 0;
  if (request.seasonal_period.has_value()) {
    period = *request.seasonal_period;
  } else if (!request.model.has_value() || UsesSeason(*request.model)) {
    period = std::min<int64_t>(request.max_detected_period, length / 2);
  }
  for (int extra : request.options.seasonal_periods) period = std::max<int64_t>(period, extra);
  return EstimateWorkWithPeriod(request.model, request.horizon, period,
                                request.options.seasonal_periods.size(), length);
}

}  // namespace horizonscale::forecast

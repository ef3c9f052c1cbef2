#include "server/common/forecast_model.h"

namespace horizonscale::server {
namespace v1 = horizonscale::v1;

bool ToModelKind(v1::ForecastModel model, std::optional<forecast::ModelKind>& kind) {
  switch (model) {
    case v1::FORECAST_MODEL_AUTO:
      kind = std::nullopt;
      return true;
    case v1::FORECAST_MODEL_EWMA:
      kind = forecast::ModelKind::kEwma;
      return true;
    case v1::FORECAST_MODEL_HOLT:
      kind = forecast::ModelKind::kHolt;
      return true;
    case v1::FORECAST_MODEL_HOLT_WINTERS:
      kind = forecast::ModelKind::kHoltWinters;
      return true;
    case v1::FORECAST_MODEL_LINEAR:
      kind = forecast::ModelKind::kLinear;
      return true;
    case v1::FORECAST_MODEL_SEASONAL:
      kind = forecast::ModelKind::kSeasonal;
      return true;
    case v1::FORECAST_MODEL_SEASONAL_NAIVE:
      kind = forecast::ModelKind::kSeasonalNaive;
      return true;
    case v1::FORECAST_MODEL_ETS:
      kind = forecast::ModelKind::kEts;
      return true;
    case v1::FORECAST_MODEL_THETA:
      kind = forecast::ModelKind::kTheta;
      return true;
    case v1::FORECAST_MODEL_ARIMA:
      kind = forecast::ModelKind::kArima;
      return true;
    case v1::FORECAST_MODEL_MSTL:
      kind = forecast::ModelKind::kMstl;
      return true;
    case v1::FORECAST_MODEL_COMBINATION:
      kind = forecast::ModelKind::kCombination;
      return true;
    default:
      return false;
  }
}

v1::ForecastModel ToProtoModel(forecast::ModelKind kind) {
  switch (kind) {
    case forecast::ModelKind::kEwma:
      return v1::FORECAST_MODEL_EWMA;
    case forecast::ModelKind::kHolt:
      return v1::FORECAST_MODEL_HOLT;
    case forecast::ModelKind::kHoltWinters:
      return v1::FORECAST_MODEL_HOLT_WINTERS;
    case forecast::ModelKind::kLinear:
      return v1::FORECAST_MODEL_LINEAR;
    case forecast::ModelKind::kSeasonal:
      return v1::FORECAST_MODEL_SEASONAL;
    case forecast::ModelKind::kSeasonalNaive:
      return v1::FORECAST_MODEL_SEASONAL_NAIVE;
    case forecast::ModelKind::kProphet:
      return v1::FORECAST_MODEL_PROPHET;
    case forecast::ModelKind::kXgboost:
      return v1::FORECAST_MODEL_XGBOOST;
    case forecast::ModelKind::kEts:
      return v1::FORECAST_MODEL_ETS;
    case forecast::ModelKind::kTheta:
      return v1::FORECAST_MODEL_THETA;
    case forecast::ModelKind::kArima:
      return v1::FORECAST_MODEL_ARIMA;
    case forecast::ModelKind::kMstl:
      return v1::FORECAST_MODEL_MSTL;
    case forecast::ModelKind::kCombination:
      return v1::FORECAST_MODEL_COMBINATION;
  }
  return v1::FORECAST_MODEL_UNSPECIFIED;
}

void ToProto(const forecast::Accuracy& in, v1::AccuracyReport& out) {
  out.set_mape_percent(in.mape_percent);
  out.set_smape_percent(in.smape_percent);
  out.set_mase(in.mase);
  out.set_rmse(in.rmse);
  out.set_interval_coverage(in.interval_coverage);
  out.set_points_scored(in.points_scored);
  out.set_zero_actuals(in.zero_actuals);
}

}  // namespace horizonscale::server

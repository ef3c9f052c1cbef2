// The API's ForecastModel enum and forecast/'s ModelKind, both ways, and
// forecast accuracy as the API reports it.
#pragma once

#include <optional>

#include "forecast/accuracy.h"
#include "forecast/model.h"
#include "horizonscale/v1/common.pb.h"

namespace horizonscale::server {

// Maps a named model to forecast/: true with `kind` set for the smoothing
// family and the baselines, true with nullopt for FORECAST_MODEL_AUTO; false
// for FORECAST_MODEL_UNSPECIFIED (each caller has its own default), the
// fleet tournament's models (PROPHET, XGBOOST) and unknown values.
bool ToModelKind(horizonscale::v1::ForecastModel model, std::optional<forecast::ModelKind>& kind);

// The API's name of a forecast/ model.
horizonscale::v1::ForecastModel ToProtoModel(forecast::ModelKind kind);

// Backtest accuracy as the API reports it.
void ToProto(const forecast::Accuracy& in, horizonscale::v1::AccuracyReport& out);

}  // namespace horizonscale::server

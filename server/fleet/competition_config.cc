#include "server/fleet/competition_config.h"

#include <set>

#include <absl/strings/str_cat.h>
#include <google/protobuf/util/json_util.h>

#include "server/common/forecast_model.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

namespace {

constexpr v1::ForecastModel kDefaultModels[] = {
    v1::FORECAST_MODEL_PROPHET, v1::FORECAST_MODEL_XGBOOST, v1::FORECAST_MODEL_HOLT_WINTERS,
    v1::FORECAST_MODEL_HOLT,    v1::FORECAST_MODEL_EWMA,    v1::FORECAST_MODEL_SEASONAL_NAIVE};

}  // namespace

std::optional<forecast::ModelKind> SeriesModelKind(v1::ForecastModel model) {
  switch (model) {
    case v1::FORECAST_MODEL_PROPHET:
      return forecast::ModelKind::kProphet;
    case v1::FORECAST_MODEL_HOLT_WINTERS:
      return forecast::ModelKind::kHoltWinters;
    case v1::FORECAST_MODEL_HOLT:
      return forecast::ModelKind::kHolt;
    case v1::FORECAST_MODEL_EWMA:
      return forecast::ModelKind::kEwma;
    case v1::FORECAST_MODEL_SEASONAL_NAIVE:
      return forecast::ModelKind::kSeasonalNaive;
    case v1::FORECAST_MODEL_LINEAR:
      return forecast::ModelKind::kLinear;
    default:
      return std::nullopt;
  }
}

std::string ModelName(v1::ForecastModel model) {
  const std::string& name = v1::ForecastModel_Name(model);
  return name.empty() ? absl::StrCat("model ", static_cast<int>(model)) : name;
}

v1::CompetitionConfig WithDefaults(const v1::CompetitionConfig& config) {
  v1::CompetitionConfig out = config;
  const forecast::TournamentOptions tournament;
  const forecast::ProphetOptions prophet;
  const forecast::BoostedOptions boosted;
  if (out.models().empty()) {
    for (v1::ForecastModel model : kDefaultModels) out.add_models(model);
  }
  if (!out.has_backtest_days()) out.set_backtest_days(tournament.backtest_days);
  if (!out.has_horizon_days()) out.set_horizon_days(tournament.horizon_days);
  if (out.selection_metric() == v1::SELECTION_METRIC_UNSPECIFIED) {
    out.set_selection_metric(v1::SELECTION_METRIC_MAPE);
  }
  if (!out.has_interval_level()) out.set_interval_level(tournament.interval_level);
  if (!out.has_breach_threshold_percent()) {
    out.set_breach_threshold_percent(tournament.risk.breach_threshold_percent);
  }
  if (!out.has_risk_window_days()) out.set_risk_window_days(tournament.risk.risk_window_days);
  if (!out.has_action_lead_days()) out.set_action_lead_days(tournament.risk.action_lead_days);
  v1::ProphetParameters& p = *out.mutable_prophet();
  if (!p.has_changepoints()) p.set_changepoints(prophet.changepoints);
  if (!p.has_changepoint_range()) p.set_changepoint_range(prophet.changepoint_range);
  if (!p.has_changepoint_prior_scale()) {
    p.set_changepoint_prior_scale(prophet.changepoint_prior_scale);
  }
  if (!p.has_seasonality_prior_scale()) {
    p.set_seasonality_prior_scale(prophet.seasonality_prior_scale);
  }
  if (!p.has_uncertainty_samples()) p.set_uncertainty_samples(prophet.uncertainty_samples);
  v1::XgboostParameters& x = *out.mutable_xgboost();
  if (!x.has_trees()) x.set_trees(boosted.trees);
  if (!x.has_max_depth()) x.set_max_depth(boosted.max_depth);
  if (!x.has_learning_rate()) x.set_learning_rate(boosted.learning_rate);
  if (!out.has_shard_size()) out.set_shard_size(CompetitionPlan().shard_size);
  if (!out.has_calibrate_intervals()) out.set_calibrate_intervals(true);
  if (!out.has_calibration_series()) {
    out.set_calibration_series(forecast::CalibrationOptions().max_series);
  }
  return out;
}

CompetitionPlan ToCompetitionPlan(const v1::CompetitionConfig& config) {
  CompetitionPlan plan;
  forecast::TournamentOptions& t = plan.tournament;
  t.models.clear();
  plan.boosted = false;
  for (int i = 0; i < config.models_size(); ++i) {
    if (config.models(i) == v1::FORECAST_MODEL_XGBOOST) {
      plan.boosted = true;
    } else if (std::optional<forecast::ModelKind> kind = SeriesModelKind(config.models(i))) {
      t.models.push_back(*kind);
    }
  }
  t.backtest_days = config.backtest_days();
  t.horizon_days = config.horizon_days();
  switch (config.selection_metric()) {
    case v1::SELECTION_METRIC_SMAPE:
      t.selection_metric = forecast::SelectionMetric::kSmape;
      break;
    case v1::SELECTION_METRIC_MASE:
      t.selection_metric = forecast::SelectionMetric::kMase;
      break;
    default:
      t.selection_metric = forecast::SelectionMetric::kMape;
  }
  t.interval_level = config.interval_level();
  t.risk.breach_threshold_percent = config.breach_threshold_percent();
  t.risk.risk_window_days = config.risk_window_days();
  t.risk.action_lead_days = config.action_lead_days();
  const v1::ProphetParameters& p = config.prophet();
  t.prophet.changepoints = p.changepoints();
  t.prophet.changepoint_range = p.changepoint_range();
  t.prophet.changepoint_prior_scale = p.changepoint_prior_scale();
  t.prophet.seasonality_prior_scale = p.seasonality_prior_scale();
  if (p.has_yearly_order()) t.prophet.yearly_order = p.yearly_order();
  if (p.has_weekly_order()) t.prophet.weekly_order = p.weekly_order();
  t.prophet.uncertainty_samples = p.uncertainty_samples();
  plan.boosted_options.trees = config.xgboost().trees();
  plan.boosted_options.max_depth = config.xgboost().max_depth();
  plan.boosted_options.learning_rate = config.xgboost().learning_rate();
  plan.shard_size = config.shard_size();
  // A run stored before calibration existed has neither field: it runs as it
  // was started.
  plan.calibrate = config.has_calibrate_intervals() && config.calibrate_intervals();
  if (config.has_calibration_series()) plan.calibration.max_series = config.calibration_series();
  return plan;
}

std::string ConfigToJson(const v1::CompetitionConfig& config) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(config, &json, options);
  return json;
}

absl::StatusOr<v1::CompetitionConfig> ConfigFromJson(const std::string& json) {
  v1::CompetitionConfig config;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &config);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("stored run config is not a CompetitionConfig: ", status.ToString()));
  }
  return config;
}

}  // namespace horizonscale::server

#include "server/fleet/competition_config_checks.h"

#include <set>

#include <absl/strings/str_cat.h>

#include "server/common/field_checks.h"
#include "server/fleet/competition_config.h"

namespace horizonscale::server {

namespace v1 = horizonscale::v1;

grpc::Status ValidateCompetitionConfig(const v1::CompetitionConfig& config,
                                       const std::string& prefix) {
  FieldChecks checks;
  const auto field = [&](const std::string& name) { return prefix + name; };
  if (checks.Size(field("models"), config.models_size(), kMaxCompetitionModels,
                  reason::kConfigInvalid)) {
    std::set<int> listed;
    for (int i = 0; i < config.models_size(); ++i) {
      const v1::ForecastModel model = config.models(i);
      const std::string name = field(absl::StrCat("models[", i, "]"));
      if (model != v1::FORECAST_MODEL_XGBOOST && !SeriesModelKind(model).has_value()) {
        checks.Fail(name,
                    absl::StrCat(ModelName(model),
                                 " does not compete in the fleet tournament (PROPHET, XGBOOST, "
                                 "HOLT_WINTERS, HOLT, EWMA, SEASONAL_NAIVE and LINEAR do)"),
                    reason::kModelNotSupported);
      } else if (!listed.insert(model).second) {
        checks.Fail(name, absl::StrCat(ModelName(model), " is listed twice"),
                    reason::kConfigInvalid);
      }
    }
  }
  if (config.has_backtest_days()) {
    checks.Integer(field("backtest_days"), config.backtest_days(), 7, 366, reason::kConfigInvalid);
  }
  if (config.has_horizon_days()) {
    checks.Integer(field("horizon_days"), config.horizon_days(), 1, 1830, reason::kConfigInvalid);
  }
  if (config.selection_metric() < 0 || config.selection_metric() > v1::SELECTION_METRIC_MASE) {
    checks.Fail(field("selection_metric"), "unknown selection metric", reason::kConfigInvalid);
  }
  if (config.has_interval_level()) {
    checks.Number(field("interval_level"), config.interval_level(), 0, 1, reason::kConfigInvalid,
                  true, true);
  }
  if (config.has_breach_threshold_percent()) {
    checks.Number(field("breach_threshold_percent"), config.breach_threshold_percent(), 0, 100,
                  reason::kConfigInvalid, true, false);
  }
  if (config.has_risk_window_days()) {
    checks.Integer(field("risk_window_days"), config.risk_window_days(), 1, 1830,
                   reason::kConfigInvalid);
  }
  if (config.has_action_lead_days()) {
    checks.Integer(field("action_lead_days"), config.action_lead_days(), 0, 3650,
                   reason::kConfigInvalid);
  }
  const int horizon = config.has_horizon_days() ? config.horizon_days()
                                                : forecast::TournamentOptions().horizon_days;
  const int window = config.has_risk_window_days()
                         ? config.risk_window_days()
                         : forecast::TournamentOptions().risk.risk_window_days;
  if (window > horizon) {
    checks.Fail(field("risk_window_days"),
                absl::StrCat("the risk window (", window, " days) must fit in the horizon (",
                             horizon, " days)"),
                reason::kConfigInvalid);
  }
  const v1::ProphetParameters& p = config.prophet();
  if (p.has_changepoints()) {
    checks.Integer(field("prophet.changepoints"), p.changepoints(), 0, 500, reason::kConfigInvalid);
  }
  if (p.has_changepoint_range()) {
    checks.Number(field("prophet.changepoint_range"), p.changepoint_range(), 0, 1,
                  reason::kConfigInvalid, true, false);
  }
  if (p.has_changepoint_prior_scale()) {
    checks.Number(field("prophet.changepoint_prior_scale"), p.changepoint_prior_scale(), 0, 1e6,
                  reason::kConfigInvalid, true, false);
  }
  if (p.has_seasonality_prior_scale()) {
    checks.Number(field("prophet.seasonality_prior_scale"), p.seasonality_prior_scale(), 0, 1e6,
                  reason::kConfigInvalid, true, false);
  }
  if (p.has_yearly_order()) {
    checks.Integer(field("prophet.yearly_order"), p.yearly_order(), 0, 50, reason::kConfigInvalid);
  }
  if (p.has_weekly_order()) {
    checks.Integer(field("prophet.weekly_order"), p.weekly_order(), 0, 3, reason::kConfigInvalid);
  }
  if (p.has_uncertainty_samples()) {
    checks.Integer(field("prophet.uncertainty_samples"), p.uncertainty_samples(), 1, 10000,
                   reason::kConfigInvalid);
  }
  const v1::XgboostParameters& x = config.xgboost();
  if (x.has_trees()) {
    checks.Integer(field("xgboost.trees"), x.trees(), 1, 2000, reason::kConfigInvalid);
  }
  if (x.has_max_depth()) {
    checks.Integer(field("xgboost.max_depth"), x.max_depth(), 1, 16, reason::kConfigInvalid);
  }
  if (x.has_learning_rate()) {
    checks.Number(field("xgboost.learning_rate"), x.learning_rate(), 0, 1, reason::kConfigInvalid,
                  true, false);
  }
  if (config.has_shard_size()) {
    checks.Integer(field("shard_size"), config.shard_size(), 1, kMaxShardSize,
                   reason::kConfigInvalid);
  }
  if (config.has_calibration_series()) {
    checks.Integer(field("calibration_series"), config.calibration_series(), 1,
                   kMaxCalibrationSeries, reason::kConfigInvalid);
  }
  return checks.ok() ? grpc::Status::OK : checks.ToStatus();
}

}  // namespace horizonscale::server

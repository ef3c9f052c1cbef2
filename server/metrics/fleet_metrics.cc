#include "server/metrics/fleet_metrics.h"

namespace horizonscale::server {
namespace {

prometheus::Family<prometheus::Gauge>* Family(MetricsRegistry& registry, const std::string& name,
                                              const std::string& help) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(registry.registry());
}

}  // namespace

FleetMetrics::FleetMetrics(MetricsRegistry& registry)
    : run_series_{Family(registry, "horizonscale_fleet_run_series",
                         "Series of a running tournament run: done and total."),
                  {}},
      run_duration_{Family(registry, "horizonscale_fleet_run_duration_seconds",
                           "Seconds from a run's creation to its finish (the latest succeeded "
                           "run) or to now (running runs)."),
                    {}},
      model_wins_{Family(registry, "horizonscale_fleet_model_wins",
                         "Series the model was champion of in the latest succeeded run."),
                  {}},
      model_mape_{Family(registry, "horizonscale_fleet_model_median_mape_percent",
                         "The model's median backtest MAPE in the latest succeeded run."),
                  {}},
      department_at_risk_{
          Family(registry, "horizonscale_fleet_department_at_risk",
                 "High-Trust risks (breach within 90 days) of the latest succeeded run per "
                 "department: unit=series or unit=hosts."),
          {}},
      days_to_breach_{Family(registry, "horizonscale_fleet_series_days_to_breach",
                             "Days from today to the series' first High-Trust breach (latest "
                             "succeeded run)."),
                      {}},
      days_to_action_{Family(registry, "horizonscale_fleet_series_days_to_planned_action",
                             "Days from today to the series' planned action date (latest "
                             "succeeded run); negative once it has passed."),
                      {}},
      refreshed_(prometheus::BuildGauge()
                     .Name("horizonscale_fleet_metrics_refresh_timestamp_seconds")
                     .Help("When the fleet metrics were last read from the database (Unix "
                           "seconds); 0 until then.")
                     .Register(registry.registry())
                     .Add({})) {}

void FleetMetrics::Put(Gauges& gauges, const prometheus::Labels& labels, double value,
                       std::map<prometheus::Labels, prometheus::Gauge*>& seen) {
  auto found = gauges.set.find(labels);
  prometheus::Gauge* gauge =
      found != gauges.set.end() ? found->second : &gauges.family->Add(labels);
  gauge->Set(value);
  seen[labels] = gauge;
}

void FleetMetrics::Keep(Gauges& gauges, std::map<prometheus::Labels, prometheus::Gauge*>& seen) {
  for (const auto& [labels, gauge] : gauges.set) {
    if (!seen.contains(labels)) gauges.family->Remove(gauge);
  }
  gauges.set = std::move(seen);
}

void FleetMetrics::Set(const FleetSnapshot& snapshot, absl::Time read_at) {
  std::lock_guard lock(mutex_);
  std::map<prometheus::Labels, prometheus::Gauge*> series, duration, wins, mape, departments,
      breach, action;
  for (const FleetSnapshot::RunningRun& run : snapshot.running) {
    Put(run_series_, {{"run_id", run.run_id}, {"state", "done"}},
        static_cast<double>(run.series_done), series);
    Put(run_series_, {{"run_id", run.run_id}, {"state", "total"}},
        static_cast<double>(run.series_total), series);
    Put(run_duration_, {{"run_id", run.run_id}}, run.elapsed_seconds, duration);
  }
  if (!snapshot.latest_run_id.empty()) {
    Put(run_duration_, {{"run_id", snapshot.latest_run_id}}, snapshot.latest_run_seconds, duration);
  }
  for (const FleetSnapshot::ModelScore& model : snapshot.models) {
    Put(model_wins_, {{"model", model.model}}, static_cast<double>(model.wins), wins);
    Put(model_mape_, {{"model", model.model}}, model.median_mape_percent, mape);
  }
  for (const FleetSnapshot::DepartmentRisk& department : snapshot.departments) {
    Put(department_at_risk_, {{"department", department.department}, {"unit", "series"}},
        static_cast<double>(department.series_at_risk), departments);
    Put(department_at_risk_, {{"department", department.department}, {"unit", "hosts"}},
        static_cast<double>(department.hosts_at_risk), departments);
  }
  for (const FleetSnapshot::SeriesRisk& risk : snapshot.series) {
    const prometheus::Labels labels = {
        {"host", risk.host}, {"resource", risk.resource}, {"department", risk.department}};
    Put(days_to_breach_, labels, risk.days_to_breach, breach);
    Put(days_to_action_, labels, risk.days_to_planned_action, action);
  }
  Keep(run_series_, series);
  Keep(run_duration_, duration);
  Keep(model_wins_, wins);
  Keep(model_mape_, mape);
  Keep(department_at_risk_, departments);
  Keep(days_to_breach_, breach);
  Keep(days_to_action_, action);
  refreshed_.Set(absl::ToDoubleSeconds(read_at - absl::UnixEpoch()));
}

}  // namespace horizonscale::server

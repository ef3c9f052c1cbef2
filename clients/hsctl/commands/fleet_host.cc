// hsctl fleet host: the drill-down of one host resource
// (FleetService.GetHostForecast): champion and runner-up with their
// backtest accuracy, the first breach, a chart of the history and the
// champion's forecast, and the last history and some forecast points.
#include <iostream>

#include <absl/time/time.h>
#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/output.h"
#include "clients/hsctl/telemetry_csv.h"
#include "clients/hsctl/terminal_chart.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

constexpr int kHistoryRows = 5;
// Days ahead whose forecast is listed (those within the horizon, and the last).
constexpr int kForecastDays[] = {1, 7, 30, 60, 90, 120, 150};

struct HostFlags {
  std::string host_id;
  std::string resource;
  std::string run_id;
  double threshold_percent = 95;
  int lead_days = 30;
};

double Days(const google::protobuf::Timestamp& time) { return time.seconds() / 86400.0; }

std::string Date(double days) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(std::llround(days * 86400)),
                          absl::UTCTimeZone());
}

std::string Percent(double value) { return fmt::format("{:.1f} %", value); }

void PrintModels(const v1::GetHostForecastResponse& response) {
  Table models({"", "model", "MAPE", "interval coverage", "points scored"});
  auto add = [&](const std::string& role, const v1::ModelForecast& model) {
    models.Add({role, EnumLabel(v1::ForecastModel_Name(model.model()), "FORECAST_MODEL_"),
                fmt::format("{:.2f} %", model.accuracy().mape_percent()),
                FormatShare(model.accuracy().interval_coverage()),
                std::to_string(model.accuracy().points_scored())});
  };
  if (response.has_champion()) add("champion", response.champion());
  if (response.has_runner_up()) add("runner-up", response.runner_up());
  if (models.empty()) {
    std::cout << "no models scored\n";
    return;
  }
  models.Print(std::cout);
}

// The first day the champion's upper bound exceeds the threshold, as the
// risk report finds it but over the whole horizon, not only the risk window.
void PrintBreach(const v1::ModelForecast& champion, const HostFlags& flags) {
  for (const v1::ForecastPoint& point : champion.forecast()) {
    if (point.upper() <= flags.threshold_percent) continue;
    google::protobuf::Timestamp act_by = point.time();
    act_by.set_seconds(act_by.seconds() - int64_t{86400} * flags.lead_days);
    std::cout << fmt::format("first breach: {} (upper bound {} > {})\n", FormatTime(point.time()),
                             Percent(point.upper()), Percent(flags.threshold_percent));
    std::cout << fmt::format("act by:       {} ({} days before)\n", FormatTime(act_by),
                             flags.lead_days);
    return;
  }
  std::cout << fmt::format("no breach: the upper bound stays at or below {} for {} days\n",
                           Percent(flags.threshold_percent), champion.forecast_size());
}

void PrintChart(const v1::GetHostForecastResponse& response, const HostFlags& flags) {
  ChartSeries history{.mark = '*'};
  for (const v1::SeriesPoint& point : response.history()) {
    history.x.push_back(Days(point.time()));
    history.y.push_back(point.value());
  }
  ChartSeries forecast{.mark = 'o', .band_mark = ':'};
  for (const v1::ForecastPoint& point : response.champion().forecast()) {
    forecast.x.push_back(Days(point.time()));
    forecast.y.push_back(point.value());
    forecast.lower.push_back(point.lower());
    forecast.upper.push_back(point.upper());
  }
  const Chart chart{.series = {history, forecast},
                    .threshold = flags.threshold_percent,
                    .threshold_label = fmt::format("breach {:g} %", flags.threshold_percent),
                    .x_label = Date};
  for (const std::string& line : RenderChart(chart)) std::cout << line << "\n";
  const double level = response.champion().forecast().empty()
                           ? 0
                           : response.champion().forecast(0).confidence_level();
  std::cout << fmt::format("* history   o forecast   : {} interval   - breach threshold\n",
                           FormatShare(level));
}

void PrintPoints(const v1::GetHostForecastResponse& response) {
  Table points({"date", "", "value", "lower", "upper"});
  const int history = response.history_size();
  for (int i = std::max(0, history - kHistoryRows); i < history; ++i) {
    const v1::SeriesPoint& point = response.history(i);
    points.Add({Date(Days(point.time())), "history", Percent(point.value())});
  }
  const auto& forecast = response.champion().forecast();
  int last_listed = -1;
  auto add = [&](int index) {
    if (index <= last_listed || index >= forecast.size()) return;
    const v1::ForecastPoint& point = forecast[index];
    points.Add({Date(Days(point.time())), "forecast", Percent(point.value()),
                Percent(point.lower()), Percent(point.upper())});
    last_listed = index;
  };
  for (int day : kForecastDays) add(day - 1);
  add(forecast.size() - 1);
  points.Print(std::cout);
}

void RunHost(const HostFlags& flags, CliContext& context) {
  v1::GetHostForecastRequest request;
  request.set_run_id(flags.run_id);
  request.set_host_id(flags.host_id);
  request.set_resource(ResourceFromName(flags.resource).value_or(v1::RESOURCE_UNSPECIFIED));
  v1::GetHostForecastResponse response;
  auto stub = v1::FleetService::NewStub(context.connection().channel);
  if (!context.Check(stub->GetHostForecast(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  std::cout << fmt::format("{} {}, run {}\n", flags.host_id, flags.resource, response.run_id());
  PrintModels(response);
  std::cout << "\n";
  PrintBreach(response.champion(), flags);
  std::cout << "\n";
  PrintChart(response, flags);
  std::cout << "\n";
  PrintPoints(response);
}

}  // namespace

void AddFleetHostCommand(CLI::App& fleet, CliContext& context) {
  auto flags = std::make_shared<HostFlags>();
  CLI::App* host = fleet.add_subcommand(
      "host", "One host resource of a run: champion, runner-up, breach and a chart");
  host->add_option("HOST_ID", flags->host_id, "the host")->required();
  host->add_option("--resource", flags->resource, "cpu, memory, disk or network")
      ->required()
      ->check(CLI::IsMember({"cpu", "memory", "disk", "network"}));
  host->add_option("--run_id", flags->run_id, "run (default: the latest succeeded)");
  host->add_option("--threshold", flags->threshold_percent,
                   "breach threshold in percent (the run's breach_threshold_percent; the "
                   "response does not carry it)")
      ->capture_default_str();
  host->add_option("--lead_days", flags->lead_days,
                   "days before the breach to act by (the run's action_lead_days)")
      ->capture_default_str();
  host->callback([flags, &context] { RunHost(*flags, context); });
}

}  // namespace horizonscale::hsctl

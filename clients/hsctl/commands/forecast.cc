// hsctl forecast: a forecast of a CSV series (time,value per line) or of a
// stored queue's arrival rate (CapacityPlannerService.GetForecasts): the
// model chosen by backtest, its accuracy, and the points with their band.
#include <fstream>
#include <iostream>

#include <absl/strings/ascii.h>
#include <absl/strings/numbers.h>
#include <absl/time/time.h>
#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct ForecastFlags {
  std::string csv;
  std::string queue;
  int horizon = 24;
  std::string model = "auto";
  double interval_level = 0;
};

// "2026-11-01T00:00:00Z" or epoch seconds.
bool ParseTime(const std::string& text, google::protobuf::Timestamp& time) {
  int64_t seconds = 0;
  if (absl::SimpleAtoi(text, &seconds)) {
    time.set_seconds(seconds);
    return true;
  }
  absl::Time parsed;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &parsed, &error)) return false;
  time.set_seconds(absl::ToUnixSeconds(parsed));
  return true;
}

// The CSV at `path` ("-": stdin) as a series; a first line that is not a
// point is a header. Throws UsageError naming file:line.
v1::TimeSeries ReadSeries(const std::string& path) {
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) throw UsageError{path + ": cannot be read"};
  }
  std::istream& in = path == "-" ? std::cin : file;
  v1::TimeSeries series;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::StripAsciiWhitespace(&line);
    if (line.empty()) continue;
    const size_t comma = line.find(',');
    v1::SeriesPoint point;
    double value = 0;
    const bool parsed = comma != std::string::npos &&
                        ParseTime(std::string(absl::StripAsciiWhitespace(line.substr(0, comma))),
                                  *point.mutable_time()) &&
                        absl::SimpleAtod(line.substr(comma + 1), &value);
    if (!parsed) {
      if (number == 1) continue;  // a header
      throw UsageError{fmt::format("{}:{}: not time,value: {}", path, number, line)};
    }
    point.set_value(value);
    *series.add_points() = point;
  }
  return series;
}

void RunForecast(const ForecastFlags& flags, CliContext& context) {
  if (flags.csv.empty() == flags.queue.empty()) {
    throw UsageError{"forecast: give --csv FILE or --queue NAME (one of them)"};
  }
  v1::GetForecastsRequest request;
  if (!flags.csv.empty()) {
    *request.mutable_series() = ReadSeries(flags.csv);
  } else {
    request.set_queue(flags.queue);
  }
  request.set_horizon_steps(flags.horizon);
  std::string name = "FORECAST_MODEL_" + flags.model;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  v1::ForecastModel model = v1::FORECAST_MODEL_UNSPECIFIED;
  if (!v1::ForecastModel_Parse(name, &model)) {
    throw UsageError{"--model " + flags.model + " is not a forecast model"};
  }
  request.set_model(model);
  if (flags.interval_level > 0) request.set_interval_level(flags.interval_level);

  v1::GetForecastsResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->GetForecasts(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  const v1::FittedModel& fitted = response.model();
  std::cout << fmt::format(
      "model {} ({}), backtest MAPE {:.2f} %, interval coverage {}\n",
      EnumLabel(v1::ForecastModel_Name(fitted.model()), "FORECAST_MODEL_"),
      fitted.selection_reason().empty() ? "asked for" : fitted.selection_reason(),
      fitted.accuracy().mape_percent(), FormatShare(fitted.accuracy().interval_coverage()));
  if (response.candidates_size() > 1) {
    Table candidates({"candidate", "MAPE", "sMAPE", "MASE"});
    for (const v1::FittedModel& candidate : response.candidates()) {
      candidates.Add({EnumLabel(v1::ForecastModel_Name(candidate.model()), "FORECAST_MODEL_"),
                      fmt::format("{:.2f} %", candidate.accuracy().mape_percent()),
                      fmt::format("{:.2f} %", candidate.accuracy().smape_percent()),
                      fmt::format("{:.3f}", candidate.accuracy().mase())});
    }
    std::cout << "\n";
    candidates.Print(std::cout);
  }
  std::cout << "\n";
  const double level = response.points_size() > 0 ? response.points(0).confidence_level() : 0;
  Table points({"time", "forecast", fmt::format("lower ({:.0f} %)", level * 100),
                fmt::format("upper ({:.0f} %)", level * 100)});
  for (const v1::ForecastPoint& point : response.points()) {
    points.Add({absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(point.time().seconds()),
                                 absl::UTCTimeZone()),
                fmt::format("{:.4g}", point.value()), fmt::format("{:.4g}", point.lower()),
                fmt::format("{:.4g}", point.upper())});
  }
  points.Print(std::cout);
}

}  // namespace

void AddForecastCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<ForecastFlags>();
  CLI::App* command = app.add_subcommand(
      "forecast", "Forecast a CSV series (time,value) or a stored queue's arrival rate");
  command->add_option("--csv", flags->csv,
                      "time,value lines (RFC 3339 or epoch seconds; - : stdin)");
  command->add_option("--queue", flags->queue, "a queue's stored arrival-rate history instead");
  command->add_option("--horizon", flags->horizon, "steps ahead")->capture_default_str();
  command->add_option("--model", flags->model, "auto (chosen by backtest), ewma, holt_winters, ...")
      ->capture_default_str();
  command->add_option("--interval", flags->interval_level, "interval level, e.g. 0.8");
  command->callback([flags, &context] { RunForecast(*flags, context); });
}

}  // namespace horizonscale::hsctl

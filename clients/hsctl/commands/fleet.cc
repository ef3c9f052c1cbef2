// hsctl fleet run|risk|leaderboard: the fleet tournament
// (FleetService.RunCompetition, GetRiskReport, GetLeaderboard).
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/message_file.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/fleet_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct FleetFlags {
  std::string run_id;
  std::string config_file;
  std::string request_id;
  std::string department;
  std::string host;
  int page_size = 25;
  std::string page_token;
  std::string csv_dir;
  double run_deadline_seconds = 6 * 3600;
};

std::string ModelLabel(v1::ForecastModel model) {
  return EnumLabel(v1::ForecastModel_Name(model), "FORECAST_MODEL_");
}

void PrintSummary(const v1::RunCompetitionResponse& last) {
  const v1::RunSummary& summary = last.summary();
  std::cout << fmt::format("run {}: {} series in {}, {} at risk\n", last.run_id(), summary.series(),
                           FormatDuration(summary.elapsed()), summary.series_at_risk());
  Table wins({"model", "wins", "median MAPE"});
  for (const v1::ModelWins& model : summary.wins()) {
    wins.Add({ModelLabel(model.model()), std::to_string(model.wins()),
              fmt::format("{:.2f} %", model.median_mape_percent())});
  }
  wins.Print(std::cout);
}

void RunRun(const FleetFlags& flags, CliContext& context) {
  v1::RunCompetitionRequest request;
  request.set_run_id(flags.run_id);
  request.set_request_id(flags.request_id);
  if (!flags.config_file.empty()) {
    if (absl::Status read = ReadMessageFile(flags.config_file, *request.mutable_config());
        !read.ok()) {
      throw UsageError{std::string(read.message())};
    }
  }
  auto stub = v1::FleetService::NewStub(context.connection().channel);
  auto call = context.NewCall(flags.run_deadline_seconds);
  std::unique_ptr<grpc::ClientReader<v1::RunCompetitionResponse>> reader =
      stub->RunCompetition(call.get(), request);
  v1::RunCompetitionResponse message, last;
  Progress progress("series");
  while (reader->Read(&message)) {
    last = message;
    if (context.json()) {
      PrintJson(message);  // one object per progress message
      continue;
    }
    progress.Update(message.series_done(), message.series_total(), message.series_per_second(),
                    message.eta().seconds() + message.eta().nanos() / 1e9);
  }
  progress.Finish();
  if (!context.Check(reader->Finish())) return;
  if (last.state() == v1::RUN_STATE_FAILED) {
    std::cerr << "hsctl: run " << last.run_id() << " failed: " << last.error() << "\n";
    context.exit_code = 1;
    return;
  }
  if (!context.json()) PrintSummary(last);
}

void WriteCsv(const std::string& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path path = std::filesystem::path(dir) / name;
  std::ofstream out(path);
  if (!out) throw UsageError{path.string() + ": cannot be written"};
  out << text;
  std::cout << "wrote " << path.string() << "\n";
}

void RunRisk(const FleetFlags& flags, CliContext& context) {
  v1::GetRiskReportRequest request;
  request.set_run_id(flags.run_id);
  request.set_department(flags.department);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  request.set_include_csv(!flags.csv_dir.empty());
  v1::GetRiskReportResponse response;
  auto stub = v1::FleetService::NewStub(context.connection().channel);
  if (!context.Check(stub->GetRiskReport(context.NewCall().get(), request, &response))) return;
  if (!flags.csv_dir.empty()) {
    WriteCsv(flags.csv_dir, "risk-exceptions.csv", response.risk_exceptions_csv());
    WriteCsv(flags.csv_dir, "monthly-summary.csv", response.monthly_summary_csv());
  }
  if (context.json()) return PrintJson(response);
  const v1::HealthCounts& health = response.fleet_health();
  std::cout << fmt::format(
      "run {}: {} red, {} yellow, {} green (red: {:.0f} % upper bound crosses {:.0f} % within "
      "{})\n\n",
      response.run_id(), health.red(), health.yellow(), health.green(),
      response.interval_level() * 100, response.breach_threshold_percent(),
      FormatDuration(response.risk_window()));
  Table departments({"department", "red", "yellow", "green"});
  for (const v1::HealthCounts& d : response.department_health()) {
    departments.Add({d.department().empty() ? "(none)" : d.department(), std::to_string(d.red()),
                     std::to_string(d.yellow()), std::to_string(d.green())});
  }
  departments.Print(std::cout);
  std::cout << "\n";
  Table risks({"host", "resource", "department", "first breach", "act by", "peak", "model"});
  for (const v1::RiskEntry& risk : response.entries()) {
    risks.Add({risk.host_id(), EnumLabel(v1::Resource_Name(risk.resource()), "RESOURCE_"),
               risk.department(), FormatTime(risk.first_breach_time()),
               FormatTime(risk.planned_action_time()),
               fmt::format("{:.1f} %", risk.peak_upper_percent()), ModelLabel(risk.champion())});
  }
  if (risks.empty()) {
    std::cout << "no series at risk\n";
  } else {
    risks.Print(std::cout);
  }
  if (!response.next_page_token().empty()) {
    std::cout << "more: --page_token=" << response.next_page_token() << "\n";
  }
}

void RunLeaderboard(const FleetFlags& flags, CliContext& context) {
  v1::GetLeaderboardRequest request;
  request.set_run_id(flags.run_id);
  request.set_host_id(flags.host);
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  v1::GetLeaderboardResponse response;
  auto stub = v1::FleetService::NewStub(context.connection().channel);
  if (!context.Check(stub->GetLeaderboard(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  std::cout << "run " << response.run_id() << "\n";
  Table audit({"model", "wins", "median MAPE"});
  for (const v1::ModelWins& model : response.audit().overall()) {
    audit.Add({ModelLabel(model.model()), std::to_string(model.wins()),
               fmt::format("{:.2f} %", model.median_mape_percent())});
  }
  audit.Print(std::cout);
  std::cout << "\n";
  Table entries({"host", "resource", "model", "rank", "MAPE", "coverage"});
  for (const v1::LeaderboardEntry& entry : response.entries()) {
    entries.Add({entry.host_id(), EnumLabel(v1::Resource_Name(entry.resource()), "RESOURCE_"),
                 ModelLabel(entry.model()) + (entry.champion() ? " *" : ""),
                 std::to_string(entry.rank()),
                 fmt::format("{:.2f} %", entry.accuracy().mape_percent()),
                 FormatShare(entry.accuracy().interval_coverage())});
  }
  entries.Print(std::cout);
  if (!response.next_page_token().empty()) {
    std::cout << "more: --page_token=" << response.next_page_token() << "\n";
  }
}

}  // namespace

void AddFleetCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<FleetFlags>();
  CLI::App* fleet = app.add_subcommand("fleet", "The fleet forecasting tournament");
  fleet->require_subcommand(1);
  CLI::App* run = fleet->add_subcommand(
      "run", "Start a tournament run (or attach to one) and follow it to its end");
  run->add_option("--run_id", flags->run_id, "attach to this run instead of starting one");
  run->add_option("-f,--config", flags->config_file, "CompetitionConfig as YAML or JSON");
  run->add_option("--request_id", flags->request_id, "idempotency key of the start");
  run->add_option("--wait", flags->run_deadline_seconds, "seconds to follow the run at most")
      ->capture_default_str();
  run->callback([flags, &context] { RunRun(*flags, context); });
  CLI::App* risk =
      fleet->add_subcommand("risk", "The risk report of a run (the latest by default)");
  risk->add_option("--run_id", flags->run_id, "run (default: the latest)");
  risk->add_option("--department", flags->department, "one department only");
  risk->add_option("--page_size", flags->page_size, "series at risk per page")
      ->capture_default_str();
  risk->add_option("--page_token", flags->page_token, "the page after a previous report's");
  risk->add_option("--csv", flags->csv_dir,
                   "write risk-exceptions.csv and monthly-summary.csv into this directory");
  risk->callback([flags, &context] { RunRisk(*flags, context); });
  CLI::App* board = fleet->add_subcommand("leaderboard", "Model scores and wins of a run");
  board->add_option("--run_id", flags->run_id, "run (default: the latest)");
  board->add_option("--host", flags->host, "one host only");
  board->add_option("--page_size", flags->page_size, "entries per page")->capture_default_str();
  board->add_option("--page_token", flags->page_token, "the page after a previous one's");
  board->callback([flags, &context] { RunLeaderboard(*flags, context); });
  AddFleetIngestCommand(*fleet, context);
  AddFleetHostCommand(*fleet, context);
}

}  // namespace horizonscale::hsctl

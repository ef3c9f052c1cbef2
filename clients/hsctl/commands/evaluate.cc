// hsctl evaluate: queueing figures of a pool for given worker counts, and
// the least worker count meeting an SLO (CapacityPlannerService.EvaluateQueue).
#include <iostream>

#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct EvaluateFlags {
  double arrival_rate = 0;
  double service_time = 0;
  double service_time_stddev = -1;
  std::vector<int> workers;
  double p95 = 0;
  std::string model = "mmc";
  int max_workers = 0;
};

void RunEvaluate(const EvaluateFlags& flags, CliContext& context) {
  v1::EvaluateQueueRequest request;
  request.set_arrival_rate_per_second(flags.arrival_rate);
  request.set_mean_service_time_seconds(flags.service_time);
  if (flags.service_time_stddev >= 0) {
    request.set_service_time_stddev_seconds(flags.service_time_stddev);
  }
  for (int workers : flags.workers) request.add_worker_counts(workers);
  if (flags.p95 > 0) request.mutable_slo()->set_p95_latency_seconds(flags.p95);
  if (flags.max_workers > 0) request.set_max_workers(flags.max_workers);
  std::string name = "QUEUEING_MODEL_" + flags.model;
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  v1::QueueingModel model = v1::QUEUEING_MODEL_UNSPECIFIED;
  v1::QueueingModel_Parse(name, &model);  // the flag's check admits known names only
  request.set_model(model);

  v1::EvaluateQueueResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->EvaluateQueue(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);

  Table table({"workers", "utilization", "P(wait)", "mean wait", "wait p95", "response p95",
               "queue length"});
  for (const v1::QueueEvaluation& e : response.evaluations()) {
    if (!e.stable()) {
      table.Add({std::to_string(e.workers()), FormatShare(e.utilization()), "unstable"});
      continue;
    }
    table.Add({std::to_string(e.workers()), FormatShare(e.utilization()),
               FormatShare(e.probability_of_wait()), FormatSeconds(e.mean_wait_seconds()),
               FormatSeconds(e.wait_p95_seconds()), FormatSeconds(e.response_p95_seconds()),
               fmt::format("{:.2f}", e.mean_queue_length())});
  }
  if (!table.empty()) table.Print(std::cout);
  if (response.has_recommendation()) {
    const v1::CapacityRecommendation& r = response.recommendation();
    std::cout << (table.empty() ? "" : "\n")
              << (r.achievable()
                      ? fmt::format("least workers meeting the SLO: {} (response p95 {})",
                                    r.workers(),
                                    FormatSeconds(r.evaluation().response_p95_seconds()))
                      : "the SLO cannot be met: " + r.reason())
              << "\n";
  }
}

}  // namespace

void AddEvaluateCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<EvaluateFlags>();
  CLI::App* command = app.add_subcommand(
      "evaluate", "Queueing figures of a pool for worker counts, and the least workers for an SLO");
  command->add_option("--arrival_rate", flags->arrival_rate, "jobs per second")->required();
  command->add_option("--service_time", flags->service_time, "mean service time, seconds")
      ->required();
  command->add_option("--service_time_stddev", flags->service_time_stddev,
                      "standard deviation of the service time, seconds (M/G/c)");
  command->add_option("--workers", flags->workers, "worker counts to evaluate (e.g. 12,15)")
      ->delimiter(',');
  command->add_option("--p95", flags->p95,
                      "SLO: response time P95, seconds (asks for the least workers)");
  command->add_option("--model", flags->model, "queueing model")
      ->check(CLI::IsMember({"mm1", "mmc", "mmck", "mgc"}))
      ->capture_default_str();
  command->add_option("--max_workers", flags->max_workers, "search no further than this");
  command->callback([flags, &context] { RunEvaluate(*flags, context); });
}

}  // namespace horizonscale::hsctl

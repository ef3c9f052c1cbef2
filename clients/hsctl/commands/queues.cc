// hsctl queues list|get|update|reset: the queue resource
// (CapacityPlannerService.ListQueues, GetQueue, UpdateQueue, ResetQueue).
// `update` reads the settings from a YAML/JSON file and changes exactly the
// fields the file sets (the update mask is the file's leaf paths).
#include <fstream>
#include <iostream>
#include <sstream>

#include <absl/strings/str_join.h>
#include <fmt/core.h>

#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/message_file.h"
#include "clients/hsctl/output.h"
#include "horizonscale/v1/planner_service.grpc.pb.h"

namespace horizonscale::hsctl {
namespace {

namespace v1 = horizonscale::v1;

struct QueuesFlags {
  std::string name;
  std::string file;
  int page_size = 100;
  std::string page_token;
};

// A field path in the mask's snake_case ("maxWorkers" -> "max_workers"):
// the file may use either spelling, as protobuf's JSON mapping does.
std::string SnakeCase(const std::string& path) {
  std::string out;
  for (const char c : path) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void PrintQueue(const v1::Queue& queue) {
  std::cout << fmt::format("queue {}\n", queue.name());
  std::cout << fmt::format("  history       {} samples\n", queue.history_samples());
  if (queue.has_last_metrics()) {
    const v1::QueueMetrics& m = queue.last_metrics();
    std::cout << fmt::format("  last metrics  {:.4g} jobs/s, {} per job, {} workers ({})\n",
                             m.arrival_rate_per_second(),
                             FormatSeconds(m.mean_service_time_seconds()), m.current_workers(),
                             FormatTime(m.observe_time()));
  }
  if (!queue.last_plan_id().empty()) {
    std::cout << fmt::format("  last plan     {} ({})\n", queue.last_plan_id(),
                             FormatTime(queue.last_plan_time()));
  }
  if (queue.has_last_action()) {
    std::cout << fmt::format(
        "  last action   {} to {} workers ({})\n",
        EnumLabel(v1::ScalingAction_Name(queue.last_action().action()), "SCALING_ACTION_"),
        queue.last_action().workers(), FormatTime(queue.last_action().time()));
  }
  if (queue.has_cooldown_end_time()) {
    std::cout << "  cooldown ends " << FormatTime(queue.cooldown_end_time()) << "\n";
  }
  if (queue.slo().has_p95_latency_seconds()) {
    std::cout << "  SLO p95       " << FormatSeconds(queue.slo().p95_latency_seconds()) << "\n";
  }
  if (queue.config().has_max_workers()) {
    std::cout << "  max workers   " << queue.config().max_workers() << "\n";
  }
}

void RunList(const QueuesFlags& flags, CliContext& context) {
  v1::ListQueuesRequest request;
  request.set_page_size(flags.page_size);
  request.set_page_token(flags.page_token);
  v1::ListQueuesResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->ListQueues(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  Table table({"queue", "jobs/s", "workers", "history", "last plan"});
  for (const v1::Queue& queue : response.queues()) {
    table.Add({queue.name(), fmt::format("{:.4g}", queue.last_metrics().arrival_rate_per_second()),
               std::to_string(queue.last_metrics().current_workers()),
               std::to_string(queue.history_samples()), FormatTime(queue.last_plan_time())});
  }
  table.Print(std::cout);
  if (!response.next_page_token().empty()) {
    std::cout << "more: --page_token=" << response.next_page_token() << "\n";
  }
}

void RunGet(const QueuesFlags& flags, CliContext& context) {
  v1::GetQueueRequest request;
  request.set_name(flags.name);
  v1::GetQueueResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->GetQueue(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  PrintQueue(response.queue());
}

void RunUpdate(const QueuesFlags& flags, CliContext& context) {
  std::stringstream text;
  if (flags.file == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(flags.file);
    if (!in) throw UsageError{flags.file + ": cannot be read"};
    text << in.rdbuf();
  }
  v1::UpdateQueueRequest request;
  v1::Queue& queue = *request.mutable_queue();
  if (absl::Status read = ReadMessageText(text.str(), flags.file, queue); !read.ok()) {
    throw UsageError{std::string(read.message())};
  }
  queue.set_name(flags.name);
  // The mask: what the file sets under slo: and config: (nothing else is
  // a setting).
  std::vector<std::string> paths;
  for (const std::string root : {"slo", "config"}) {
    for (const std::string& leaf : LeafPaths(text.str(), root)) {
      paths.push_back(root + "." + SnakeCase(leaf));
    }
  }
  if (paths.empty()) throw UsageError{flags.file + ": sets nothing under slo: or config:"};
  for (const std::string& path : paths) request.mutable_update_mask()->add_paths(path);
  v1::UpdateQueueResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->UpdateQueue(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  std::cout << "updated " << absl::StrJoin(paths, ", ") << "\n";
  PrintQueue(response.queue());
}

void RunReset(const QueuesFlags& flags, CliContext& context) {
  v1::ResetQueueRequest request;
  request.set_name(flags.name);
  v1::ResetQueueResponse response;
  auto stub = v1::CapacityPlannerService::NewStub(context.connection().channel);
  if (!context.Check(stub->ResetQueue(context.NewCall().get(), request, &response))) return;
  if (context.json()) return PrintJson(response);
  std::cout << "reset " << flags.name
            << ": its history, last action and cached forecasts are forgotten (settings and plans "
               "stay)\n";
}

}  // namespace

void AddQueuesCommand(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<QueuesFlags>();
  CLI::App* queues = app.add_subcommand("queues", "The queues the server knows");
  queues->require_subcommand(1);
  CLI::App* list = queues->add_subcommand("list", "Every queue, by name");
  list->add_option("--page_size", flags->page_size, "queues per page")->capture_default_str();
  list->add_option("--page_token", flags->page_token, "the page after a previous list's");
  list->callback([flags, &context] { RunList(*flags, context); });
  CLI::App* get = queues->add_subcommand("get", "One queue: settings and state");
  get->add_option("name", flags->name, "queue name")->required();
  get->callback([flags, &context] { RunGet(*flags, context); });
  CLI::App* update = queues->add_subcommand(
      "update", "Change a queue's settings to what a YAML/JSON file sets (slo:, config:)");
  update->add_option("name", flags->name, "queue name")->required();
  update->add_option("-f,--file", flags->file, "the settings (- : stdin)")->required();
  update->callback([flags, &context] { RunUpdate(*flags, context); });
  CLI::App* reset =
      queues->add_subcommand("reset", "Forget a queue's history, last action and cached forecasts");
  reset->add_option("name", flags->name, "queue name")->required();
  reset->callback([flags, &context] { RunReset(*flags, context); });
}

}  // namespace horizonscale::hsctl

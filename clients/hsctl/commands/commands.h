// hsctl's subcommands, one file each; every Add* registers its subcommand
// (and theirs) on `app`, to run with `context`.
#pragma once

#include <CLI/CLI.hpp>

#include "clients/hsctl/cli_context.h"

namespace horizonscale::hsctl {

void AddEvaluateCommand(CLI::App& app, CliContext& context);  // evaluate
void AddPlanCommand(CLI::App& app, CliContext& context);      // plan
void AddPlansCommand(CLI::App& app, CliContext& context);     // plans list|get
void AddQueuesCommand(CLI::App& app, CliContext& context);    // queues list|get|update|reset
void AddFleetCommand(CLI::App& app, CliContext& context);     // fleet run|risk|leaderboard|...
void AddForecastCommand(CLI::App& app, CliContext& context);  // forecast
void AddSimulateCommand(CLI::App& app, CliContext& context);  // simulate

// Subcommands of `fleet` in files of their own.
void AddFleetIngestCommand(CLI::App& fleet, CliContext& context);  // fleet ingest
void AddFleetHostCommand(CLI::App& fleet, CliContext& context);    // fleet host

}  // namespace horizonscale::hsctl

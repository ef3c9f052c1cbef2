// hsctl: HorizonScale from a terminal. Subcommands mirror the API
// (commands/); answers are tables for people or JSON for scripts
// (--output json); the exit code says what kind of error ended a call
// (exit_codes.h). README "hsctl".
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "clients/hsctl/cli_context.h"
#include "clients/hsctl/commands/commands.h"
#include "clients/hsctl/exit_codes.h"

namespace hsctl = horizonscale::hsctl;

int main(int argc, char** argv) {
  hsctl::CliContext context;
  CLI::App app{"hsctl: plan pools, run the fleet tournament and read its risks with HorizonScale"};
  app.require_subcommand(1);
  app.add_option("-s,--server", context.connection_options.target, "HOST:PORT of the server")
      ->envname("HS_SERVER")
      ->capture_default_str();
  app.add_option("--deadline", context.deadline_seconds, "seconds a call may take")
      ->capture_default_str();
  app.add_option("--tls_ca", context.connection_options.tls_ca,
                 "TLS: the CA of the server's certificate (PEM)")
      ->envname("HS_TLS_CA");
  app.add_option("--tls_cert", context.connection_options.tls_cert,
                 "mTLS: a client certificate (PEM)")
      ->envname("HS_TLS_CERT");
  app.add_option("--tls_key", context.connection_options.tls_key, "mTLS: its key (PEM)")
      ->envname("HS_TLS_KEY");
  app.add_option("--token_file", context.connection_options.token_file,
                 "a file whose first line is a bearer token")
      ->envname("HS_TOKEN_FILE");
  std::string output = "human";
  app.add_option("-o,--output", output, "human (tables) or json (protobuf's JSON mapping)")
      ->check(CLI::IsMember({"human", "json"}))
      ->capture_default_str();
  app.parse_complete_callback([&] {
    context.output = output == "json" ? hsctl::OutputMode::kJson : hsctl::OutputMode::kHuman;
  });
  hsctl::AddEvaluateCommand(app, context);
  hsctl::AddPlanCommand(app, context);
  hsctl::AddPlansCommand(app, context);
  hsctl::AddQueuesCommand(app, context);
  hsctl::AddForecastCommand(app, context);
  hsctl::AddSimulateCommand(app, context);
  hsctl::AddFleetCommand(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : hsctl::kExitUsage;
  } catch (const hsctl::UsageError& error) {
    std::cerr << "hsctl: " << error.message << "\n";
    return hsctl::kExitUsage;
  }
  return context.exit_code;
}

// hsctl fleet ingest: not implemented yet (issue 18 continues); registered
// so that the command table stays complete.
#include "clients/hsctl/commands/commands.h"

namespace horizonscale::hsctl {

void AddFleetIngestCommand(CLI::App&, CliContext&) {}

}  // namespace horizonscale::hsctl

// hsctl fleet host: not implemented yet (issue 18 continues); registered so
// that the command table stays complete.
#include "clients/hsctl/commands/commands.h"

namespace horizonscale::hsctl {

void AddFleetHostCommand(CLI::App&, CliContext&) {}

}  // namespace horizonscale::hsctl

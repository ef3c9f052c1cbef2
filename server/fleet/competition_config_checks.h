// Validation of FleetService's CompetitionConfig: every bad field named,
// reason CONFIG_INVALID or MODEL_NOT_SUPPORTED. Kept apart from
// competition_config.h so that the fleet worker, which only reads stored
// configs, needs no gRPC.
#pragma once

#include <string>

#include <grpcpp/support/status.h>

#include "horizonscale/v1/fleet_service.pb.h"

namespace horizonscale::server {

// Validates `config` (defaults filled in or not), naming each bad field under
// `field_prefix` (e.g. "config."). OK or INVALID_ARGUMENT with field
// violations.
grpc::Status ValidateCompetitionConfig(const horizonscale::v1::CompetitionConfig& config,
                                       const std::string& field_prefix);

}  // namespace horizonscale::server

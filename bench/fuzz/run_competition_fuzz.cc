// RunCompetition up to the database: the request's ids and its tournament
// configuration -> validation -> defaults -> the run's plan -> the JSON the
// run is stored as, read back.
#include "bench/fuzz/fuzz_support.h"
#include "server/common/field_checks.h"
#include "server/fleet/competition_config.h"
#include "server/fleet/competition_config_checks.h"

namespace v1 = horizonscale::v1;
namespace server = horizonscale::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v1::RunCompetitionRequest request;
  if (!horizonscale::fuzz::ParseRequest(data, size, request)) return -1;
  server::FieldChecks checks;
  checks.Text("request_id", request.request_id(), server::reason::kInvalidRequest);
  (void)checks.ToStatus();
  if (!server::ValidateCompetitionConfig(request.config(), "config.").ok()) return 0;
  v1::CompetitionConfig config = server::WithDefaults(request.config());
  config.DiscardUnknownFields();  // JSON has no place for them
  if (!server::ValidateCompetitionConfig(config, "config.").ok()) __builtin_trap();
  (void)server::ToCompetitionPlan(config);
  absl::StatusOr<v1::CompetitionConfig> stored =
      server::ConfigFromJson(server::ConfigToJson(config));
  if (!stored.ok() || stored->SerializeAsString() != config.SerializeAsString()) {
    __builtin_trap();  // a run's configuration must survive its storage
  }
  return 0;
}

// A queue's stored settings as the API has them (horizonscale.v1.Slo and
// PlannerConfig), their stored JSON form, how a request's own fields
// override them, and how UpdateQueue's field mask changes them.
#pragma once

#include <google/protobuf/field_mask.pb.h>

#include <absl/status/statusor.h>

#include "db/queue_repository.h"
#include "horizonscale/v1/common.pb.h"
#include "horizonscale/v1/plan.pb.h"
#include "horizonscale/v1/queue.pb.h"
#include "server/common/field_checks.h"

namespace horizonscale::server {

struct QueueSettings {
  horizonscale::v1::Slo slo;
  horizonscale::v1::PlannerConfig config;
};

// The settings of stored JSON; INTERNAL when a stored text does not parse
// (a row written by hand).
absl::StatusOr<QueueSettings> ParseQueueSettings(const db::QueueSettings& stored);

// The JSON texts to store (canonical protobuf JSON).
db::QueueSettings ToStoredSettings(const QueueSettings& settings);

// `over`'s set fields replace `base`'s, each whole (a Duration or a
// repeated field is taken as `over` has it, not merged into `base`'s).
// Both must be of the same message type. Used for a request's slo and
// config over the queue's stored ones.
void OverlaySetFields(const google::protobuf::Message& over, google::protobuf::Message& base);

// Applies UpdateQueue's `mask` to `settings`: each path ("slo", "config",
// "slo.<field>", "config.<field>"; an empty mask means "slo" and "config")
// takes `from`'s value, unset clearing it. A path naming anything else is a
// violation of "update_mask" (reason INVALID_REQUEST), as is a mask of more
// than 64 paths.
void ApplyUpdateMask(const horizonscale::v1::Queue& from, const google::protobuf::FieldMask& mask,
                     QueueSettings& settings, FieldChecks& checks);

// Checks stored-to-be settings with GeneratePlan's checks (field paths
// "slo.<field>" and "config.<field>" after the checks' own prefix).
void CheckQueueSettings(const QueueSettings& settings, FieldChecks& checks);

}  // namespace horizonscale::server

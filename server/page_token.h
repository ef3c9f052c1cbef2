// Opaque page tokens (AIP-158). ListPlans': the position after the last plan
// of a page, bound to the queue listed so a token cannot be replayed against
// another queue. The fleet reports': an offset into the fixed order of a
// finished run's rows, bound to the run and the filters of the request.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "db/plan_repository.h"

namespace horizonscale::server {

std::string EncodePlanPageToken(const std::string& queue, const db::PlanCursor& cursor);

// The cursor of `token`, or nullopt when it is malformed or for another queue.
std::optional<db::PlanCursor> DecodePlanPageToken(const std::string& queue,
                                                  const std::string& token);

// A token for position `offset` of the listing identified by `scope` (the
// run id and every filter of the request).
std::string EncodeOffsetPageToken(const std::string& scope, int64_t offset);

// The offset of `token`, or nullopt when it is malformed or was made for
// another scope.
std::optional<int64_t> DecodeOffsetPageToken(const std::string& scope, const std::string& token);

}  // namespace horizonscale::server

// Opaque page tokens of ListPlans (AIP-158): the position after the last plan
// of a page, bound to the queue listed so a token cannot be replayed against
// another queue.
#pragma once

#include <optional>
#include <string>

#include "db/plan_repository.h"

namespace horizonscale::server {

std::string EncodePlanPageToken(const std::string& queue, const db::PlanCursor& cursor);

// The cursor of `token`, or nullopt when it is malformed or for another queue.
std::optional<db::PlanCursor> DecodePlanPageToken(const std::string& queue,
                                                  const std::string& token);

}  // namespace horizonscale::server

// The one page-size policy of every List method (AIP-158): ListPlans and the
// fleet reports (GetLeaderboard, GetRiskReport).
#pragma once

#include <cstdint>
#include <string>

#include "server/common/field_checks.h"

namespace horizonscale::server {

// Largest page any List method returns.
inline constexpr int kMaxPageSize = 1000;

// The page size to use for a request's `requested` page_size: 0 (unset) gives
// the method's `default_size` (in [1, kMaxPageSize]); a value above
// kMaxPageSize is coerced to kMaxPageSize; a negative value is recorded in
// `checks` as a violation of `field` (reason INVALID_REQUEST), and
// `default_size` is returned so the caller may go on collecting violations
// before answering with checks.ToStatus().
int PageSize(FieldChecks& checks, int32_t requested, int default_size,
             const std::string& field = "page_size");

}  // namespace horizonscale::server

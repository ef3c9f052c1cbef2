#include "server/common/page_size.h"

#include <algorithm>
#include <limits>

#include "server/common/errors.h"

namespace horizonscale::server {

int PageSize(FieldChecks& checks, int32_t requested, int default_size, const std::string& field) {
  if (requested < 0) {
    checks.Integer(field, requested, 0, std::numeric_limits<int32_t>::max(),
                   reason::kInvalidRequest);
    return default_size;
  }
  if (requested == 0) return default_size;
  return std::min<int>(requested, kMaxPageSize);
}

}  // namespace horizonscale::server

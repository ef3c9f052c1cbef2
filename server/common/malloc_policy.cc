#include "server/common/malloc_policy.h"

#include <malloc.h>

namespace horizonscale::server {

void KeepFreedMemoryForReuse() {
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
}

}  // namespace horizonscale::server

#include "server/common/openmp_wait_policy.h"

#include <unistd.h>

#include <cstdlib>

namespace horizonscale::server {

void EnsurePassiveOpenMpWaitPolicy(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/1);
  execv("/proc/self/exe", argv);  // returns only on failure
}

}  // namespace horizonscale::server

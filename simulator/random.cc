// Ziggurat tables of the standard exponential (see internal/random.h).
#include <cmath>

#include "simulator/internal/random.h"

namespace horizonscale::simulator::internal {

ExponentialZiggurat::ExponentialZiggurat() noexcept {
  constexpr double kR = 7.697117470131487;
  constexpr double kV = 3.949659822581572e-3;
  x[0] = kV / std::exp(-kR);
  x[1] = kR;
  for (int i = 1; i < 255; ++i) x[i + 1] = -std::log(std::exp(-x[i]) + kV / x[i]);
  x[256] = 0;
  for (int i = 0; i <= 256; ++i) f[i] = std::exp(-x[i]);
}

const ExponentialZiggurat kExponentialZiggurat;

}  // namespace horizonscale::simulator::internal

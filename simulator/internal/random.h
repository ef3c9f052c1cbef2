// Portable pseudo-random numbers for the simulator: xoshiro256** seeded
// through SplitMix64 (forecast/numerics/xoshiro256.h), with the few variates the
// simulator needs computed by hand (std:: distributions differ between
// standard libraries, which would break bit-for-bit reproducibility).
// Internal to hs_simulator.
#pragma once

#include <cmath>
#include <cstdint>

#include "forecast/numerics/xoshiro256.h"

namespace horizonscale::simulator::internal {

// Independent random streams of one run. Each consumer draws from its own
// stream, so that e.g. a different plan (which changes how many service times
// are drawn and when) leaves the arrival sequence unchanged: common random
// numbers across plans.
enum class Stream : uint64_t { kArrivals = 1, kService = 2, kNoise = 3 };

// Ziggurat of the standard exponential density e^{−x} with 256 layers of
// equal area v (Marsaglia & Tsang 2000: r = 7.697117470131487,
// v = 3.949659822581572e-3). Layer i in [1, 255] is the rectangle
// [0, x[i]] × [e^{−x[i]}, e^{−x[i+1]}]; layer 0 is [0, r] × [0, e^{−r}] plus
// the tail beyond r, with the virtual width x[0] = v / e^{−r}. Built once at
// start-up (libm exp/log, as elsewhere in the simulator).
struct ExponentialZiggurat {
  ExponentialZiggurat() noexcept;
  double x[257];  // decreasing, x[1] = r, x[256] = 0
  double f[257];  // e^{−x[i]}
};
extern const ExponentialZiggurat kExponentialZiggurat;

// The simulator's generator: xoshiro256** with a state derived from a seed
// and a stream, plus the variates the simulator draws.
class Rng : public numerics::Xoshiro256StarStar {
 public:
  // The stream `stream` of seed `seed`: the state is four SplitMix64 outputs
  // of a seed derived from both (never all zero).
  Rng(uint64_t seed, Stream stream)
      : Xoshiro256StarStar(
            FromSplitMix64(numerics::SplitMix64(seed).Next() ^
                           (static_cast<uint64_t>(stream) * 0xD1B54A32D192ED03ull))) {}

  // Uniform on (0, 1], a multiple of 2^-53 (safe to take the log of).
  double UniformPositive() { return static_cast<double>((Next() >> 11) + 1) * 0x1.0p-53; }

  // Standard exponential variate (mean 1), by the ziggurat: one 64-bit draw
  // gives the layer (low 8 bits) and an independent uniform (high 53 bits);
  // ~98.9 % of the draws return at the first comparison, the rest fall back
  // on an exact rejection test or, in the tail, r − ln U (memorylessness).
  double Exponential() {
    const ExponentialZiggurat& z = kExponentialZiggurat;
    for (;;) {
      const uint64_t bits = Next();
      const unsigned layer = static_cast<unsigned>(bits & 0xFF);
      const double x = static_cast<double>(bits >> 11) * 0x1.0p-53 * z.x[layer];
      if (x < z.x[layer + 1]) return x;
      if (layer == 0) return z.x[1] - std::log(UniformPositive());
      if (z.f[layer] + (z.f[layer + 1] - z.f[layer]) * Uniform() < std::exp(-x)) return x;
    }
  }
};

// Standard normal variates by Marsaglia's polar method: NormalSampler().Next(rng).
using NormalSampler = numerics::PolarNormal;

}  // namespace horizonscale::simulator::internal

// Portable pseudo-random numbers for the fleet generator: xoshiro256**
// seeded through SplitMix64 (forecast/numerics/xoshiro256.h), with the variates
// computed by hand (std:: distributions differ between standard libraries,
// which would change the fleet a seed gives). Internal to hs_fleet_generator.
#pragma once

#include <array>
#include <cstdint>
#include <iterator>

#include "forecast/numerics/xoshiro256.h"

namespace horizonscale::fleetgen::internal {

// Independent random streams of one host: each consumer has its own, so
// that e.g. turning dirty data on leaves the values unchanged.
enum class Stream : uint64_t {
  kSpec = 1,        // department, app code, scenario, primary resource
  kHost = 2,        // host-level parameters (step day, bursts, seasonal peak)
  kParameters = 3,  // + resource: the series' parameters
  kNoise = 10,      // + resource
  kOvershoot = 20,  // + resource
  kDirty = 30,      // + resource
};

// The fleet generator's generator: xoshiro256** with a state derived from a
// seed and a stream, plus the variates the generator draws.
class Rng : public numerics::Xoshiro256StarStar {
 public:
  // Stream `stream` + `offset` of `seed`.
  Rng(uint64_t seed, Stream stream, uint64_t offset = 0)
      : Xoshiro256StarStar(StateOf(seed, static_cast<uint64_t>(stream) + offset)) {}

  // Uniform on [0, 1), a multiple of 2^-53.
  using Xoshiro256StarStar::Uniform;

  // Uniform on [low, high).
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }

  // Uniform integer in [low, high] (high − low < 2^32; the bias is below
  // 2^-32).
  int UniformInt(int low, int high) {
    const uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(high) - low + 1);
    return low + static_cast<int>(((Next() >> 32) * span) >> 32);
  }

  // True with probability p.
  bool Bernoulli(double p) { return Uniform() < p; }

  // Standard normal variate, by Marsaglia's polar method (the second value of
  // each accepted pair is kept for the next call).
  double Normal() { return normal_.Next(*this); }

 private:
  // The state of stream `stream` of `seed`: a chain of SplitMix64 mixes.
  static std::array<uint64_t, 4> StateOf(uint64_t seed, uint64_t stream) {
    uint64_t mixed = numerics::Mix64(seed) ^ numerics::Mix64(stream * 0xD1B54A32D192ED03ull);
    std::array<uint64_t, 4> state;
    for (uint64_t& word : state) {
      mixed = numerics::Mix64(mixed);
      word = mixed;
    }
    return state;
  }

  numerics::PolarNormal normal_;
};

// Index of a draw from the discrete distribution with weights `weights`
// (non-negative, positive sum).
template <class Weights>
int WeightedIndex(Rng& rng, const Weights& weights) {
  double total = 0;
  for (double w : weights) total += w;
  double target = rng.Uniform() * total;
  int last_positive = 0;
  for (int i = 0; i < static_cast<int>(std::size(weights)); ++i) {
    if (weights[i] <= 0) continue;
    last_positive = i;
    if (target < weights[i]) return i;
    target -= weights[i];
  }
  return last_positive;  // rounding left target ≥ 0 after the last weight
}

}  // namespace horizonscale::fleetgen::internal

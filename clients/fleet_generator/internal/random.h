// Portable pseudo-random numbers for the fleet generator: xoshiro256**
// seeded through SplitMix64, with the variates computed by hand (std::
// distributions differ between standard libraries, which would change the
// fleet a seed gives). Internal to hs_fleet_generator.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>

namespace horizonscale::fleetgen::internal {

// SplitMix64 (Steele, Lea & Flood) finaliser: a bijective mix of 64 bits.
inline uint64_t Mix64(uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

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

// xoshiro256** 1.0 (Blackman & Vigna).
class Rng {
 public:
  // Stream `stream` + `offset` of `seed`.
  Rng(uint64_t seed, Stream stream, uint64_t offset = 0) {
    uint64_t state =
        Mix64(seed) ^ Mix64((static_cast<uint64_t>(stream) + offset) * 0xD1B54A32D192ED03ull);
    for (uint64_t& word : s_) {
      state = Mix64(state);
      word = state;
    }
  }

  // The next 64 pseudo-random bits.
  uint64_t Next() {
    const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

  // Uniform on [0, 1), a multiple of 2^-53.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

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
  double Normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    double u = 0, v = 0, s = 0;
    do {
      u = 2 * Uniform() - 1;
      v = 2 * Uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    const double scale = std::sqrt(-2 * std::log(s) / s);
    spare_ = v * scale;
    has_spare_ = true;
    return u * scale;
  }

 private:
  uint64_t s_[4];
  double spare_ = 0;
  bool has_spare_ = false;
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
